/**
 * The SQL script `pgdrift plan` writes: two header lines naming both databases, their servers and
 * fingerprints, then `-- pgdrift:fingerprint <sha256>`: the --from schema the script was written
 * for, which the runner compares with the target's before running anything; then the plan as
 * renderPlanSql writes it. When --from is a connection profile, `-- pgdrift:target <profile>`
 * follows: the profile the migration is meant for, which the editor's checks read. A plan with
 * nothing to do is still a valid script, one that says so and changes nothing. Changes left out
 * (--exclude, the editor's unchecked boxes) are listed in comment lines before the plan, each with
 * what it needed that is left out too, so a reviewer sees what the script does not do.
 */
import type { Inspection } from '../model/types';
import { renderPlanSql } from '../plan';
import { describeRequirement, type Requirement } from '../plan/select';
import type { Change, Plan } from '../plan/types';
import { kindLabel } from './changeKinds';
import { displayName } from './objectName';
import { serverLabel } from './serverVersion';

export interface ScriptSide {
  inspection: Inspection;
  /** "host:port/database". */
  where: string;
}

export interface PlanScriptOptions {
  /** The connection profile --from names (`profile:NAME`), written as `-- pgdrift:target NAME`. */
  target?: string | undefined;
  /** The changes left out of the plan, in the plan's change order. */
  excluded?: readonly { change: Change; because: readonly Requirement[] }[] | undefined;
}

export function renderPlanScript(plan: Plan, from: ScriptSide, to: ScriptSide, options: PlanScriptOptions = {}): string {
  return [
    `-- pgdrift plan for ${from.where} (${serverLabel(from.inspection.source.serverVersion)}, ${from.inspection.fingerprint})`,
    `-- to match ${to.where} (${serverLabel(to.inspection.source.serverVersion)}, ${to.inspection.fingerprint})`,
    `-- pgdrift:fingerprint ${from.inspection.fingerprint}`,
    ...(options.target !== undefined ? [`-- pgdrift:target ${options.target}`] : []),
    ...excludedLines(options.excluded ?? []),
    renderPlanSql(plan),
  ].join('\n');
}

/** "-- left out of this plan (2 changes):", then "--   create table public."Role"", …. */
function excludedLines(excluded: NonNullable<PlanScriptOptions['excluded']>): string[] {
  if (excluded.length === 0) return [];
  return [
    `-- left out of this plan (${excluded.length} ${excluded.length === 1 ? 'change' : 'changes'}):`,
    ...excluded.map(({ change, because }) => {
      const why = [...new Set(because.map(describeRequirement))].join('; ');
      return `--   ${change.action} ${kindLabel(change.kind, 1)} ${displayName(change.id)}${why ? ` (${why})` : ''}`;
    }),
  ];
}

/** The profile a `profile:NAME` source names, or undefined for a URL or a path. */
export function profileTargetOf(source: string): string | undefined {
  return source.startsWith('profile:') ? source.slice('profile:'.length) : undefined;
}
