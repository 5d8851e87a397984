/**
 * The SQL script `pgdrift plan` writes: a header naming both databases and the fingerprint of the
 * schema the script was written for, then the plan's statements by phase. A plan with nothing to do
 * is still a valid script, one that says so and changes nothing.
 */
import type { Inspection } from '../model/types';
import type { Plan } from '../plan/types';

export interface ScriptSide {
  inspection: Inspection;
  /** "host:port/database". */
  where: string;
}

/** `sql` is the plan's statements as renderPlanSql writes them. */
export function renderPlanScript(plan: Plan, sql: string, from: ScriptSide, to: ScriptSide): string {
  const header = [
    `-- pgdrift plan for ${from.where} (PostgreSQL ${versionOf(from)}, ${from.inspection.fingerprint})`,
    `-- to match ${to.where} (PostgreSQL ${versionOf(to)}, ${to.inspection.fingerprint})`,
  ];
  if (plan.changes.length === 0 && plan.statements.length === 0) {
    return `${[...header, '-- no differences: nothing to do'].join('\n')}\n`;
  }
  const changes = plan.changes.length;
  const statements = plan.statements.length;
  header.push(`-- ${changes} ${changes === 1 ? 'change' : 'changes'}, ${statements} ${statements === 1 ? 'statement' : 'statements'}`);
  return `${header.join('\n')}\n\n${sql}${sql.endsWith('\n') ? '' : '\n'}`;
}

function versionOf(side: ScriptSide): string {
  return side.inspection.source.serverVersion.split(' ')[0] ?? side.inspection.source.serverVersion;
}
