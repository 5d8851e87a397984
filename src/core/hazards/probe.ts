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
  /**
   * All the probes of one plan together, in milliseconds: a probe gets at most what is left, and
   * what cannot run within it stays unmeasured ("probe budget spent"). Default 30 s.
   */
  budgetMs?: number;
  /**
   * An exact duplicate search (FL-05, a GROUP BY over the key) starts only when the planner expects
   * it to read at most this many rows. Default 1,000,000.
   */
  groupRowsMax?: number;
}

export const DEFAULT_PROBE_LIMITS: ProbeLimits = { statementMs: 3000, lockMs: 500, countCap: 10000, budgetMs: 30000, groupRowsMax: 1_000_000 };

export type ProbeResult<R> = { rows: R[] } | { unknown: 'timed out' | 'table locked' };

/** Settings for one probe's transaction only, by name (planner settings a scan needs). */
export type ProbeSettings = Readonly<Record<string, string>>;

export async function probe<R extends object>(q: Queryable, what: string, sql: string, limits: ProbeLimits, settings: ProbeSettings = {}): Promise<ProbeResult<R>> {
  await q.query('BEGIN READ ONLY');
  try {
    await setLocal(q, limits, settings);
    const result = await q.query<R>(sql);
    await q.query('COMMIT');
    return { rows: result.rows };
  } catch (error) {
    await q.query('ROLLBACK').catch(() => undefined);
    return unanswered(error, what);
  }
}

/**
 * A probe that needs objects of its own first (the try-cast function of PostgreSQL 13–15):
 * BEGIN (writable, because CREATE FUNCTION is a write; a READ ONLY transaction refuses even a
 * temporary object), the harness's timeouts, the setup, the query, then ROLLBACK, so nothing stays
 * behind. Without setup it is the plain READ ONLY probe.
 */
export async function probeWritable<R extends object>(
  q: Queryable, what: string, setup: readonly string[], sql: string, limits: ProbeLimits, settings: ProbeSettings = {},
): Promise<ProbeResult<R>> {
  if (setup.length === 0) return probe<R>(q, what, sql, limits, settings);
  await q.query('BEGIN');
  try {
    await setLocal(q, limits, settings);
    for (const statement of setup) await q.query(statement);
    const result = await q.query<R>(sql);
    return { rows: result.rows };
  } catch (error) {
    return unanswered(error, what);
  } finally {
    await q.query('ROLLBACK').catch(() => undefined);
  }
}

/**
 * The timeouts and `settings` for this transaction only, in one statement: set_config(…, true) is
 * SET LOCAL as a function, so a probe costs BEGIN, this, the query and COMMIT, whatever it sets.
 * Round trips, not the server's work, dominate the probes of a plan whose tables are small.
 */
async function setLocal(q: Queryable, limits: ProbeLimits, settings: ProbeSettings): Promise<void> {
  const pairs: [string, string][] = [
    // statement_timeout = 0 would mean no timeout at all.
    ['statement_timeout', String(Math.max(1, Math.round(limits.statementMs)))],
    ['lock_timeout', String(Math.round(limits.lockMs))],
    ...Object.entries(settings),
  ];
  await q.query(`SELECT ${pairs.map(([name, value]) => `set_config(${literal(name)}, ${literal(value)}, true)`).join(', ')}`);
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** SQLSTATE 57014 (statement timeout) and 55P03 (lock timeout) are answers; anything else is an error. */
function unanswered(error: unknown, what: string): { unknown: 'timed out' | 'table locked' } {
  const code = (error as { code?: string }).code;
  if (code === '57014') return { unknown: 'timed out' };
  if (code === '55P03') return { unknown: 'table locked' };
  throw new PgdriftError('query-failed', `measuring ${what}: ${messageOf(error)}`, { cause: error });
}
