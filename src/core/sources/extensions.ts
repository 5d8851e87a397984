/**
 * Extensions of the embedded database. PGlite runs PostgreSQL in WebAssembly: an extension's
 * control file, SQL scripts and compiled module come in an archive that must be handed to PGlite
 * when it starts (it cannot load one later), so the files are read for `CREATE EXTENSION` first
 * and exactly the archives they need are loaded. plpgsql is built in. An extension PGlite does not
 * ship (pgvector, PostGIS, timescaledb, anything third-party) is an error that names it and the
 * statement that asks for it, since loading the rest without it would fail further down anyway.
 */
import { PgdriftError } from '../errors';
import type { Script } from './script';

/** Extension name → the PGlite archive holding it (PGlite 0.5, PostgreSQL 18 contrib). */
export const EMBEDDED_EXTENSIONS: Readonly<Record<string, string>> = {
  amcheck: 'amcheck',
  autoinc: 'spi',
  bloom: 'bloom',
  btree_gin: 'btree_gin',
  btree_gist: 'btree_gist',
  citext: 'citext',
  cube: 'cube',
  dict_int: 'dict_int',
  dict_xsyn: 'dict_xsyn',
  earthdistance: 'earthdistance',
  file_fdw: 'file_fdw',
  fuzzystrmatch: 'fuzzystrmatch',
  hstore: 'hstore',
  insert_username: 'spi',
  intarray: 'intarray',
  isn: 'isn',
  lo: 'lo',
  ltree: 'ltree',
  moddatetime: 'spi',
  pageinspect: 'pageinspect',
  pg_buffercache: 'pg_buffercache',
  pg_freespacemap: 'pg_freespacemap',
  pg_logicalinspect: 'pg_logicalinspect',
  pg_stat_statements: 'pg_stat_statements',
  pg_surgery: 'pg_surgery',
  pg_trgm: 'pg_trgm',
  pg_visibility: 'pg_visibility',
  pg_walinspect: 'pg_walinspect',
  pgcrypto: 'pgcrypto',
  refint: 'spi',
  seg: 'seg',
  tablefunc: 'tablefunc',
  tcn: 'tcn',
  tsm_system_rows: 'tsm_system_rows',
  tsm_system_time: 'tsm_system_time',
  unaccent: 'unaccent',
  'uuid-ossp': 'uuid-ossp',
};

/** Extensions that CREATE EXTENSION … CASCADE installs first (their control files' `requires`). */
const REQUIRES: Readonly<Record<string, readonly string[]>> = { earthdistance: ['cube'] };

/** Compiled into the server: CREATE EXTENSION plpgsql needs no archive. */
const BUILT_IN = new Set(['plpgsql']);

/** The archives the scripts' CREATE EXTENSION statements need, in a stable order. */
export function extensionArchives(scripts: readonly Script[]): string[] {
  const archives = new Set<string>();
  for (const script of scripts) {
    for (const statement of script.split.statements) {
      const create = (statement.node as { CreateExtensionStmt?: { extname?: string } }).CreateExtensionStmt;
      if (!create?.extname) continue;
      const name = create.extname;
      if (BUILT_IN.has(name)) continue;
      const archive = EMBEDDED_EXTENSIONS[name];
      if (archive === undefined) {
        throw new PgdriftError(
          'source-failed',
          `${script.file.name}:${statement.line}:${statement.column}: extension "${name}" is not available in the embedded`
            + ` database (PGlite ships the PostgreSQL contrib extensions: ${Object.keys(EMBEDDED_EXTENSIONS).join(', ')});`
            + ' load this schema into a PostgreSQL server that has it and pass that database\'s URL instead',
        );
      }
      for (const required of [...(REQUIRES[name] ?? []), name]) archives.add(EMBEDDED_EXTENSIONS[required] ?? required);
    }
  }
  return [...archives].sort();
}

/**
 * Extensions the scripts create without naming a version (`CREATE EXTENSION citext`, as pg_dump
 * writes it) and never update to one: they ask for "the version this server installs by default",
 * which in the embedded database is PGlite's (citext 1.8 on PostgreSQL 18, where a 15 server has
 * 1.6), so their version is no part of the desired state.
 */
export function unpinnedExtensions(scripts: readonly Script[]): string[] {
  const pinned = new Map<string, boolean>();
  for (const script of scripts) {
    for (const { node } of script.split.statements) {
      const create = (node as { CreateExtensionStmt?: { extname?: string; options?: { DefElem?: { defname?: string } }[] } }).CreateExtensionStmt;
      if (create?.extname) pinned.set(create.extname, (create.options ?? []).some((o) => o.DefElem?.defname === 'new_version'));
      const update = (node as { AlterExtensionStmt?: { extname?: string; options?: { DefElem?: { defname?: string } }[] } }).AlterExtensionStmt;
      if (update?.extname && (update.options ?? []).some((o) => o.DefElem?.defname === 'new_version')) pinned.set(update.extname, true);
    }
  }
  return [...pinned].filter(([, p]) => !p).map(([name]) => name).sort();
}
