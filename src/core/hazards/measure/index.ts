/**
 * Measured hazards: what each statement would destroy or reject, counted on the from-database
 * before anything runs. One measure per hazard code, each in the file of its family; a code
 * without one keeps its static message. Every probe runs in the harness of probe.ts.
 */
import type { Queryable } from '../../db/queryable';
import type { Plan, PlannedStatement } from '../../plan/types';
import { DEFAULT_PROBE_LIMITS, type ProbeLimits } from '../probe';
import type { Hazard, HazardCode } from '../types';
import type { Measure, MeasureContext } from './bounded';
import { CAST_MEASURES } from './casts';
import { CONSTRAINT_MEASURES } from './constraints';
import { DROP_MEASURES } from './drops';
import { TWIN_MEASURES } from './twins';

const MEASURES: Partial<Record<HazardCode, Measure>> = {
  ...DROP_MEASURES,
  ...CAST_MEASURES,
  ...TWIN_MEASURES,
  ...CONSTRAINT_MEASURES,
};

export async function measureHazards(plan: Plan, from: Queryable, limits: ProbeLimits = DEFAULT_PROBE_LIMITS): Promise<Plan> {
  if (!plan.statements.some((s) => s.hazards?.some((h) => h.target))) return plan;
  const version = await from.query<{ v: number }>(`SELECT current_setting('server_version_num')::int AS v`);
  const ctx: MeasureContext = { q: from, limits, serverVersionNum: version.rows[0]?.v ?? 0 };
  const statements: PlannedStatement[] = [];
  for (const statement of plan.statements) {
    if (!statement.hazards?.some((h) => h.target)) {
      statements.push(statement);
      continue;
    }
    const hazards: Hazard[] = [];
    for (const h of statement.hazards) {
      const measure = h.target ? MEASURES[h.code] : undefined;
      hazards.push(measure ? await measure(h, ctx) : h);
    }
    statements.push({ ...statement, hazards });
  }
  return { ...plan, statements };
}
