/**
 * Reads both sides, each a live database (on its own connection, in its own read-only snapshot)
 * or SQL files (loaded into an embedded database of its own): live ones at once, files after them
 * (readSides). Both are checked (URL syntax; files found, decoded and parsed) before either is
 * opened; every read started finishes before an error is reported, and both sources are closed
 * before this returns, so no connection or embedded database outlives the command; when both
 * fail, the --from error is the one reported.
 * `whileOpen` runs with the --from source still open, for the probes that measure a plan on it, so
 * measuring does not connect (or load the files) a second time; with `keepTo`, the --to source
 * stays open too (the reference-data sync reads its rows).
 */
import type { Queryable } from '../db/queryable';
import { PgdriftError, isPgdriftError, messageOf } from '../errors';
import { introspect, type IntrospectOptions } from '../introspect';
import type { Inspection } from '../model/types';
import { SQLITE_PREFIX, openResolved, resolveSource, type ProfileResolver, type SqliteSnapshot, type Source, type SourceSpec } from '../sources';
import { cacheDirOf } from '../sources/cacheDir';

export interface Side {
  inspection: Inspection;
  /** "host:port/database", or the path of the SQL files. */
  where: string;
  /** SQL files: extensions created without a VERSION (their version is the embedded database's). */
  unpinnedExtensions?: readonly string[];
  /** A SQLite file: what the plan's data copy needs about its rows. */
  sqlite?: SqliteSnapshot;
}

export async function inspectBoth<T>(
  specs: { from: string; to: string; keepTo?: boolean; sqliteTimeZone?: string | undefined },
  options: Partial<IntrospectOptions>,
  env: NodeJS.ProcessEnv,
  whileOpen: (sides: { from: Side; to: Side }, fromConnection: Queryable, toConnection: Queryable | undefined) => Promise<T>,
  profiles?: ProfileResolver,
): Promise<T> {
  // Both sides are checked before either is opened.
  if (specs.from.startsWith(SQLITE_PREFIX)) {
    throw new PgdriftError('usage', `--from ${specs.from}: --from is the database to change, and a SQLite file is only read: `
      + `give it as the desired state, --to ${specs.from}, and the PostgreSQL database to fill as --from`);
  }
  const resolved = {
    from: await labelled('--from', () => resolveSource(specs.from, env, profiles)),
    to: await labelled('--to', () => resolveSource(specs.to, env, profiles, specs.sqliteTimeZone)),
  };
  const cacheDir = cacheDirOf(env);
  const { from, to } = await readSides(resolved, specs.keepTo === true, (spec, keepOpen) => readSide(spec, options, cacheDir, keepOpen));
  try {
    // A side skipped because the other failed is no error of its own.
    if (from.status === 'rejected' && from.reason !== NOT_LOADED) throw withSide('--from', from.reason);
    if (to.status === 'rejected' && to.reason !== NOT_LOADED) throw withSide('--to', to.reason);
    if (from.status === 'rejected' || to.status === 'rejected') throw new PgdriftError('internal', 'a side was not read');
    const source = from.value.source;
    if (!source) throw new PgdriftError('internal', '--from: connection closed too early');
    return await whileOpen({ from: from.value.side, to: to.value.side }, source.db, to.value.source?.db);
  } finally {
    if (from.status === 'fulfilled') await from.value.source?.close();
    if (to.status === 'fulfilled') await to.value.source?.close();
  }
}

type Read = PromiseSettledResult<{ side: Side; source?: Source }>;

const NOT_LOADED = new Error('not loaded: the other side failed');

/**
 * Live sides are read first, both at once; SQL files and SQLite files after them, one at a time. PGlite runs in
 * this thread, and starting it or loading a file keeps the event loop busy for seconds: a live
 * connection being opened meanwhile would miss its connect timeout although the server answered.
 * An idle open connection waits unharmed. When a live side failed, the files are not loaded: that
 * error is the answer (they were parsed already, so their syntax errors are found either way).
 */
async function readSides(
  resolved: { from: SourceSpec; to: SourceSpec }, keepTo: boolean, read: (spec: SourceSpec, keepOpen: boolean) => Promise<{ side: Side; source?: Source }>,
): Promise<{ from: Read; to: Read }> {
  const keep = (k: 'from' | 'to') => k === 'from' || keepTo;
  const keys = ['from', 'to'] as const;
  const skipped: Read = { status: 'rejected', reason: NOT_LOADED };
  const results: Record<'from' | 'to', Read> = { from: skipped, to: skipped };
  const live = keys.filter((k) => resolved[k].kind === 'live');
  const settled = await Promise.allSettled(live.map((k) => read(resolved[k], keep(k))));
  live.forEach((k, i) => (results[k] = settled[i] ?? skipped));
  if (settled.some((r) => r.status === 'rejected')) return results;
  for (const k of keys.filter((key) => resolved[key].kind !== 'live')) {
    results[k] = (await Promise.allSettled([read(resolved[k], keep(k))]))[0] ?? skipped;
  }
  return results;
}

async function readSide(
  spec: SourceSpec, options: Partial<IntrospectOptions>, cacheDir: string | undefined, keepOpen: boolean,
): Promise<{ side: Side; source?: Source }> {
  const source = await openResolved(spec, { cacheDir });
  let handedOver = false;
  try {
    const side: Side = { inspection: await introspect(source, options), where: source.where };
    if (source.unpinnedExtensions) side.unpinnedExtensions = source.unpinnedExtensions;
    if (source.sqlite) side.sqlite = source.sqlite;
    handedOver = keepOpen;
    return keepOpen ? { side, source } : { side };
  } finally {
    if (!handedOver) await source.close();
  }
}

async function labelled<T>(side: string, resolve: () => Promise<T>): Promise<T> {
  try {
    return await resolve();
  } catch (error) {
    throw withSide(side, error);
  }
}

/** The error as it was (same code, so the same exit code, and the same fix), its message saying which side failed. */
export function withSide(side: string, error: unknown): PgdriftError {
  if (!isPgdriftError(error)) return new PgdriftError('internal', `${side}: unexpected error: ${messageOf(error)}`, { cause: error });
  return new PgdriftError(error.code, `${side}: ${error.message}`, { cause: error, fix: error.fix });
}
