/**
 * An independent second opinion on convergence: after a plan has run, the migrated database's
 * model must equal the target's, object by object, except for what the default comparison leaves
 * out on purpose. Without it, a diff that overlooks some property would find "no changes" and the
 * harness would call the case converged.
 *
 * Left out: owners and privileges (not compared by default), and column order, because ADD COLUMN
 * always appends: a column added to an existing table lands after the others whatever its place
 * in the target (PostgreSQL has no way to insert a column in the middle).
 */
import { canonicalJson } from '../../src/core/model/canonicalJson';
import type { SchemaModel } from '../../src/core/model/types';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function withoutOwnership(value: unknown): Json {
  if (Array.isArray(value)) return value.map(withoutOwnership);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'owner' && k !== 'acl' && v !== undefined) out[k] = withoutOwnership(v);
    return out;
  }
  return value as Json;
}

function comparable(model: SchemaModel): Map<string, string> {
  const objects = new Map<string, string>();
  for (const [kind, list] of Object.entries(model)) {
    if (kind === 'dependencies') continue;
    for (const item of list as { id: string; columns?: { name: string }[] }[]) {
      const copy = withoutOwnership(item) as Record<string, Json>;
      if (kind === 'tables' && Array.isArray(copy.columns)) {
        copy.columns = [...(copy.columns as { name: string }[])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      }
      objects.set(item.id, canonicalJson(copy));
    }
  }
  const edges = model.dependencies.map((d) => `${d.from} -> ${d.to} (${d.type})`).sort();
  objects.set('(dependency edges)', edges.join('\n'));
  return objects;
}

/** One line per object that differs between the two models; empty when they are equal. */
export function modelDifferences(actual: SchemaModel, expected: SchemaModel, limit = 10): string[] {
  const a = comparable(actual);
  const e = comparable(expected);
  const lines: string[] = [];
  for (const id of [...new Set([...a.keys(), ...e.keys()])].sort()) {
    const x = a.get(id);
    const y = e.get(id);
    if (x === y) continue;
    if (x === undefined) lines.push(`${id}: missing after the plan`);
    else if (y === undefined) lines.push(`${id}: present after the plan, absent from the target`);
    else if (id === '(dependency edges)') lines.push(`${id}: ${edgeDelta(x, y)}`);
    else lines.push(`${id}:\n    after:  ${x}\n    target: ${y}`);
  }
  return lines.length > limit ? [...lines.slice(0, limit), `… ${lines.length - limit} more`] : lines;
}

function edgeDelta(actual: string, expected: string): string {
  const a = new Set(actual.split('\n'));
  const e = new Set(expected.split('\n'));
  const extra = [...a].filter((x) => !e.has(x));
  const missing = [...e].filter((x) => !a.has(x));
  return [...missing.slice(0, 5).map((m) => `missing ${m}`), ...extra.slice(0, 5).map((m) => `extra ${m}`)].join('; ');
}
