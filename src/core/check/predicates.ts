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

/**
 * How a row is shown in samples: `parent_id=7`, `id=17, code='x'` (quote_nullable, so NULL and
 * text are told apart), as the plan's probes show them. `columns` are quoted names, `names` the
 * same names unquoted; no columns (a table without primary key): the whole row as text.
 */
export function rowSample(columns: readonly string[], names: readonly string[]): string {
  if (columns.length === 0) return 't';
  return `concat_ws(', ', ${columns.map((c, i) => `${literal(`${displayIdent(names[i] ?? '')}=`)} || quote_nullable((t.${c})::text)`).join(', ')})`;
}
