/**
 * The SQL script `pgdrift plan` writes: two header lines naming both databases, their servers and
 * fingerprints, then `-- pgdrift:fingerprint <sha256>`: the --from schema the script was written
 * for, which the runner compares with the target's before running anything; then the plan as
 * renderPlanSql writes it. A plan with nothing to do is still a valid script, one that
 * says so and changes nothing.
 */
import type { Inspection } from '../model/types';
import { renderPlanSql } from '../plan';
import type { Plan } from '../plan/types';
import { serverLabel } from './serverVersion';

export interface ScriptSide {
  inspection: Inspection;
  /** "host:port/database". */
  where: string;
}

export function renderPlanScript(plan: Plan, from: ScriptSide, to: ScriptSide): string {
  return [
    `-- pgdrift plan for ${from.where} (${serverLabel(from.inspection.source.serverVersion)}, ${from.inspection.fingerprint})`,
    `-- to match ${to.where} (${serverLabel(to.inspection.source.serverVersion)}, ${to.inspection.fingerprint})`,
    `-- pgdrift:fingerprint ${from.inspection.fingerprint}`,
    renderPlanSql(plan),
  ].join('\n');
}
