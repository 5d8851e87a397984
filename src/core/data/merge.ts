/**
 * The data statements in their place in the plan: at the end of its migrate-data phase, after
 * every statement of the phases before it (expand has created the tables and added the columns
 * the rows need) and the plan's own column copies, before routines (so triggers the plan creates
 * do not fire on the copied rows) and contract.
 *
 * The validate phase checks that every kept table the plan alters still has the rows it had when
 * planned; for a table the sync writes to, that count becomes the sync's own.
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
  const counts = new Map(statements.filter((s) => s.expect).map((s) => [s.sql, s.expect]));
  const rest = plan.statements.slice(at).map((s) => {
    const expect = s.phase === 'validate' && s.expect ? counts.get(s.sql) : undefined;
    return expect ? { ...s, expect } : s;
  });
  return { ...plan, statements: [...plan.statements.slice(0, at), ...data, ...rest] };
}
