/**
 * Measured hazards: what each statement would destroy or reject, counted on the from-database
 * before anything runs. One measure per hazard code, each in the file of its family; a code
 * without one keeps its static message. Every probe runs in the harness of probe.ts, and all the
 * probes of a plan share one time budget (budget.ts).
 *
 * Three steps, so that each table is read once for all its hazards:
 * 1. each measure looks at the catalog (a proving unique index, whether a type exists) and either
 *    finishes or asks questions about the rows of its table;
 * 2. the questions are answered, one scan per table (answer.ts, scan.ts);
 * 3. each measure turns its answers into evidence and an exact message; a measure that needs a
 *    probe of another shape (FL-05's duplicate search) runs it now, after every scan.
 */
import type { Queryable } from '../../db/queryable';
import type { Plan } from '../../plan/types';
import { DEFAULT_PROBE_LIMITS, type ProbeLimits } from '../probe';
import type { Hazard, HazardCode } from '../types';
import { answerAll } from './answer';
import { isAsked, type Asked, type Measure, type MeasureContext } from './bounded';
import { DEFAULT_BUDGET_MS, ProbeBudget, budgetedLimits } from './budget';
import { CAST_MEASURES } from './casts';
import { CONSTRAINT_MEASURES } from './constraints';
import { DROP_MEASURES } from './drops';
import { DUPLICATE_MEASURES } from './duplicates';
import { TWIN_MEASURES } from './twins';

const MEASURES: Partial<Record<HazardCode, Measure>> = {
  ...DROP_MEASURES,
  ...CAST_MEASURES,
  ...TWIN_MEASURES,
  ...CONSTRAINT_MEASURES,
  ...DUPLICATE_MEASURES,
};

/**
 * `now` is the clock the budget reads (milliseconds); tests pass one that advances as they say, so
 * exhausting the budget never depends on how fast the machine is.
 */
export async function measureHazards(plan: Plan, from: Queryable, limits: ProbeLimits = DEFAULT_PROBE_LIMITS, now?: () => number): Promise<Plan> {
  if (!plan.statements.some((s) => s.hazards?.some((h) => h.target))) return plan;
  const version = await from.query<{ v: number }>(`SELECT current_setting('server_version_num')::int AS v`);
  const budget = new ProbeBudget(limits.budgetMs ?? DEFAULT_BUDGET_MS, now);
  const ctx: MeasureContext = { q: from, limits, serverVersionNum: version.rows[0]?.v ?? 0, budget };

  const started: (Hazard | Asked)[][] = [];
  for (const statement of plan.statements) {
    const row: (Hazard | Asked)[] = [];
    for (const h of statement.hazards ?? []) {
      const measure = h.target ? MEASURES[h.code] : undefined;
      if (!measure) row.push(h);
      else if (budget.spent()) row.push({ ...h, evidence: { unknown: 'probe budget spent' } });
      // A measure that runs probe() itself gets the statement timeout cut to the budget.
      else row.push(await measure(h, { ...ctx, limits: budgetedLimits(ctx) }));
    }
    started.push(row);
  }

  const asks = started.flat().filter(isAsked);
  const found = await answerAll(asks, ctx);
  const finished = new Map<Asked, Hazard>();
  for (const [i, ask] of asks.entries()) finished.set(ask, await ask.finish(found[i] ?? { unknown: 'probe budget spent' }, ctx));

  return {
    ...plan,
    statements: plan.statements.map((statement, i) => (statement.hazards?.some((h) => h.target)
      ? { ...statement, hazards: (started[i] ?? []).map((m) => (isAsked(m) ? finished.get(m) as Hazard : m)) }
      : statement)),
  };
}
