/**
 * Renames declared in pgdrift.mapping.json, applied to the from-model before comparing. A table or
 * column that exists in from only under its old name is renamed (ALTER TABLE … RENAME TO / RENAME
 * COLUMN, metadata only: PostgreSQL keeps the data, and indexes, constraints, triggers and views
 * follow by oid). The from-model is rewritten the way the catalog will read after the rename, so
 * the rest of the diff compares the renamed object with the desired one: a renamed column whose
 * type also changes gets its ALTER TYPE after the RENAME, and an index on it is not recreated.
 *
 * Definitions PostgreSQL prints (pg_get_constraintdef, pg_get_indexdef, pg_get_triggerdef) are
 * rewritten token by token. View definitions and function bodies are left as they are: a view's
 * stored query keeps its output column names (`display_name AS fullname`), and a function body is
 * plain text PostgreSQL does not rewrite; when they then differ from the desired ones they are
 * recreated, which is what the database needs too.
 *
 * A column mapped while both names exist in from is not renamed: its values are copied into the
 * kept column and the old one dropped, as for twin columns (twins.ts).
 */
import type { Constraint, Index, ObjectId, Policy, SchemaModel, Table, Trigger } from '../model/types';
import type { Change, Statement } from '../plan/types';
import { columnId } from './context';
import { alterStatement } from './kind';
import { hazard, type Hazard } from '../hazards/types';
import { splitTable } from './mapping';
import type { Mapping } from './options';
import { qualify, quoteIdent } from './sql';
import { copyCast, type TwinPair } from './twins';

export interface MappedModel {
  /** The from-model as it reads once the renames have run. */
  model: SchemaModel;
  /** The RENAME statements, one change each. */
  changes: Change[];
  /** Mapped columns whose both names exist in from: copied, then the old one dropped. */
  copies: TwinPair[];
  /** What was renamed, in order: a column's table is named as it is after the table renames. */
  renamed: Rename[];
}

export type Rename =
  | { kind: 'table'; schema: string; old: string; name: string }
  | { kind: 'column'; schema: string; table: string; old: string; name: string };

export function applyMapping(from: SchemaModel, to: SchemaModel, mapping: Mapping): MappedModel {
  let model = from;
  const changes: Change[] = [];
  const renamed: Rename[] = [];
  for (const [key, name] of Object.entries(mapping.tables)) {
    const [schema, old] = splitTable(key) ?? [];
    const table = model.tables.find((t) => t.schema === schema && t.name === old);
    if (!table || model.tables.some((t) => t.schema === table.schema && t.name === name)) continue;
    model = renameTable(model, table, name);
    changes.push(tableRename(table, name, model));
    renamed.push({ kind: 'table', schema: table.schema, old: table.name, name });
  }
  const copies: TwinPair[] = [];
  for (const [key, renames] of Object.entries(mapping.columns)) {
    for (const [old, name] of Object.entries(renames)) {
      const [schema, tableName] = splitTable(key) ?? [];
      const table = model.tables.find((t) => t.schema === schema && t.name === tableName);
      const column = table?.columns.find((c) => c.name === old);
      if (!table || !column) continue;
      if (table.columns.some((c) => c.name === name)) {
        const pair = mappedCopy(table, old, name, to);
        if (pair) copies.push(pair);
        continue;
      }
      model = renameColumn(model, table, old, name);
      changes.push(columnRename(table, old, name));
      renamed.push({ kind: 'column', schema: table.schema, table: table.name, old, name });
    }
  }
  return { model, changes, copies, renamed };
}

function mappedCopy(table: Table, old: string, name: string, to: SchemaModel): TwinPair | undefined {
  const desired = to.tables.find((t) => t.id === table.id)?.columns.find((c) => c.name === name);
  const current = table.columns.find((c) => c.name === old);
  if (!desired || !current || desired.generated || desired.identity) return undefined;
  // The user said these are one column: an explicit cast where no safe one is known.
  return { table, old: current, target: desired, exists: true, cast: copyCast(current.type, desired.type) ?? `::${desired.type}` };
}

