/**
 * The data statements in their place in the plan: at the end of its migrate-data phase, after
 * every statement of the phases before it (expand has created the tables and added the columns
 * the rows need) and the plan's own column copies, before routines (so triggers the plan creates
 * do not fire on the copied rows) and contract.
 */
import { PHASES, type Plan, type PlannedStatement, type Statement } from '../plan/types';

export function withDataStatements(plan: Plan, statements: readonly Statement[]): Plan {
  if (statements.length === 0) return plan;
  const limit = PHASES.indexOf('migrate-data');
  let at = 0;
  plan.statements.forEach((s, i) => {
    if (PHASES.indexOf(s.phase) <= limit) at = i + 1;
  });
  const data: PlannedStatement[] = statements.map((s) => ({ ...s, phase: 'migrate-data', change: s.object }));
  return { ...plan, statements: [...plan.statements.slice(0, at), ...data, ...plan.statements.slice(at)] };
}
