/**
 * The rows of many tables, each count bounded (it stops at cap + 1, so it is quick on any table),
 * several tables to a probe: one READ ONLY transaction for twenty small counts instead of one
 * each. A group that times out or meets a lock is counted again table by table, so one locked
 * table leaves the others counted.
 */
import type { Queryable } from '../../db/queryable';
import { probe, type ProbeLimits } from '../probe';
import type { BoundedCount } from '../types';
import { boundedCountSql, count } from './bounded';

const GROUP = 20;

/** One bounded count per table (a qualified, quoted name), or undefined where the probe could not answer. */
export async function boundedRowCounts(q: Queryable, tables: readonly string[], limits: ProbeLimits): Promise<(BoundedCount | undefined)[]> {
  const out: (BoundedCount | undefined)[] = [];
  for (let at = 0; at < tables.length; at += GROUP) {
    const group = tables.slice(at, at + GROUP);
    const counted = await countGroup(q, group, limits);
    if (counted) out.push(...counted);
    else for (const table of group) out.push(group.length === 1 ? undefined : (await countGroup(q, [table], limits))?.[0]);
  }
  return out;
}

async function countGroup(q: Queryable, tables: readonly string[], limits: ProbeLimits): Promise<BoundedCount[] | undefined> {
  const what = tables.length === 1 ? `the rows of ${tables[0] ?? ''}` : `the rows of ${tables.length} tables`;
  const sql = `SELECT ${tables.map((t, i) => `${boundedCountSql(t, undefined, limits.countCap)} AS n${i}`).join(', ')}`;
  const r = await probe<Record<string, number>>(q, what, sql, limits);
  if ('unknown' in r) return undefined;
  const row = r.rows[0] ?? {};
  return tables.map((_, i) => count(Number(row[`n${i}`] ?? 0), limits.countCap));
}