function tableRename(table: Table, name: string, model: SchemaModel): Change {
  const renamed = model.tables.find((t) => t.schema === table.schema && t.name === name) as Table;
  // Everything the table owns is reachable under the new name once this has run.
  const owned = [
    ...renamed.columns.map((c) => columnId(renamed.id, c.name)),
    ...model.constraints.filter((c) => c.table === renamed.id).map((c) => c.id),
    ...model.triggers.filter((t) => t.table === renamed.id).map((t) => t.id),
    ...model.policies.filter((p) => p.table === renamed.id).map((p) => p.id),
  ];
  const statement = alterStatement(`ALTER TABLE ${qualify(table.schema, table.name)} RENAME TO ${quoteIdent(name)}`, renamed.id, {
    creates: [renamed.id, ...owned],
    hazards: [tableRenamed(renamed.id, qualify(table.schema, table.name), name)],
  });
  return { id: renamed.id, kind: 'table', action: 'alter', details: [`renamed from ${table.name}`], statements: [statement] };
}

function columnRename(table: Table, old: string, name: string): Change {
  const id = columnId(table.id, name);
  const statement = alterStatement(renameColumnSql(qualify(table.schema, table.name), old, name), id, {
    creates: [id], needs: [table.id],
    hazards: [columnRenamed(id, qualify(table.schema, table.name), old, name)],
  });
  return { id, kind: 'column', action: 'alter', parent: table.id, details: [`renamed from ${old}`], statements: [statement] };
}

/** The RENAME of a column of `table` (qualified and quoted), as the plan writes it. */
export function renameColumnSql(table: string, old: string, name: string): string {
  return `ALTER TABLE ${table} RENAME COLUMN ${quoteIdent(old)} TO ${quoteIdent(name)}`;
}

/** CP-01 for a table renamed (`old` qualified and quoted) to `name`. */
export function tableRenamed(id: ObjectId, old: string, name: string): Hazard {
  return hazard('CP-01', id, `Renaming ${old} to ${quoteIdent(name)} breaks application versions still using the old name until they are replaced: keep a view under the old name over the new table for the length of the deploy, or deploy with the application stopped.`);
}

/** CP-01 for a column of `table` (qualified and quoted) renamed from `old` to `name`. */
export function columnRenamed(id: ObjectId, table: string, old: string, name: string): Hazard {
  return hazard('CP-01', id, `Renaming ${table}.${quoteIdent(old)} to ${quoteIdent(name)} breaks application versions still using the old name until they are replaced: to avoid it, add the new column, write both and copy, and drop the old one in a later release.`);
}

/**
 * Statements of the plain diff that name a renamed table or column must run after its RENAME:
 * a DROP CONSTRAINT on the renamed table, a comment on the renamed column.
 */
export function afterRenames(changes: Change[], renames: readonly Change[]): Change[] {
  const renamed = renames.map((r) => r.id);
  if (renamed.length === 0) return changes;
  const touches = (s: Statement, change: Change): ObjectId[] => renamed.filter((id) =>
    s.object === id || change.parent === id || (id.startsWith('table:') && underTable(s.object, id)));
  return changes.map((change) => ({
    ...change,
    statements: change.statements.map((s) => {
      const ids = touches(s, change).filter((id) => !(s.creates ?? []).includes(id));
      return ids.length ? { ...s, needs: [...new Set([...(s.needs ?? []), ...ids])] } : s;
    }),
  }));
}

/** Whether `id` is a column, constraint, trigger or policy of the table `table`. */
function underTable(id: ObjectId, table: ObjectId): boolean {
  const path = table.slice('table:'.length);
  return /^(column|constraint|trigger|policy):/.test(id) && id.slice(id.indexOf(':') + 1).startsWith(`${path}.`);
}

// ---------------------------------------------------------------------------------------------
// The from-model after the renames.

