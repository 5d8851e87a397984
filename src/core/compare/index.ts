/** Reads both databases and plans the migration from one to the other: what diff and plan share. */
import type { Accept } from '../hazards/accept';
import type { DiffOptions } from '../diff/options';
import type { IntrospectOptions } from '../introspect';
import type { MappingFile } from '../diff/mapping';
import { validateMapping } from '../diff/mapping';
import { comparableModels } from '../diff/comparable';
import { analysePlan } from '../hazards/analyse';
import { planMigration } from '../plan';
import type { Plan } from '../plan/types';
import type { ProfileResolver } from '../sources';
import { inspectBoth, withSide, type Side } from './inspectBoth';

/** What to compare and how: both sides (a URL, a path, or profile:NAME) and the options of diff and plan. */
export interface CompareArgs {
  from: string;
  to: string;
  introspect: Partial<IntrospectOptions>;
  diff: Partial<DiffOptions>;
  accepts: Accept[];
  /** The mapping file, checked against both databases once they are read. */
  mapping?: { path: string; file: MappingFile };
}

export interface Comparison {
  from: Side;
  to: Side;
  plan: Plan;
  /** --accept options that named no hazard of the plan (a typo, or data that changed). */
  unusedAccepts: Accept[];
}

export async function compareDatabases(args: CompareArgs, env: NodeJS.ProcessEnv, profiles?: ProfileResolver): Promise<Comparison> {
  // What the plan would destroy or reject is counted on the from-database (bounded read-only
  // probes) over the connection that read it.
  return inspectBoth({ from: args.from, to: args.to }, args.introspect, env, async ({ from, to }, fromConnection) => {
    if (args.mapping) validateMapping(args.mapping.file, from.inspection.model, to.inspection.model, args.mapping.path);
    // Sides from different versions, or SQL files in the embedded PostgreSQL 18, compared in one
    // spelling (views, MAINTAIN privileges, extension versions the files do not state).
    const models = await comparableModels(
      { model: from.inspection.model, serverVersionNum: from.inspection.source.serverVersionNum, unpinnedExtensions: from.unpinnedExtensions },
      { model: to.inspection.model, serverVersionNum: to.inspection.source.serverVersionNum, unpinnedExtensions: to.unpinnedExtensions },
    );
    // The from-database's version picks the exact cast checks a cast policy writes into the plan
    // (pg_input_is_valid exists from PostgreSQL 16).
    const planned = planMigration(models.from, models.to, { ...args.diff, serverVersionNum: from.inspection.source.serverVersionNum });
    const { plan, unusedAccepts } = await analysePlan(planned, {
      from: models.from, to: models.to, fingerprint: from.inspection.fingerprint, q: fromConnection, accepts: args.accepts,
      ...(args.diff.mapping ? { mapping: args.diff.mapping } : {}),
    }).catch((error: unknown) => {
      throw withSide('--from', error);
    });
    return { from, to, plan, unusedAccepts };
  }, profiles);
}

export function hasDifferences(plan: Plan): boolean {
  return plan.changes.length > 0 || plan.statements.length > 0;
}

/** What the tree's first line calls each side: the database names, or host:port/database when they are the same. */
export function sideLabels({ from, to }: Pick<Comparison, 'from' | 'to'>): { from: string; to: string } {
  const a = from.inspection.source.database;
  const b = to.inspection.source.database;
  return a === b ? { from: from.where, to: to.where } : { from: a, to: b };
}
