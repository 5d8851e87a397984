/**
 * Twin columns (HAZARDS.md DL-05, R-CASE-MERGE): two columns of one table whose names differ only
 * by case or by snake_case against camelCase (`companyid`, `company_id`, `"companyId"`). PostgreSQL
 * folds unquoted names to lower case, so such pairs are usually one column that an ORM re-created
 * under its quoted name. The plain diff would drop the old one with its values; this pass copies
 * the values into the kept twin first:
 *   add the new column (nullable while it is still empty) → copy (migrate-data) → SET NOT NULL →
 *   drop the old twin (contract, DL-05).
 * The same copy serves a mapping-file rename whose both names already exist in from (renames.ts).
 */
import type { Column, ObjectId, SchemaModel, Table } from '../model/types';
import type { Change, Statement } from '../plan/types';
import { hazard, type Hazard, type ProbeTarget } from '../hazards/types';
import { addColumn, dropColumn } from './columns';
import { columnId, type DiffContext } from './context';
import { alterStatement } from './kind';
import { nameOfId, qualify, quoteIdent } from './sql';

export interface TwinPair {
  table: Table;
  old: Column;
  /** The kept column in its desired form. */
  target: Column;
  /** Whether the kept column already exists in from (case b) or is added by the plan (case a). */
  exists: boolean;
  /** The cast appended to the old column in the copy ('' when the types are equal). */
  cast: string;
}

/** `companyid`, `company_id`, `companyId` and `CompanyID` all fold to `companyid`. */
export function foldName(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}

const TEXT_TYPES = /^(text|character varying(\(\d+\))?|character(\(\d+\))?)$/;
const INTEGER_WIDTH: Record<string, number> = { smallint: 2, integer: 4, bigint: 8 };

/**
 * The cast a copy from `from` into `to` needs, or undefined when the types are not close enough
 * to call the two columns one: equal types, the same type with another typmod (varchar(40) →
 * varchar(80), numeric(10,2) → numeric), text types among themselves, integers widening (or into
 * numeric). An assignment cast that could fail or change the meaning (text → uuid, timestamp →
 * timestamptz, which reads values in the session time zone) does not make twins.
 */
export function copyCast(from: string, to: string): string | undefined {
  if (from === to) return '';
  const base = (t: string) => t.replace(/\(.*\)$/, '');
  if (!from.endsWith(']') && base(from) === base(to)) return `::${to}`;
  if (TEXT_TYPES.test(from) && TEXT_TYPES.test(to)) return `::${to}`;
  const a = INTEGER_WIDTH[from];
  const b = INTEGER_WIDTH[to];
  if (a !== undefined && ((b !== undefined && b > a) || base(to) === 'numeric')) return `::${to}`;
  return undefined;
}

/** A column whose values can be written by UPDATE and are not derived from others. */
function plain(c: Column | undefined): c is Column {
  return c !== undefined && !c.generated && !c.identity && !c.inherited;
}

/** The pair `old` → `target` if they can be one column's two names (types close, both plain). */
export function twinPair(table: Table, old: Column | undefined, target: Column | undefined, exists: boolean): TwinPair | undefined {
  if (!plain(old) || !plain(target)) return undefined;
  const cast = copyCast(old.type, target.type);
  return cast === undefined ? undefined : { table, old, target, exists, cast };
}

/**
 * Twins found by name in every table present on both sides: (a) from has only the old twin, the
 * desired state only the new one; (b) from has both, the desired state keeps one. A folded name
 * shared by three columns, or by two on each side, is ambiguous and left to the plain diff.
 */
export function findTwins(from: SchemaModel, to: SchemaModel): TwinPair[] {
  const desired = new Map(to.tables.map((t) => [t.id, t]));
  const out: TwinPair[] = [];
  for (const a of from.tables) {
    const b = desired.get(a.id);
    if (!b) continue;
    const before = groupByFold(a.columns);
    const after = groupByFold(b.columns);
    for (const [folded, olds] of before) {
      const news = after.get(folded) ?? [];
      const pair = pairIn(b, olds, news);
      if (pair) out.push(pair);
    }
  }
  return out;
}

