/** Reads both databases and plans the migration from one to the other: what diff and plan share. */
import { connectPg } from '../core/db/pgConnection';
import { parseConnectionUrl } from '../core/db/target';
import { measureHazards } from '../core/hazards/measure';
import { planMigration } from '../core/plan';
import type { Plan } from '../core/plan/types';
import type { CompareArgs } from './compareArgs';
import { inspectBoth, type Side } from './inspectBoth';

export interface Comparison {
  from: Side;
  to: Side;
  plan: Plan;
}

export async function compareDatabases(args: CompareArgs, env: NodeJS.ProcessEnv): Promise<Comparison> {
  const { from, to } = await inspectBoth({ from: args.from, to: args.to }, args.introspect, env);
  const planned = planMigration(from.inspection.model, to.inspection.model, args.diff);
  return { from, to, plan: await measured(planned, args.from, env) };
}

/**
 * What the plan would destroy, counted on the from-database (bounded read-only probes). Only
 * plans that drop data open a connection for it.
 */
async function measured(plan: Plan, fromUrl: string, env: NodeJS.ProcessEnv): Promise<Plan> {
  if (!plan.statements.some((s) => s.hazards?.some((h) => h.target))) return plan;
  const connection = await connectPg(parseConnectionUrl(fromUrl, env));
  try {
    return await measureHazards(plan, connection);
  } finally {
    await connection.close();
  }
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
