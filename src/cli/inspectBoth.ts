/**
 * Reads both sides at once, each a live database (on its own connection, in its own read-only
 * snapshot) or SQL files (loaded into an embedded database of its own). Both are checked (URL
 * syntax; files found and decoded) before either is opened; both reads always finish before an
 * error is reported, and both sources are closed before this returns, so no connection or
 * embedded database outlives the command; when both fail, the --from error is the one reported.
 * `whileOpen` runs with the --from source still open, for the probes that measure a plan on it, so
 * measuring does not connect (or load the files) a second time.
 */
import type { Queryable } from '../core/db/queryable';
import { PgdriftError, isPgdriftError, messageOf } from '../core/errors';
import { introspect, type IntrospectOptions } from '../core/introspect';
import type { Inspection } from '../core/model/types';
import { openResolved, resolveSource, type Source, type SourceSpec } from '../core/sources';
import { cacheDirOf } from './cacheDir';

export interface Side {
  inspection: Inspection;
  /** "host:port/database", or the path of the SQL files. */
  where: string;
  /** SQL files: extensions created without a VERSION (their version is the embedded database's). */
  unpinnedExtensions?: readonly string[];
}

export async function inspectBoth<T>(
  specs: { from: string; to: string },
  options: Partial<IntrospectOptions>,
  env: NodeJS.ProcessEnv,
  whileOpen: (sides: { from: Side; to: Side }, fromConnection: Queryable) => Promise<T>,
): Promise<T> {
  // Both sides are checked before either is opened.
  const resolved = {
    from: await labelled('--from', () => resolveSource(specs.from, env)),
    to: await labelled('--to', () => resolveSource(specs.to, env)),
  };
  const cacheDir = cacheDirOf(env);
  const [from, to] = await Promise.allSettled([readSide(resolved.from, options, cacheDir, true), readSide(resolved.to, options, cacheDir, false)]);
  try {
    if (from.status === 'rejected') throw withSide('--from', from.reason);
    if (to.status === 'rejected') throw withSide('--to', to.reason);
    const source = from.value.source;
    if (!source) throw new PgdriftError('internal', '--from: connection closed too early');
    return await whileOpen({ from: from.value.side, to: to.value.side }, source.db);
  } finally {
    if (from.status === 'fulfilled') await from.value.source?.close();
  }
}

async function readSide(
  spec: SourceSpec, options: Partial<IntrospectOptions>, cacheDir: string | undefined, keepOpen: boolean,
): Promise<{ side: Side; source?: Source }> {
  const source = await openResolved(spec, { cacheDir });
  let handedOver = false;
  try {
    const side: Side = { inspection: await introspect(source, options), where: source.where };
    if (source.unpinnedExtensions) side.unpinnedExtensions = source.unpinnedExtensions;
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

/** The error as it was (same code, so the same exit code), its message saying which side failed. */
export function withSide(side: string, error: unknown): PgdriftError {
  if (!isPgdriftError(error)) return new PgdriftError('internal', `${side}: unexpected error: ${messageOf(error)}`, { cause: error });
  return new PgdriftError(error.code, `${side}: ${error.message}`, { cause: error });
}
