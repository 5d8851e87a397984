/**
 * The check engine as the editor runs it, loaded on the first migration file (libpg_query's WASM
 * parser, introspection, probes): the same prepareFile, checkOnTarget and checkStatic as
 * `pgdrift check`, so a diagnostic reads as the CLI's line for the same hazard.
 */
import { checkOnTarget, prepareFile, type CheckResult, type LocatedHazard, type PreparedFile } from '../../core/check';
import { backupText } from '../../core/check/remedyText';
import type { LocatedStatement } from '../../core/check/split';
import { checkStatic, type KnownSchema } from '../../core/check/static';
import { statementRemedies, type StatementRemedy } from '../../core/check/statementRemedies';
import type { ProfileSession } from '../../core/connect/pool';
import type { Queryable, QueryResult } from '../../core/db/queryable';
import { isPgdriftError, messageOf } from '../../core/errors';
import type { Hazard } from '../../core/hazards/types';
import { introspect, introspectTargetOf } from '../../core/introspect';

/** What the last inspection of a profile told: its schema, search path and fingerprint (for backup names). */
export interface TargetSchema extends KnownSchema {
  fingerprint: string;
  serverVersionNum: number;
}

export type Checked =
  | { status: 'checked'; result: CheckResult; statements: LocatedStatement[] }
  /** The file does not parse: PostgreSQL's message at its line and column (1-based). */
  | { status: 'syntax'; message: string; line: number; column: number };

const NAME = 'migration.sql';

/** The hazards from the parse trees, with the target's schema when one was read, else a presumed one. */
export async function checkText(text: string, schema?: KnownSchema): Promise<Checked> {
  const file = await prepared(text);
  if ('status' in file) return file;
  return { status: 'checked', result: checkStatic(file, schema), statements: file.split.statements };
}

/**
 * The check measured on the target through one pooled read-only connection. `cancelled` is read
 * before every query: once it says so, no new query is sent (the one in flight ends within the
 * probe's timeout), and the caller throws the result away.
 */
export async function checkOnSession(text: string, session: ProfileSession, cancelled: () => boolean): Promise<{ checked: Checked; schema: TargetSchema }> {
  const file = await prepared(text);
  const connection = await session.connect();
  const guarded = new Guarded(connection, cancelled);
  try {
    const inspection = await introspect({ ...introspectTargetOf(connection), db: guarded });
    if ('status' in file) {
      return { checked: file, schema: { model: inspection.model, searchPath: await searchPathOf(guarded), fingerprint: inspection.fingerprint, serverVersionNum: inspection.source.serverVersionNum } };
    }
    const result = await checkOnTarget(file, inspection, guarded, []);
    return { checked: { status: 'checked', result, statements: file.split.statements }, schema: { model: inspection.model, searchPath: result.searchPath, fingerprint: inspection.fingerprint, serverVersionNum: inspection.source.serverVersionNum } };
  } finally {
    // A cancelled probe may have left its READ ONLY transaction open on the pooled connection.
    if (cancelled()) await connection.query('ROLLBACK').catch(() => undefined);
    await connection.close();
  }
}

/** The backup the plan would write before this hazard's statement, or undefined. */
export function backupFor(h: Hazard, schema: TargetSchema, fileText: string): string | undefined {
  return backupText(h, schema.fingerprint, schema.model, fileText);
}

/** The remedies that rewrite the file's statements (rename instead of drop + add, two-step NOT NULL). */
export function rewritesFor(h: LocatedHazard, text: string, statements: readonly LocatedStatement[], schema?: TargetSchema): StatementRemedy[] {
  return statementRemedies(h, { text, statements }, schema);
}

export class CheckCancelled extends Error {
  constructor() {
    super('the check was cancelled: the file changed');
  }
}

/** Refuses new queries once cancelled; ends of transactions always go through. */
class Guarded implements Queryable {
  constructor(private readonly inner: Queryable, private readonly cancelled: () => boolean) {}

  query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    if (this.cancelled() && !/^\s*(ROLLBACK|COMMIT)\b/i.test(sql)) return Promise.reject(new CheckCancelled());
    return this.inner.query<R>(sql, params);
  }
}

async function searchPathOf(db: Queryable): Promise<string[]> {
  const path = (await db.query<{ s: string[] }>('SELECT current_schemas(false)::text[] AS s')).rows[0]?.s ?? [];
  return path.length ? path : ['public'];
}

async function prepared(text: string): Promise<PreparedFile | Extract<Checked, { status: 'syntax' }>> {
  try {
    return await prepareFile(Buffer.from(text, 'utf8'), NAME);
  } catch (error) {
    // prepareFile's usage errors say "<file>:<line>:<column>: <message>".
    const m = isPgdriftError(error) && error.code === 'usage' ? /^migration\.sql:(\d+):(\d+): ([\s\S]*)$/.exec(error.message) : null;
    if (!m) throw error;
    return { status: 'syntax' as const, line: Number(m[1]), column: Number(m[2]), message: m[3] ?? messageOf(error) };
  }
}
