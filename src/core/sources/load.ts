/**
 * Runs the statements of SQL files in the embedded database the way `psql -f` runs a file: one
 * statement at a time in autocommit mode (so CREATE INDEX CONCURRENTLY and an enum value added
 * and then used both work), stopping at the first error. The error is reported at the statement's
 * place in its file, or at the exact token when the server gives a position, with the server's
 * message, detail and hint.
 *
 * Each file starts with a fresh session state (DISCARD ALL), as a separate psql run would: a
 * pg_dump script empties search_path with set_config(), which must not leak into the next file.
 */
import { SourceText } from '../check/positions';
import type { LocatedStatement } from '../check/split';
import { PgdriftError, messageOf } from '../errors';
import type { EmbeddedDatabase } from './pglite';
import type { Script } from './script';

export async function loadScripts(db: EmbeddedDatabase, scripts: readonly Script[]): Promise<void> {
  for (const script of scripts) {
    for (const statement of script.split.statements) {
      try {
        await db.query(statement.sql);
      } catch (error) {
        throw statementError(script, statement, error);
      }
    }
    if (db.inTransaction()) {
      throw new PgdriftError(
        'source-failed',
        `${script.file.name}: ends inside a transaction block (BEGIN without COMMIT); psql would roll it back, so nothing of it would be kept`,
      );
    }
    await db.query('DISCARD ALL');
  }
}

interface ServerError {
  message?: string;
  detail?: string;
  hint?: string;
  /** 1-based character position in the statement text, as a string (node-postgres). */
  position?: string;
}

function statementError(script: Script, statement: LocatedStatement, error: unknown): PgdriftError {
  const e = (error ?? {}) as ServerError;
  const offset = Number(e.position) > 0 ? new SourceText(statement.sql).indexOfCodePoint(Number(e.position) - 1) : 0;
  const { line, column } = script.split.source.position(statement.start + offset);
  const parts = [e.message ?? messageOf(error)];
  if (e.detail) parts.push(`detail: ${e.detail}`);
  if (e.hint) parts.push(`hint: ${e.hint}`);
  return new PgdriftError('source-failed', `${script.file.name}:${line}:${column}: ${parts.join('; ')}`, { cause: error });
}
