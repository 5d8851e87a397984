/**
 * The convergence harness: build the two sides of a case in fresh databases, plan from one to the
 * other, run the plan, and demand that the migrated database then plans to nothing, equals the
 * target, and kept its rows. Both directions of a case share one pair of databases: the forward
 * direction migrates the from-database, the backward one the to-database, and each plans against
 * the other side's model as read before anything ran.
 */
import { AssertionError } from 'node:assert';
import { planMigration, renderPlanSql } from '../../src/core/plan';
import type { SchemaModel } from '../../src/core/model/types';
import type { Plan } from '../../src/core/plan/types';
import { applyPlan, PlanApplyError } from './applyPlan';
import { inspectDatabase } from './fixtures';
import { modelDifferences } from './modelDifference';
import { runPsql } from './psql';
import { readRows, rowLosses, rowProbes } from './rowSnapshot';
import { databaseOn, type ManagedServer, type TestDatabase } from './servers';

export interface ConvergenceCase {
  name: string;
  /** DDL of the from side ("a"). */
  from: string;
  /** DDL of the to side ("b"), the desired state of the forward direction. */
  to: string;
  /** Rows loaded into the from side after its DDL; they must survive the forward plan. */
  seed?: string;
  /** Rows loaded into the to side; they must survive the backward plan. */
  seedTo?: string;
  /** Cluster-wide roles, created before both sides; must be idempotent. */
  roles?: string;
  /** Run in both databases before their DDL (extensions, shared schemas). */
  setup?: string;
  /** The forward plan's SQL, compared with comments and whitespace runs ignored. */
  expectedSql?: string;
  /** The first PostgreSQL major on which the case can load. */
  minMajor?: number;
}

export type Direction = 'forward' | 'backward';

/** A side that does not load: the case cannot be judged on this server. */
export class LoadFailure extends Error {
  constructor(readonly side: string, readonly firstError: string) {
    super(`${side} does not load: ${firstError}`);
    this.name = 'LoadFailure';
  }
}

interface Side {
  db: TestDatabase;
  model: SchemaModel;
}

export interface LoadedPair {
  readonly from: Side;
  readonly to: Side;
  drop(): Promise<void>;
}

export interface Convergence {
  plan: Plan;
  applied: string[];
}

async function loadSide(server: ManagedServer, c: ConvergenceCase, side: 'from' | 'to', created: TestDatabase[]): Promise<TestDatabase> {
  const db = await databaseOn(server);
  created.push(db);
  const label = side === 'from' ? 'from (a)' : 'to (b)';
  const seed = side === 'from' ? c.seed : c.seedTo;
  for (const [part, sql] of [['setup', c.setup], [label, c[side]], [`seed of ${label}`, seed]] as const) {
    if (sql === undefined || sql.trim() === '') continue;
    const result = await runPsql(db.url, sql);
    if (!result.ok) throw new LoadFailure(part, result.firstError ?? 'unknown error');
  }
  return db;
}

/** Creates and loads both sides; throws LoadFailure (with nothing left behind) when one does not load. */
export async function loadPair(server: ManagedServer, c: ConvergenceCase): Promise<LoadedPair> {
  const created: TestDatabase[] = [];
  const dropAll = () => Promise.all(created.map((db) => db.drop())).then(() => undefined);
  try {
    if (c.roles && c.roles.trim() !== '') {
      const roles = await runPsql(server.adminUrl(), c.roles);
      if (!roles.ok) throw new LoadFailure('roles', roles.firstError ?? 'unknown error');
    }
    const fromDb = await loadSide(server, c, 'from', created);
    const toDb = await loadSide(server, c, 'to', created);
    const [fromModel, toModel] = await Promise.all([inspectDatabase(fromDb), inspectDatabase(toDb)]);
    return { from: { db: fromDb, model: fromModel.model }, to: { db: toDb, model: toModel.model }, drop: dropAll };
  } catch (e) {
    await dropAll();
    throw e;
  }
}

function fail(message: string): never {
  throw new AssertionError({ message });
}

function normalisedSql(sql: string): string {
  return sql
    .split('\n')
    .filter((line) => !/^\s*--/.test(line) && !/^\s*SET check_function_bodies\s*=\s*off;\s*$/i.test(line))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function describeChanges(plan: Plan): string {
  return plan.changes
    .map((ch) => `  ${ch.action} ${ch.id}${ch.details.length ? `: ${ch.details.join('; ')}` : ''}`)
    .join('\n');
}

/** Runs one direction on a loaded pair; throws an AssertionError or PlanApplyError saying what went wrong. */
export async function convergeLoaded(pair: LoadedPair, direction: Direction, c?: ConvergenceCase): Promise<Convergence> {
  const [from, to] = direction === 'forward' ? [pair.from, pair.to] : [pair.to, pair.from];
  const plan = planMigration(from.model, to.model);
  const sql = renderPlanSql(plan);

  const again = renderPlanSql(planMigration(from.model, to.model));
  if (again !== sql) fail(`planning the same models twice gave different SQL\n--- first ---\n${sql}\n--- second ---\n${again}`);
  const reread = (await inspectDatabase(from.db)).model;
  const fromReread = renderPlanSql(planMigration(reread, to.model));
  if (fromReread !== sql) fail(`planning from a second introspection gave different SQL\n--- first ---\n${sql}\n--- second ---\n${fromReread}`);

  if (direction === 'forward' && c?.expectedSql !== undefined && normalisedSql(sql) !== normalisedSql(c.expectedSql)) {
    fail(`the plan is not the expected SQL\n--- expected ---\n${c.expectedSql.trim()}\n--- planned ---\n${sql}`);
  }

  const probes = rowProbes(from.model, to.model, plan);
  const before = await readRows(from.db, probes);
  let applied: string[];
  try {
    applied = await applyPlan(from.db, plan);
  } catch (e) {
    if (e instanceof PlanApplyError) fail(e.message);
    throw e;
  }

  const after = (await inspectDatabase(from.db)).model;
  const replan = planMigration(after, to.model);
  if (replan.changes.length > 0 || replan.statements.length > 0) {
    fail(`after the plan, ${replan.changes.length} change(s) remain:\n${describeChanges(replan)}\n--- remaining plan ---\n${renderPlanSql(replan)}\n--- applied SQL ---\n${applied.join('\n') || '(none)'}`);
  }
  const differences = modelDifferences(after, to.model);
  if (differences.length > 0) {
    fail(`the engine finds no change left, but the migrated model differs from the target:\n  ${differences.join('\n  ')}\n--- applied SQL ---\n${applied.join('\n') || '(none)'}`);
  }
  const losses = rowLosses(probes, before, await readRows(from.db, probes));
  if (losses.length > 0) fail(`rows did not survive the plan:\n  ${losses.join('\n  ')}\n--- applied SQL ---\n${applied.join('\n')}`);
  return { plan, applied };
}

/** The whole round for one direction, in databases of its own. */
export async function convergeCase(server: ManagedServer, c: ConvergenceCase, direction: Direction): Promise<Convergence> {
  const pair = await loadPair(server, c);
  try {
    return await convergeLoaded(pair, direction, c);
  } finally {
    await pair.drop();
  }
}