function groupByFold(columns: readonly Column[]): Map<string, Column[]> {
  const out = new Map<string, Column[]>();
  for (const c of columns) out.set(foldName(c.name), [...(out.get(foldName(c.name)) ?? []), c]);
  return out;
}

function pairIn(table: Table, olds: readonly Column[], news: readonly Column[]): TwinPair | undefined {
  if (news.length !== 1) return undefined;
  const target = news[0] as Column;
  if (olds.length === 1) {
    const old = olds[0] as Column;
    return old.name === target.name ? undefined : twinPair(table, old, target, false);
  }
  if (olds.length === 2) {
    const kept = olds.find((c) => c.name === target.name);
    const old = olds.find((c) => c.name !== target.name);
    return kept ? twinPair(table, old, target, true) : undefined;
  }
  return undefined;
}

/** A pseudo object: the kept twin holds the copied values (SET NOT NULL and the drop wait for it). */
export function copiedId(column: ObjectId): ObjectId {
  return `data:${column}`;
}

/** The remedy the DL-05 hazard carries. */
export function copyRemedy(target: string): string {
  return `copied into ${quoteIdent(target)} before the drop`;
}

/**
 * Replaces the plain changes of each pair's two columns: the old twin's DROP (DL-02) becomes a
 * copy-then-drop (DL-05); the new twin's ADD is made nullable until the copy has run.
 */
export function applyTwins(changes: Change[], pairs: readonly TwinPair[], ctx: DiffContext): Change[] {
  let out = changes;
  for (const pair of pairs) out = applyTwin(out, pair, ctx);
  return out;
}

function applyTwin(changes: Change[], pair: TwinPair, ctx: DiffContext): Change[] {
  const { table } = pair;
  const oldId = columnId(table.id, pair.old.name);
  const newId = columnId(table.id, pair.target.name);
  const dropIndex = changes.findIndex((c) => c.id === oldId && c.action === 'drop');
  if (dropIndex < 0) return changes;
  const out = changes.filter((c) => !(c.id === oldId && c.action === 'drop') && !(c.id === newId && c.action === 'create' && !pair.exists));
  const kept = out.findIndex((c) => c.id === newId);
  const statements = copyStatements(pair, ctx);
  if (kept >= 0 && pair.exists) {
    const change = out[kept] as Change;
    out[kept] = { ...change, details: [...change.details, `values copied from ${pair.old.name}`], statements: [...change.statements.filter((s) => !setsNotNull(s)), ...statements, ...deferNotNull(change.statements, pair)] };
  } else {
    out.push({ id: newId, kind: 'column', action: pair.exists ? 'alter' : 'create', parent: table.id, details: [pair.target.type, `values copied from ${pair.old.name}`], statements });
  }
  out.push({ id: oldId, kind: 'column', action: 'drop', parent: table.id, details: [pair.old.type, `copied into ${pair.target.name} first`], statements: [dropTwin(pair, ctx)] });
  return out;
}

function tableName(table: Table): string {
  return qualify(table.schema, table.name);
}

/** ADD (case a), the copy, and SET NOT NULL once the copy has filled the column. */
function copyStatements(pair: TwinPair, ctx: DiffContext): Statement[] {
  const { table, old, target } = pair;
  const newId = columnId(table.id, target.name);
  const from = quoteIdent(old.name);
  // Existing rows get NULL in a new column without a default: NOT NULL must wait for the copy.
  const deferred = !pair.exists && target.notNull && target.default === undefined;
  const out: Statement[] = pair.exists ? [] : addColumn(table, deferred ? { ...target, notNull: false } : target, ctx);
  out.push(alterStatement(twinCopySql(pair), newId, {
    phase: 'migrate-data', needs: [newId], holds: [columnId(table.id, old.name)], creates: [copiedId(newId)],
  }));
  if (deferred) out.push(setNotNull(pair, `t.${from} IS NULL`));
  return out;
}

