/**
 * Reading rows for the sync: one read-only REPEATABLE READ transaction per side, so every table of
 * a side is read from the same snapshot. Values are read as `::text` under settings pinned for
 * the transaction, identical on both sides, so the same value prints the same text on either:
 * TimeZone UTC (timestamptz prints its instant in UTC with "+00"), DateStyle ISO, IntervalStyle
 * postgres, bytea in hex, extra_float_digits 3 (floats print exactly, as PostgreSQL 12+ does for
 * any positive setting), search_path pg_catalog (regclass and similar print qualified).
 */
import type { Queryable } from '../db/queryable';
import { PgdriftError, messageOf } from '../errors';
import { quoteIdent } from '../model/ids';

export type TextRow = (string | null)[];

export async function inReadOnlySnapshot<T>(q: Queryable, where: string, work: () => Promise<T>): Promise<T> {
  try {
    await q.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    for (const setting of ["TimeZone = 'UTC'", "DateStyle = 'ISO, YMD'", "IntervalStyle = 'postgres'", "bytea_output = 'hex'", 'extra_float_digits = 3', 'search_path = pg_catalog']) {
      await q.query(`SET LOCAL ${setting}`);
    }
  } catch (error) {
    await q.query('ROLLBACK').catch(() => undefined);
    throw new PgdriftError('query-failed', `starting a read-only transaction on ${where}: ${messageOf(error)}`, { cause: error });
  }
  try {
    const result = await work();
    await q.query('COMMIT');
    return result;
  } catch (error) {
    await q.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

export async function countRows(q: Queryable, table: string): Promise<number> {
  const r = await q.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(r.rows[0]?.n ?? 0);
}

/** The columns of every row as text, in primary-key order. */
export async function readRows(q: Queryable, table: string, columns: readonly string[], key: readonly string[]): Promise<TextRow[]> {
  const list = columns.map((c, i) => `${quoteIdent(c)}::text AS c${i}`).join(', ');
  const r = await q.query<Record<string, string | null>>(`SELECT ${list} FROM ${table} ORDER BY ${key.map(quoteIdent).join(', ')}`);
  return r.rows.map((row) => columns.map((_, i) => row[`c${i}`] ?? null));
}
