/**
 * The SQL a probe runs for a new constraint: predicates over the checked table (alias `t`) that
 * select exactly the rows PostgreSQL would reject, and what to show of them.
 */
import { literal } from '../diff/sql';
import { displayIdent } from '../render/objectName';

/**
 * Rows whose foreign key has no parent row. MATCH SIMPLE (the default) ignores a row as soon as
 * one key column is NULL; MATCH FULL rejects a partly NULL key and ignores only an all-NULL one.
 * `parent` undefined means the parent table is created by the file (empty when the FK is added):
 * then every row with a key fails.
 */
export function orphanPredicate(
  columns: readonly string[], parent: { table: string; columns: readonly string[] } | undefined, matchFull: boolean,
): string {
  const allSet = columns.map((c) => `t.${c} IS NOT NULL`).join(' AND ');
  const missing = parent
    ? `NOT EXISTS (SELECT 1 FROM ${parent.table} p WHERE ${columns.map((c, i) => `p.${parent.columns[i] ?? c} = t.${c}`).join(' AND ')})`
    : 'true';
  if (!matchFull || columns.length === 1) return `${allSet} AND ${missing}`;
  const anySet = columns.map((c) => `t.${c} IS NOT NULL`).join(' OR ');
  return `(${anySet}) AND NOT (${allSet} AND NOT (${missing}))`;
}

/** The key of a row as a sample: `42`, `(1,2)`. */
export function keySample(columns: readonly string[]): string {
  return columns.length === 1 ? `t.${columns[0]}` : `ROW(${columns.map((c) => `t.${c}`).join(', ')})`;
}

/**
 * How a row that fails a CHECK is shown: its primary key (`id=17`), or the whole row as text when
 * the table has none. `key` holds quoted column names; `names` the same names unquoted.
 */
export function rowSample(key: readonly string[], names: readonly string[]): string {
  if (key.length === 0) return 't';
  return `concat_ws(', ', ${key.map((c, i) => `${literal(`${displayIdent(names[i] ?? '')}=`)} || t.${c}`).join(', ')})`;
}
