/**
 * Small readers over libpg_query's JSON parse trees. Every node is an object with one key naming
 * its type (`{ String: { sval } }`, `{ AlterTableCmd: … }`); fields at their default value (0,
 * false, empty) are left out, so every read allows for absence.
 */
import type { Node } from 'libpg-query';

/** The `sval` of each String node in a name list (`schema.table`, a column list, …). */
export function names(nodes: readonly Node[] | undefined): string[] {
  return (nodes ?? []).flatMap((n) => ('String' in n && n.String.sval !== undefined ? [n.String.sval] : []));
}

/** The items of a List node (DROP's object names are lists of Strings). */
export function listItems(node: Node): Node[] {
  return 'List' in node ? (node.List.items ?? []) : [];
}

/** Every column a raw expression references by bare name (`a`, not `t.a` nor `t.*`). */
export function columnRefs(node: unknown): string[] {
  const found = new Set<string>();
  walk(node, (key, value) => {
    if (key !== 'ColumnRef') return;
    const fields = names((value as { fields?: Node[] }).fields);
    const only = fields[0];
    if (fields.length === 1 && only !== undefined) found.add(only);
  });
  return [...found];
}

/** Calls `visit` for every keyed object in a parse tree, depth first. */
export function walk(node: unknown, visit: (key: string, value: unknown) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    visit(key, value);
    walk(value, visit);
  }
}
