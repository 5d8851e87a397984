/**
 * Runs a plan against a database statement by statement, in plan order: each phase's consecutive
 * transactional statements inside one transaction, a statement PostgreSQL refuses inside a
 * transaction block (CREATE INDEX CONCURRENTLY, ALTER TYPE … ADD VALUE before PostgreSQL 12, …) on
 * its own; `-- pgdrift:expect` expectations are checked where they stand and stop the run when
 * they do not hold.
 */
import { renderPlanSql, renderStatement } from '../../src/core/plan';
import type { Queryable } from '../../src/core/db/queryable';
import { checkExpectation, expectationOf, renderExpectation } from '../../src/core/plan/expect';
import type { Plan, PlannedStatement } from '../../src/core/plan/types';
import type { TestDatabase } from './servers';

/**
 * Function bodies may mention tables that a later statement of the same plan creates; without
 * this setting CREATE FUNCTION validates SQL-language bodies at once and fails on them.
 */
export const SESSION_PREAMBLE = 'SET check_function_bodies = off;';

export class PlanApplyError extends Error {
  constructor(
    readonly statement: string,
    readonly serverError: string,
    readonly planSql: string,
  ) {
    super(`plan statement failed: ${serverError}\n--- failing statement ---\n${statement}\n--- whole plan ---\n${planSql}`);
    this.name = 'PlanApplyError';
  }
}

/** Groups of statements that run together: a phase's transaction, or one non-transactional statement. */
export function transactionGroups(statements: readonly PlannedStatement[]): { transactional: boolean; statements: PlannedStatement[] }[] {
  const groups: { transactional: boolean; statements: PlannedStatement[] }[] = [];
  for (const s of statements) {
    const transactional = s.transactional !== false;
    const last = groups[groups.length - 1];
    if (transactional && last?.transactional && last.statements[0]?.phase === s.phase) last.statements.push(s);
    else groups.push({ transactional, statements: [s] });
  }
  return groups;
}

/** Applies the plan and returns the SQL that ran, in order; throws PlanApplyError on the first failure. */
export async function applyPlan(db: TestDatabase, plan: Plan): Promise<string[]> {
  const applied: string[] = [];
  await db.exec(SESSION_PREAMBLE);
  for (const group of transactionGroups(plan.statements)) {
    if (group.transactional) await db.exec('BEGIN');
    for (const statement of group.statements) {
      const expectation = expectationOf(statement);
      if (expectation) {
        const { ok, actual } = await checkExpectation(queryableOf(db), expectation);
        if (!ok) {
          if (group.transactional) await db.exec('ROLLBACK');
          throw new PlanApplyError(renderExpectation(expectation), `expectation failed: got ${actual}`, renderPlanSql(plan));
        }
        applied.push(renderExpectation(expectation));
        continue;
      }
      const sql = renderStatement(statement);
      try {
        await db.exec(sql);
      } catch (e) {
        if (group.transactional) await db.exec('ROLLBACK');
        throw new PlanApplyError(sql, serverMessage(e), renderPlanSql(plan));
      }
      applied.push(sql);
    }
    if (group.transactional) {
      // Deferred constraints are checked only now, so COMMIT itself can fail.
      try {
        await db.exec('COMMIT');
      } catch (e) {
        throw new PlanApplyError('COMMIT', serverMessage(e), renderPlanSql(plan));
      }
    }
  }
  return applied;
}

function queryableOf(db: TestDatabase): Queryable {
  return { query: async <R extends object>(sql: string) => ({ rows: await db.query<R>(sql), rowCount: null }) };
}

function serverMessage(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const pg = e as Error & { code?: string; detail?: string; hint?: string };
  return [pg.code ? `${pg.message} (SQLSTATE ${pg.code})` : pg.message, pg.detail && `DETAIL: ${pg.detail}`, pg.hint && `HINT: ${pg.hint}`]
    .filter(Boolean)
    .join('; ');
}
