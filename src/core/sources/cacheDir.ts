/**
 * Where SQL-file sources keep the embedded database's initialised data directory between runs
 * (src/core/sources/pgliteTemplate.ts): PGDRIFT_CACHE_DIR, else $XDG_CACHE_HOME/pgdrift, else
 * ~/.cache/pgdrift. PGDRIFT_CACHE_DIR set to an empty string keeps nothing on disk.
 */
import { join } from 'node:path';

export function cacheDirOf(env: NodeJS.ProcessEnv): string | undefined {
  const explicit = env.PGDRIFT_CACHE_DIR;
  if (explicit !== undefined) return explicit === '' ? undefined : explicit;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'pgdrift');
  if (env.HOME) return join(env.HOME, '.cache', 'pgdrift');
  return undefined;
}
