/**
 * The probe harness (HAZARDS.md §1): every probe runs in its own short READ ONLY transaction with
 * a statement timeout and a lock timeout, so measuring production can neither change it nor queue
 * behind someone's DDL. A timeout is an answer ("unknown"), not an error: the hazard then stands
 * unmeasured rather than being cleared.
 */
import type { Queryable } from '../db/queryable';
import { PgdriftError, messageOf } from '../errors';

export interface ProbeLimits {
  /** statement_timeout per probe, in milliseconds. */
  statementMs: number;
  /** lock_timeout per probe, in milliseconds. */
  lockMs: number;
  /** Counts stop here (and say so): LIMIT cap + 1 inside the count. */
  countCap: number;
}

export const DEFAULT_PROBE_LIMITS: ProbeLimits = { statementMs: 3000, lockMs: 500, countCap: 10000 };

export type ProbeResult<R> = { rows: R[] } | { unknown: 'timed out' | 'table locked' };

export async function probe<R extends object>(q: Queryable, what: string, sql: string, limits: ProbeLimits): Promise<ProbeResult<R>> {
  await q.query('BEGIN READ ONLY');
  try {
    await q.query(`SET LOCAL statement_timeout = ${Math.round(limits.statementMs)}`);
    await q.query(`SET LOCAL lock_timeout = ${Math.round(limits.lockMs)}`);
    const result = await q.query<R>(sql);
    await q.query('COMMIT');
    return { rows: result.rows };
  } catch (error) {
    await q.query('ROLLBACK').catch(() => undefined);
    const code = (error as { code?: string }).code;
    if (code === '57014') return { unknown: 'timed out' };
    if (code === '55P03') return { unknown: 'table locked' };
    throw new PgdriftError('query-failed', `measuring ${what}: ${messageOf(error)}`, { cause: error });
  }
}
