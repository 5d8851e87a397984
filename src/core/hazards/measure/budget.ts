/**
 * One time budget for all the probes of a plan (HAZARDS.md §1.1: "give the whole plan a budget").
 * Each probe's statement_timeout is cut to what the budget has left, so the probes of a plan
 * together never run much longer than the budget, however many hazards it carries. A probe the
 * budget cut short, or one there was no time left to start, answers "probe budget spent": its
 * hazard stays unmeasured and blocking, exactly like a probe that timed out.
 */
import type { Queryable } from '../../db/queryable';
import { probeWritable, type ProbeLimits, type ProbeSettings } from '../probe';
import type { Evidence } from '../types';

export type Unmeasured = NonNullable<Evidence['unknown']>;

export const DEFAULT_BUDGET_MS = 30_000;

export class ProbeBudget {
  private readonly start: number;

  constructor(readonly totalMs: number, private readonly now: () => number = () => performance.now()) {
    this.start = now();
  }

  remainingMs(): number {
    return this.totalMs - (this.now() - this.start);
  }

  spent(): boolean {
    return this.remainingMs() <= 0;
  }
}

export interface BudgetedProbe {
  q: Queryable;
  limits: ProbeLimits;
  budget: ProbeBudget;
}

/**
 * Runs one probe under the budget: not at all when nothing is left, else with its statement
 * timeout (`statementMs`, default the harness's) cut to the time remaining. A timeout that only
 * the cut caused is reported as the budget's, not as the probe's own.
 */
export async function budgetedProbe<R extends object>(
  ctx: BudgetedProbe, what: string, sql: string, options: { statementMs?: number; setup?: readonly string[]; settings?: ProbeSettings } = {},
): Promise<{ rows: R[] } | { unknown: Unmeasured }> {
  const own = options.statementMs ?? ctx.limits.statementMs;
  const remaining = ctx.budget.remainingMs();
  if (remaining <= 0) return { unknown: 'probe budget spent' };
  const cut = remaining < own;
  const r = await probeWritable<R>(ctx.q, what, options.setup ?? [], sql, { ...ctx.limits, statementMs: cut ? remaining : own }, options.settings);
  if ('unknown' in r && r.unknown === 'timed out' && cut) return { unknown: 'probe budget spent' };
  return r;
}

/** The harness limits with the statement timeout cut to the budget (for measures that call probe() themselves). */
export function budgetedLimits(ctx: BudgetedProbe): ProbeLimits {
  return { ...ctx.limits, statementMs: Math.max(1, Math.min(ctx.limits.statementMs, ctx.budget.remainingMs())) };
}
