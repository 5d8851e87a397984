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
  /** The forward plan's SQL, compared with comments, whitespace runs and spaces around parentheses ignored. */
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
  /** A second introspection of the same database, before anything ran. */
  reread: SchemaModel;
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

/** The parts of a side, in load order, with the name an error is reported under. */
function partsOf(c: ConvergenceCase, side: 'from' | 'to'): [string, string][] {
  const label = side === 'from' ? 'from (a)' : 'to (b)';
  const seed = side === 'from' ? c.seed : c.seedTo;
  const parts: [string, string | undefined][] = [['setup', c.setup], [label, c[side]], [`seed of ${label}`, seed]];
  return parts.filter((p): p is [string, string] => p[1] !== undefined && p[1].trim() !== '');
}

/**
 * Loads one side. Fast path: each part as one query string, which PostgreSQL runs as one implicit
 * transaction, so a failure leaves nothing behind. Anything that fails that way (including what a
 * transaction block refuses, like CREATE INDEX CONCURRENTLY) is loaded again through psql in a
 * fresh database, which gives the same result as a person running the file and the line of the
 * server's first error.
 */
async function loadSide(server: ManagedServer, c: ConvergenceCase, side: 'from' | 'to', created: TestDatabase[]): Promise<TestDatabase> {
  const parts = partsOf(c, side);
  const fast = await databaseOn(server);
  created.push(fast);
  try {
    for (const [, sql] of parts) await fast.exec(sql);
    // The plan runs in this session later: no SET search_path, SET ROLE, … of the files may linger.
    await fast.exec('DISCARD ALL');
    return fast;
  } catch {
    // fall through to psql
  }
  const db = await databaseOn(server);
  created.push(db);
  for (const [part, sql] of parts) {
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
      // Roles are cluster-wide: any database of the server will do, and creating one starts it.
      const scratch = await databaseOn(server);
      created.push(scratch);
      const roles = await runPsql(scratch.url, c.roles);
      if (!roles.ok) throw new LoadFailure('roles', roles.firstError ?? 'unknown error');
    }
    const loads = await Promise.allSettled([loadSide(server, c, 'from', created), loadSide(server, c, 'to', created)]);
    const [fromDb, toDb] = loads.map((l) => {
      if (l.status === 'rejected') throw l.reason;
      return l.value;
    }) as [TestDatabase, TestDatabase];
    // The fast path's database stays in `created` only to be dropped; drop it now when psql replaced it.
    await Promise.all(created.filter((db) => db !== fromDb && db !== toDb).map((db) => db.drop()));
    created.splice(0, created.length, fromDb, toDb);
    // Each side read twice: planning from the second reading must give the same script.
    const [fromModel, toModel, fromAgain, toAgain] = await Promise.all([fromDb, toDb, fromDb, toDb].map((db) => inspectDatabase(db)));
    return {
      from: { db: fromDb, model: fromModel!.model, reread: fromAgain!.model },
      to: { db: toDb, model: toModel!.model, reread: toAgain!.model },
      drop: dropAll,
    };
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
    .replace(/\s*\(\s*/g, '(')
    .replace(/\s*\)/g, ')')
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
  const fromReread = renderPlanSql(planMigration(from.reread, to.model));
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
