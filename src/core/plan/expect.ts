/**
 * Expectations: `-- pgdrift:expect <query> <op> <number>` lines in a migration. The query returns
 * one number; the run stops when it does not compare as written. Preflight expectations encode
 * what the probes measured (so a plan made for one state of the data does not run on another),
 * backup expectations that the saved row counts match, validate expectations the object and row
 * counts the run must leave behind.
 *
 * The comparison is always the last `= N`, `>= N` or `<= N` on the line, so a query may itself
 * end in a comparison (`… WHERE x = 0 = 0` means "no row has x = 0").
 */
import type { Queryable } from '../db/queryable';
import type { Statement } from './types';

export type ExpectOp = '=' | '>=' | '<=';

export interface Expectation {
  sql: string;
  op: ExpectOp;
  value: number;
}

const DIRECTIVE = /^\s*--\s*pgdrift:expect\s+(.+?)\s*(>=|<=|=)\s*(-?\d+)\s*$/;

export function renderExpectation(e: Expectation): string {
  return `-- pgdrift:expect ${e.sql.replace(/\s+/g, ' ').trim()} ${e.op} ${e.value}`;
}

/** The expectation on a `-- pgdrift:expect` line, or undefined when the line is not one. */
export function parseExpectation(line: string): Expectation | undefined {
  const m = DIRECTIVE.exec(line);
  if (!m) return undefined;
  return { sql: m[1] ?? '', op: (m[2] ?? '=') as ExpectOp, value: Number(m[3]) };
}

export function expectationOf(statement: Pick<Statement, 'sql' | 'expect'>): Expectation | undefined {
  return statement.expect ? { sql: statement.sql, ...statement.expect } : undefined;
}

export interface ExpectationResult {
  ok: boolean;
  actual: number;
}

/** Runs the query on the connection of the run (inside its transaction) and compares. */
export async function checkExpectation(q: Queryable, e: Expectation): Promise<ExpectationResult> {
  const result = await q.query<Record<string, unknown>>(e.sql);
  const row = result.rows[0];
  const first = row ? Object.values(row)[0] : undefined;
  const actual = Number(first);
  if (result.rows.length !== 1 || !Number.isFinite(actual)) {
    throw new Error(`pgdrift:expect query must return one number, got ${JSON.stringify(result.rows.slice(0, 2))}: ${e.sql}`);
  }
  const ok = e.op === '=' ? actual === e.value : e.op === '>=' ? actual >= e.value : actual <= e.value;
  return { ok, actual };
}
