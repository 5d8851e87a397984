/**
 * The SQL script `pgdrift plan` writes: two header lines naming both databases, their servers and
 * fingerprints, then `-- pgdrift:fingerprint <sha256>`: the --from schema the script was written
 * for, which the runner compares with the target's before running anything; then the plan as
 * renderPlanSql writes it. When --from is a connection profile, `-- pgdrift:target <profile>`
 * follows: the profile the migration is meant for, which the editor's checks read. A plan with
 * nothing to do is still a valid script, one that says so and changes nothing.
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

export interface PlanScriptOptions {
  /** The connection profile --from names (`profile:NAME`), written as `-- pgdrift:target NAME`. */
  target?: string | undefined;
}

export function renderPlanScript(plan: Plan, from: ScriptSide, to: ScriptSide, options: PlanScriptOptions = {}): string {
  return [
    `-- pgdrift plan for ${from.where} (${serverLabel(from.inspection.source.serverVersion)}, ${from.inspection.fingerprint})`,
    `-- to match ${to.where} (${serverLabel(to.inspection.source.serverVersion)}, ${to.inspection.fingerprint})`,
    `-- pgdrift:fingerprint ${from.inspection.fingerprint}`,
    ...(options.target !== undefined ? [`-- pgdrift:target ${options.target}`] : []),
    renderPlanSql(plan),
  ].join('\n');
}

/** The profile a `profile:NAME` source names, or undefined for a URL or a path. */
export function profileTargetOf(source: string): string | undefined {
  return source.startsWith('profile:') ? source.slice('profile:'.length) : undefined;
}
