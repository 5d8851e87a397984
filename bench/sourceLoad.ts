/**
 * One measured load of a SQL file into the embedded database, in a fresh Node process (run by
 * bench/sources.ts): the phases of a SQL-file source, timed in-process, printed as JSON.
 *
 *   npx tsx bench/sourceLoad.ts FILE [CACHE_DIR]
 *
 * With CACHE_DIR the initialised data directory is taken from there (what every run after the
 * first does); without, the embedded database runs initdb first (a user's very first run).
 */
import { performance } from 'node:perf_hooks';
import { introspect } from '../src/core/introspect';
import { resolveSource } from '../src/core/sources';
import { loadScripts } from '../src/core/sources/load';
import { startEmbedded } from '../src/core/sources/pglite';

export interface SourceLoadResult {
  /** Reading and decoding the file, splitting it with libpg_query (its WebAssembly load included). */
  parseMs: number;
  /** Starting PGlite: compiling its WebAssembly, unpacking the data directory (or running initdb). */
  startMs: number;
  /** Running the statements one by one. */
  statementsMs: number;
  /** parse + start + statements: what opening the source costs. */
  loadMs: number;
  /** Reading the loaded schema with the catalog queries, for comparison. */
  introspectMs: number;
  statements: number;
  tables: number;
  serverVersion: string;
  maxRssBytes: number;
}

async function main(): Promise<void> {
  const [file, cacheDir] = process.argv.slice(2);
  if (!file) throw new Error('usage: sourceLoad.ts FILE [CACHE_DIR]');
  const t0 = performance.now();
  const spec = await resolveSource(file, {});
  if (spec.kind !== 'files') throw new Error(`${file} is not a path`);
  const t1 = performance.now();
  const db = await startEmbedded({ archives: spec.archives, cacheDir });
  const t2 = performance.now();
  try {
    await loadScripts(db, spec.scripts);
    const t3 = performance.now();
    const inspection = await introspect({ db, where: file, database: 'bench', server: { versionNum: db.serverVersionNum, version: db.serverVersion } });
    const t4 = performance.now();
    const result: SourceLoadResult = {
      parseMs: t1 - t0,
      startMs: t2 - t1,
      statementsMs: t3 - t2,
      loadMs: t3 - t0,
      introspectMs: t4 - t3,
      statements: spec.scripts.reduce((n, s) => n + s.split.statements.length, 0),
      tables: inspection.model.tables.length,
      serverVersion: db.serverVersion,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`sourceLoad: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exitCode = 1;
});