function renameTable(model: SchemaModel, table: Table, name: string): SchemaModel {
  const oldPath = table.id.slice('table:'.length);
  const newPath = qualify(table.schema, name);
  const id = (x: ObjectId): ObjectId => {
    if (x === table.id) return `table:${newPath}`;
    const m = /^(column|constraint|trigger|policy):/.exec(x);
    return m && x.startsWith(`${m[0]}${oldPath}.`) ? `${m[0]}${newPath}${x.slice(m[0].length + oldPath.length)}` : x;
  };
  const newId = id(table.id);
  // pg_get_*def prints the table schema-qualified unless its schema is on the search_path.
  const onTable = (def: string) => replaceRelation(def, table.schema, table.name, name);
  return {
    ...model,
    tables: model.tables.map((t) => ({
      ...t,
      ...(t.id === table.id ? { id: newId, name } : {}),
      ...(t.partitionOf ? { partitionOf: { ...t.partitionOf, parent: id(t.partitionOf.parent) } } : {}),
      ...(t.inherits ? { inherits: t.inherits.map(id) } : {}),
    })),
    constraints: model.constraints.map((c) => ({
      ...c, id: id(c.id), table: id(c.table),
      ...(c.foreignKey?.referencedTable === table.id
        ? { foreignKey: { ...c.foreignKey, referencedTable: newId }, definition: afterReferences(c.definition, onTable) }
        : {}),
    })),
    indexes: model.indexes.map((i) => (i.table === table.id
      ? { ...i, table: newId, ...(i.definition ? { definition: onTable(i.definition) } : {}) }
      : i)),
    triggers: model.triggers.map((t) => (t.table === table.id ? { ...t, id: id(t.id), table: newId, definition: onTable(t.definition) } : t)),
    policies: model.policies.map((p) => (p.table === table.id ? { ...p, id: id(p.id), table: newId } : p)),
    sequences: model.sequences.map((s) => (s.ownedBy?.table === table.id ? { ...s, ownedBy: { ...s.ownedBy, table: newId } } : s)),
    dependencies: model.dependencies.map((d) => ({ ...d, from: id(d.from), to: id(d.to) })),
  };
}

function renameColumn(model: SchemaModel, table: Table, old: string, name: string): SchemaModel {
  const oldId = columnId(table.id, old);
  const newId = columnId(table.id, name);
  const swap = (text: string) => replaceIdent(text, old, name);
  const list = (names: readonly string[]) => names.map((n) => (n === old ? name : n));
  return {
    ...model,
    tables: model.tables.map((t) => (t.id === table.id ? { ...t, columns: t.columns.map((c) => (c.name === old ? { ...c, name } : c)) } : t)),
    constraints: model.constraints.map((c) => renameInConstraint(c, table.id, swap, list)),
    indexes: model.indexes.map((i) => (i.table === table.id ? renameInIndex(i, swap) : i)),
    triggers: model.triggers.map((t) => (t.table === table.id ? renameInTrigger(t, swap, list) : t)),
    policies: model.policies.map((p) => (p.table === table.id ? renameInPolicy(p, swap) : p)),
    sequences: model.sequences.map((s) => (s.ownedBy?.table === table.id && s.ownedBy.column === old ? { ...s, ownedBy: { ...s.ownedBy, column: name } } : s)),
    dependencies: model.dependencies.map((d) => ({ ...d, from: d.from === oldId ? newId : d.from, to: d.to === oldId ? newId : d.to })),
  };
}

type Swap = (text: string) => string;

/** Own columns are named before REFERENCES, the referenced ones after it. */
function renameInConstraint(c: Constraint, table: ObjectId, swap: Swap, list: (n: readonly string[]) => string[]): Constraint {
  const own = c.table === table;
  const referenced = c.foreignKey?.referencedTable === table;
  if (!own && !referenced) return c;
  let definition = c.definition;
  if (c.foreignKey) {
    const at = definition.indexOf(' REFERENCES ');
    const head = definition.slice(0, at < 0 ? definition.length : at);
    const tail = at < 0 ? '' : definition.slice(at);
    definition = (own ? swap(head) : head) + (referenced ? swap(tail) : tail);
  } else {
    definition = swap(definition);
  }
  return {
    ...c, definition,
    ...(own ? { columns: list(c.columns) } : {}),
    ...(c.foreignKey && referenced ? { foreignKey: { ...c.foreignKey, referencedColumns: list(c.foreignKey.referencedColumns) } } : {}),
  };
}

