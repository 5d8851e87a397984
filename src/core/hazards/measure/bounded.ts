/**
 * The pieces every measurement shares (HAZARDS.md §1): counts bounded by `LIMIT cap + 1` and
 * labelled "N+" when they reach the cap, samples as text cut at 200 characters, and the generic
 * probe "how many rows match this predicate, and what do a few of them look like".
 */
import type { Queryable } from '../../db/queryable';
import { probe, type ProbeLimits } from '../probe';
import type { BoundedCount, Hazard, ProbeTarget } from '../types';

export interface MeasureContext {
  q: Queryable;
  limits: ProbeLimits;
  /** server_version_num of the from-database: some exact methods need PostgreSQL 16. */
  serverVersionNum: number;
}

/** Measures one hazard; returns it with evidence and an exact message, or unchanged. */
export type Measure = (h: Hazard, ctx: MeasureContext) => Promise<Hazard>;

/** `(SELECT count(*) … LIMIT cap + 1)`: the count of rows of `table t` matching `where`, bounded. */
export function boundedCountSql(table: string, where: string | undefined, cap: number): string {
  return `(SELECT count(*) FROM (SELECT 1 FROM ${table} t${where ? ` WHERE ${where}` : ''} LIMIT ${cap + 1}) s)::int`;
}

/** Up to five distinct sample texts among the first 50 matching rows, in text order. */
export function samplesSql(table: string, where: string | undefined, sample: string): string {
  return `ARRAY(SELECT DISTINCT v FROM (SELECT left((${sample})::text, 200) AS v FROM ${table} t${where ? ` WHERE ${where}` : ''} LIMIT 50) s ORDER BY v LIMIT 5)`;
}

export interface RowsFound {
  rows: BoundedCount;
  matching: BoundedCount;
  samples: string[];
}

/**
 * Rows of the target table, the rows matching `where` (bounded), and samples of `sample` among
 * them; or the reason the probe could not answer.
 */
export async function measureRows(
  target: ProbeTarget, where: string, sample: string, what: string, ctx: MeasureContext,
): Promise<RowsFound | { unknown: 'timed out' | 'table locked' }> {
  const cap = ctx.limits.countCap;
  const r = await probe<{ n: number; m: number; samples: string[] }>(ctx.q, what,
    `SELECT ${boundedCountSql(target.table, undefined, cap)} AS n, ${boundedCountSql(target.table, where, cap)} AS m,
      ${samplesSql(target.table, where, sample)} AS samples`, ctx.limits);
  if ('unknown' in r) return r;
  const row = r.rows[0];
  return { rows: count(row?.n ?? 0, cap), matching: count(row?.m ?? 0, cap), samples: row?.samples ?? [] };
}

export function count(n: number, cap: number): BoundedCount {
  return n > cap ? { value: cap, capped: true } : { value: n, capped: false };
}

/** "2", "10,000+". */
export function show(c: BoundedCount): string {
  return c.capped ? `${c.value.toLocaleString('en-US')}+` : c.value.toLocaleString('en-US');
}

/** "s" unless exactly one. */
export function plural(c: BoundedCount): string {
  return c.value === 1 && !c.capped ? '' : 's';
}

/** A sample as a SQL string literal, as users would type it. */
export function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
