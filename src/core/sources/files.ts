/**
 * SQL files as a source, once resolved (index.ts: read, parsed, extensions checked, so nothing
 * starts for a file that does not parse or asks for an extension the embedded database lacks):
 * loaded into a fresh embedded database that lives in memory until the source is closed. The database it reports is PGlite's (PostgreSQL 18),
 * whatever server the files were written for.
 */
import { PgdriftError, isPgdriftError, messageOf } from '../errors';
import { unpinnedExtensions } from './extensions';
import { loadScripts } from './load';
import { startEmbedded } from './pglite';
import { createMissingRoles, rolesNamed } from './roles';
import type { Script } from './script';
import { displayNameOf } from './sqlFiles';
import type { Source } from './types';

export interface FilesSourceOptions {
  /** Where the embedded database's initialised data directory is kept between runs (pgliteTemplate.ts). */
  cacheDir?: string | undefined;
}

export async function openFilesSource(
  { path, scripts, archives }: { path: string; scripts: readonly Script[]; archives: readonly string[] }, options: FilesSourceOptions = {},
): Promise<Source> {
  const db = await startEmbedded({ archives, cacheDir: options.cacheDir }).catch((error: unknown) => {
    throw new PgdriftError('internal', `starting the embedded database for ${path}: ${messageOf(error)}`, { cause: error });
  });
  try {
    await createMissingRoles(db, rolesNamed(scripts));
    await loadScripts(db, scripts);
  } catch (error) {
    await db.close();
    throw isPgdriftError(error) ? error : new PgdriftError('source-failed', `${path}: ${messageOf(error)}`, { cause: error });
  }
  return {
    kind: 'files',
    db,
    where: path,
    database: displayNameOf(path),
    server: { versionNum: db.serverVersionNum, version: db.serverVersion },
    unpinnedExtensions: unpinnedExtensions(scripts),
    close: () => db.close(),
  };
}