function renameInIndex(i: Index, swap: Swap): Index {
  const def = i.definition;
  const at = def?.indexOf(' USING ') ?? -1;
  return {
    ...i, keys: i.keys.map(swap),
    ...(def !== undefined ? { definition: at < 0 ? swap(def) : def.slice(0, at) + swap(def.slice(at)) } : {}),
    ...(i.include ? { include: i.include.map(swap) } : {}),
    ...(i.predicate !== undefined ? { predicate: swap(i.predicate) } : {}),
  };
}

function renameInTrigger(t: Trigger, swap: Swap, list: (n: readonly string[]) => string[]): Trigger {
  return {
    ...t, definition: swap(t.definition),
    ...(t.updateColumns ? { updateColumns: list(t.updateColumns) } : {}),
    ...(t.when !== undefined ? { when: swap(t.when) } : {}),
  };
}

function renameInPolicy(p: Policy, swap: Swap): Policy {
  return { ...p, ...(p.using !== undefined ? { using: swap(p.using) } : {}), ...(p.withCheck !== undefined ? { withCheck: swap(p.withCheck) } : {}) };
}

/** Applies `f` to the part of a foreign key's definition from REFERENCES on. */
function afterReferences(definition: string, f: Swap): string {
  const at = definition.indexOf(' REFERENCES ');
  return at < 0 ? definition : definition.slice(0, at) + f(definition.slice(at));
}

/**
 * `ON public.t`, `REFERENCES t(` …: the relation `schema.old` or `old` after ON or REFERENCES
 * (ONLY included) becomes `new`, keeping whether it was qualified.
 */
function replaceRelation(text: string, schema: string, old: string, name: string): string {
  const re = new RegExp(`( (?:ON|REFERENCES) (?:ONLY )?)(${escape(printed(schema))}\\.)?${escape(printed(old))}(?=[\\s(]|$)`, 'g');
  return text.replace(re, (_m, head: string, qualifier: string | undefined) => `${head}${qualifier ?? ''}${printed(name)}`);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Every occurrence of the identifier `old` (bare or quoted, outside string literals) becomes
 * `name`, printed the way PostgreSQL prints identifiers.
 */
export function replaceIdent(text: string, old: string, name: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === "'") {
      const end = endOfQuoted(text, i, "'");
      out += text.slice(i, end);
      i = end;
    } else if (ch === '"') {
      const end = endOfQuoted(text, i, '"');
      const ident = text.slice(i + 1, end - 1).replace(/""/g, '"');
      out += ident === old ? printed(name) : text.slice(i, end);
      i = end;
    } else if (/[A-Za-z_]/.test(ch) && !/[A-Za-z0-9_$]/.test(text[i - 1] ?? '')) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i))?.[0] ?? ch;
      out += word === old && printed(old) === old ? printed(name) : word;
      i += word.length;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

function endOfQuoted(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i += 1;
    }
  }
  return text.length;
}

// Keywords quote_ident quotes (every category but unreserved), as far as they are plausible names.
const KEYWORDS = new Set(`all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean
  both case cast char character check coalesce collate collation column concurrently constraint create cross current_catalog
  current_date current_role current_schema current_time current_timestamp current_user dec decimal default deferrable desc
  distinct do else end except exists extract false fetch float for foreign freeze from full grant greatest group grouping
  having ilike in initially inner inout int integer intersect interval into is isnull join lateral leading least left like
  limit localtime localtimestamp national natural nchar none normalize not notnull null nullif numeric offset on only or
  order out outer overlaps overlay placing position precision primary real references returning right row select
  session_user setof similar smallint some substring symmetric system_user table tablesample then time timestamp to
  trailing treat trim true union unique user using values varchar variadic verbose when where window with`.split(/\s+/));

/** An identifier as quote_ident prints it: bare when it is lower case and not a keyword. */
export function printed(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !KEYWORDS.has(name) ? name : quoteIdent(name);
}
