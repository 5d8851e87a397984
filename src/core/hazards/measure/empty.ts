/**
 * Tables with no rows at all, found with one catalog query for every table a plan probes, so their
 * questions are answered without a scan each (a schema's many empty tables would otherwise cost a
 * probe transaction apiece).
 *
 * A heap with zero blocks holds no tuple, committed or not: an INSERT, even one still in progress
 * or rolled back, extends the file first. pg_relation_size reads the file's length, not the
 * planner's statistics (relpages and reltuples can be stale or unset), so it cannot call a table
 * with rows empty. Only ordinary tables and materialized views have their rows in their own heap: a
 * partitioned table's size is always 0 and its rows live in its partitions, and a foreign table
 * has no local storage, so neither is ever taken as empty here.
 */
import type { MeasureContext } from './bounded';
import { budgetedProbe } from './budget';

/** The names (as written in the questions) of those `tables` whose heap is empty; none when the query cannot answer. */
export async function emptyTables(tables: readonly string[], ctx: MeasureContext): Promise<Set<string>> {
  if (tables.length === 0) return new Set();
  const names = tables.map((t) => `'${t.replace(/'/g, "''")}'`).join(', ');
  // to_regclass gives NULL for a name that does not resolve, which simply stays unanswered here.
  const sql = `SELECT t.name FROM unnest(ARRAY[${names}]::text[]) AS t(name) JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(t.name)
    WHERE c.relkind IN ('r', 'm') AND pg_catalog.pg_relation_size(c.oid) = 0`;
  // pg_relation_size opens the table (ACCESS SHARE): behind someone's ACCESS EXCLUSIVE lock the
  // probe's lock_timeout answers "table locked", and every table is then scanned as before.
  try {
    const r = await budgetedProbe<{ name: string }>(ctx, 'which tables are empty', sql);
    return 'unknown' in r ? new Set() : new Set(r.rows.map((row) => row.name));
  } catch {
    // A refusal here is no answer either: the scans ask again and report their own errors.
    return new Set();
  }
}
