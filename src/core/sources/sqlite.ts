/**
 * A SQLite file as a source (`sqlite:PATH`): read with SQLite compiled to WebAssembly, its schema
 * translated into PostgreSQL (src/core/sqlite), and that translation created in an embedded
 * PostgreSQL, so introspection reads it back in the server's own spelling (checks, defaults and
 * index predicates as pg_get_constraintdef prints them) and every consumer of a source (diff,
 * plan, the runner's re-diff) treats it like SQL files. The rows stay in the SQLite file: the
 * source carries what the plan needs about them (counts, time ranges, misfits, where identities
 * continue), read once when the source opens. A SQLite file is only ever read.
 */
import { isAbsolute, resolve, basename } from 'node:path';
import { PgdriftError, isPgdriftError, messageOf } from '../errors';
import { introspect } from '../introspect';
import { planMigration } from '../plan';
import {
  fileSha256, nextIdentityValue, openSqlite, readSqliteSchema, surveySqlite, translateSqlite,
  type Finding, type Survey, type SqliteTranslation,
} from '../sqlite';
import { startEmbedded } from './pglite';
import type { Source } from './types';

export const SQLITE_PREFIX = 'sqlite:';

/** What the plan's data copy needs to know about the SQLite file's rows. */
export interface SqliteSnapshot {
  /** Absolute path of the file. */
  path: string;
  /** "sha256:…" of the file as it was read. */
  sha256: string;
  timeZone: string;
  translation: SqliteTranslation;
  findings: Finding[];
  survey: Survey;
  /** SQLite table name → the first id its identity hands out after the copy. */
  nextIdentity: Map<string, bigint>;
}

export interface SqliteSpec {
  kind: 'sqlite';
  path: string;
  timeZone: string;
}

export function sqliteSpecOf(text: string, timeZone: string | undefined): SqliteSpec {
  const path = text.slice(SQLITE_PREFIX.length);
  if (!path) throw new PgdriftError('usage', 'sqlite: needs the path of a SQLite file, e.g. sqlite:./app.db');
  return { kind: 'sqlite', path: isAbsolute(path) ? path : resolve(path), timeZone: timeZone ?? 'UTC' };
}

/** Reads the file completely (schema, survey of every row) before the embedded database starts. */
export async function readSqliteSnapshot(spec: SqliteSpec): Promise<SqliteSnapshot> {
  const db = await openSqlite(spec.path);
  try {
    const sha256 = await fileSha256(spec.path);
    const translation = translateSqlite(readSqliteSchema(db), { timeZone: spec.timeZone });
    const survey = surveySqlite(db, translation);
    const nextIdentity = new Map<string, bigint>();
    for (const table of translation.tables) {
      const next = nextIdentityValue(db, table);
      if (next !== undefined) nextIdentity.set(table.name, next);
    }
    return { path: spec.path, sha256, timeZone: spec.timeZone, translation, findings: translation.findings, survey, nextIdentity };
  } catch (error) {
    throw isPgdriftError(error) ? error : new PgdriftError('source-failed', `${spec.path}: ${messageOf(error)}`, { cause: error });
  } finally {
    db.close();
  }
}

export async function openSqliteSource(spec: SqliteSpec, options: { cacheDir?: string | undefined } = {}): Promise<Source> {
  const snapshot = await readSqliteSnapshot(spec);
  const db = await startEmbedded({ archives: [], cacheDir: options.cacheDir }).catch((error: unknown) => {
    throw new PgdriftError('internal', `starting the embedded database for ${spec.path}: ${messageOf(error)}`, { cause: error });
  });
  const where = `${SQLITE_PREFIX}${spec.path}`;
  const server = { versionNum: db.serverVersionNum, version: db.serverVersion };
  try {
    const empty = await introspect({ db, where, database: basename(spec.path), server });
    for (const statement of planMigration(empty.model, snapshot.translation.model).statements) await db.query(statement.sql);
    // initdb gives schema public this comment on every server; the translation has none to give.
    // A SQLite file says nothing about schema public, so it must not ask to change it.
    await db.query("COMMENT ON SCHEMA public IS 'standard public schema'");
  } catch (error) {
    await db.close();
    throw new PgdriftError('source-failed', `${spec.path}: its translation to PostgreSQL did not load: ${messageOf(error)}`, { cause: error });
  }
  return {
    kind: 'sqlite',
    db,
    where,
    database: basename(spec.path),
    server,
    sqlite: snapshot,
    close: () => db.close(),
  };
}