/** The copy of the old twin's values into the kept one, before the old one is dropped. */
export function twinCopySql(pair: TwinPair): string {
  const from = quoteIdent(pair.old.name);
  const into = quoteIdent(pair.target.name);
  // A new column with a default holds that default in every existing row (ADD COLUMN fills
  // them), so the old values overwrite it; otherwise only the rows still NULL are filled.
  const where = !pair.exists && pair.target.default !== undefined ? `${from} IS NOT NULL` : `${into} IS NULL AND ${from} IS NOT NULL`;
  return `UPDATE ${tableName(pair.table)} SET ${into} = ${from}${pair.cast} WHERE ${where}`;
}

function setNotNull(pair: TwinPair, nullsWhere: string): Statement {
  const { table, target } = pair;
  const newId = columnId(table.id, target.name);
  const into = quoteIdent(target.name);
  return alterStatement(`ALTER TABLE ${tableName(table)} ALTER COLUMN ${into} SET NOT NULL`, newId, {
    phase: 'migrate-data', needs: [newId, copiedId(newId)],
    hazards: [
      hazard('FL-02', newId, `SET NOT NULL on ${nameOfId(table.id)}.${target.name} fails where ${pair.old.name} held no value to copy.`, { table: tableName(table), column: into, where: nullsWhere }),
      hazard('LK-04', table.id, `SET NOT NULL on ${target.name} scans ${nameOfId(table.id)} under ACCESS EXCLUSIVE.`),
    ],
  });
}

/** The plain diff's SET NOT NULL: the statement that carries FL-02. */
function setsNotNull(s: Statement): boolean {
  return Boolean(s.hazards?.some((h) => h.code === 'FL-02'));
}

/**
 * Case b: the kept column exists and the plain diff may make it NOT NULL in expand, before the
 * copy has filled it. That statement moves after the copy, and counts
 * the rows where neither twin has a value.
 */
function deferNotNull(statements: readonly Statement[], pair: TwinPair): Statement[] {
  const newId = columnId(pair.table.id, pair.target.name);
  const nulls = `t.${quoteIdent(pair.target.name)} IS NULL AND t.${quoteIdent(pair.old.name)} IS NULL`;
  return statements.filter(setsNotNull).map((s): Statement => ({
    ...s, phase: 'migrate-data', needs: [...(s.needs ?? []), copiedId(newId)],
    hazards: (s.hazards ?? []).map((h) => (h.code === 'FL-02' && h.target ? { ...h, target: { ...h.target, where: nulls } } : h)),
  }));
}

function dropTwin(pair: TwinPair, ctx: DiffContext): Statement {
  const { table, old, target } = pair;
  const plainDrop = dropColumn(table, old, ctx);
  const newId = columnId(table.id, target.name);
  const dl05: Hazard = {
    ...hazard('DL-05', plainDrop.object,
      `${nameOfId(table.id)}.${old.name} and ${target.name} are one column under two names; its values are copied into ${quoteIdent(target.name)} before the drop.`,
      twinTarget(pair, ctx)),
    remedy: copyRemedy(target.name),
  };
  return {
    ...plainDrop,
    needs: [...(plainDrop.needs ?? []), copiedId(newId)],
    hazards: [...(plainDrop.hazards ?? []).filter((h) => h.code !== 'DL-02'), dl05],
  };
}

/** The old twin's values: what the copy carries over, and what a backup would save. */
function twinTarget(pair: TwinPair, ctx: DiffContext): ProbeTarget {
  const column = quoteIdent(pair.old.name);
  const key = primaryKey(pair.table.id, ctx.from.model);
  return { table: tableName(pair.table), column, where: `t.${column} IS NOT NULL`, copyInto: quoteIdent(pair.target.name), ...(key ? { key } : {}) };
}

/** The primary-key columns of a table, quoted, when it has one. */
export function primaryKey(table: ObjectId, model: SchemaModel): string[] | undefined {
  const pk = model.constraints.find((c) => c.table === table && c.kind === 'primary key');
  return pk ? pk.columns.map(quoteIdent) : undefined;
}
