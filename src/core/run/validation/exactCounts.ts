/**
 * Exact row counts of many tables, by count(*) in UNION ALL queries of a few tables each: one
 * round trip per group instead of per table. Measured on PostgreSQL 15 over a local socket with
 * 300 small tables: one statement per table ~100-200 ms, groups of 20 ~20-60 ms, groups of 100
 * ~500-700 ms (planning a wide UNION ALL grows faster than its width).
 */
import type { Queryable } from '../../db/queryable';

const TABLES_PER_QUERY = 20;

/** count(*) of each table, in the order given; `tables` are quoted, qualified names. */
export async function exactCounts(q: Queryable, tables: readonly string[]): Promise<number[]> {
  const counts: number[] = [];
  for (let i = 0; i < tables.length; i += TABLES_PER_QUERY) {
    const group = tables.slice(i, i + TABLES_PER_QUERY);
    const sql = group.map((t, k) => `SELECT ${k} AS k, count(*)::text AS n FROM ${t}`).join(' UNION ALL ');
    for (const r of (await q.query<{ k: number; n: string }>(sql)).rows) counts[i + r.k] = Number(r.n);
  }
  return counts;
}
