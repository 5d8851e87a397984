/**
 * The SQL-file source benchmark (issue 5): how long loading a 1,000-table schema file into the
 * embedded database (PGlite) takes, against loading the same file into the real PostgreSQL 15
 * with psql, in the same run.
 *
 * The file is the generated 1,000-table schema of bench/schema.ts (trigger functions, tables with
 * identity keys, foreign keys, checks, partial and expression indexes, triggers, views) written as
 * one script. Embedded: each run is a fresh Node process (bench/sourceLoad.ts) that resolves the
 * source (read, decode, split with libpg_query), starts PGlite from the cached initialised data
 * directory and runs the statements one by one, as `pgdrift diff --to FILE` does; the first run,
 * with an empty cache, also runs initdb, and is reported on its own. psql: `psql -X -q -v
 * ON_ERROR_STOP=1 -f FILE` into a fresh database of the private PostgreSQL 15 cluster over
 * loopback TCP, one statement at a time in autocommit mode as well, timed from spawn to exit.
 *
 * `npm run bench` runs it after the end-to-end comparison (bench/run.ts). On its own:
 *   npx tsx bench/sources.ts            # prints the report, writes bench/tmp/sources.json
 *   npx tsx bench/sources.ts --write    # also replaces this section in bench/RESULTS.md and results.json
 *   npx tsx bench/sources.ts --rewrite  # writes the last run's figures (bench/tmp/sources.json) again
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { serverLabel } from '../src/core/render/serverVersion';
import { createDatabase, startCluster } from '../tools/cluster';
import { TRIGGER_FUNCTIONS, tableDdl } from './schema';
import type { SourceLoadResult } from './sourceLoad';
import { runStandalone, writeBenchSection } from './resultsFile';
import { median } from './stats';

const ROOT = resolve(__dirname, '..');
const TMP = join(ROOT, 'bench', 'tmp');
const TABLES = 1000;
const RUNS = 5;
const HEADING = '## Loading a 1,000-table schema file into the embedded database';
const TARGET_PREFIX = '- Loading a 1,000-table schema file into the embedded database';

export interface SourceBenchResult {
  file: { tables: number; bytes: number; statements: number };
  /** The first run, with no cached data directory: initdb included. */
  cold: SourceLoadResult;
  embedded: SourceLoadResult[];
  psqlMs: number[];
  medians: { parseMs: number; startMs: number; statementsMs: number; loadMs: number; introspectMs: number; psqlMs: number };
  /** Embedded load (median) over psql (median). */
  ratio: number;
  serverVersion: string;
  loadAverageBefore: number;
}

export interface SourceBenchOptions {
  /** URL of a database of the private PostgreSQL 15 cluster. */
  url: (database?: string) => string;
  log?: (line: string) => void;
}

const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function schemaFile(): string {
  mkdirSync(TMP, { recursive: true });
  const file = join(TMP, `schema_${TABLES}.sql`);
  const parts = [TRIGGER_FUNCTIONS];
  for (let i = 1; i <= TABLES; i++) parts.push(tableDdl(i));
  writeFileSync(file, `${parts.join('\n')}\n`);
  return file;
}

function run(command: string, args: string[]): Promise<{ stdout: string; wallMs: number }> {
  return new Promise((resolvePromise, reject) => {
    const start = performance.now();
    let stdout = '';
    let stderr = '';
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PGCLIENTENCODING: 'UTF8' } });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - start;
      if (code === 0 && stderr.trim() === '') resolvePromise({ stdout, wallMs });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

async function embeddedLoad(file: string, cacheDir: string): Promise<SourceLoadResult> {
  const { stdout } = await run(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'bench', 'sourceLoad.ts'), file, cacheDir]);
  return JSON.parse(stdout) as SourceLoadResult;
}

export async function runSourceBench(options: SourceBenchOptions): Promise<SourceBenchResult> {
  const log = options.log ?? (() => undefined);
  const loadAverageBefore = loadavg()[0]!;
  const file = schemaFile();
  const cacheDir = join(TMP, 'pglite-cache');
  rmSync(cacheDir, { recursive: true, force: true });
  const cold = await embeddedLoad(file, cacheDir);
  log(`bench: sources: cold load (initdb) ${sec(cold.loadMs)}, ${cold.statements} statements, ${cold.tables} tables`);
  const embedded: SourceLoadResult[] = [];
  for (let i = 0; i < RUNS; i++) embedded.push(await embeddedLoad(file, cacheDir));
  log(`bench: sources: embedded load median ${sec(median(embedded.map((r) => r.loadMs)))}`);
  const psqlMs: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const database = `src_load_${i}`;
    await createDatabase(options.url(), database);
    const { wallMs } = await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', options.url(database), '-f', file]);
    // The first is a warm-up (file and catalog caches), as the embedded cold run is.
    if (i > 0) psqlMs.push(wallMs);
  }
  log(`bench: sources: psql into PostgreSQL 15 median ${sec(median(psqlMs))}`);
  const medians = {
    parseMs: median(embedded.map((r) => r.parseMs)),
    startMs: median(embedded.map((r) => r.startMs)),
    statementsMs: median(embedded.map((r) => r.statementsMs)),
    loadMs: median(embedded.map((r) => r.loadMs)),
    introspectMs: median(embedded.map((r) => r.introspectMs)),
    psqlMs: median(psqlMs),
  };
  return {
    file: { tables: TABLES, bytes: statSync(file).size, statements: cold.statements },
    cold,
    embedded,
    psqlMs,
    medians,
    ratio: medians.loadMs / medians.psqlMs,
    serverVersion: cold.serverVersion,
    loadAverageBefore: Number(loadAverageBefore.toFixed(2)),
  };
}

export function sourceBenchTargetLines(r: SourceBenchResult): string[] {
  return [
    `${TARGET_PREFIX} (${r.file.statements.toLocaleString('en')} statements): median ${sec(r.medians.loadMs)} over ${r.embedded.length} runs, `
      + `against ${sec(r.medians.psqlMs)} for psql into PostgreSQL 15: ${r.ratio.toFixed(1)}x as long (no target set).`,
  ];
}

export function sourceBenchSection(r: SourceBenchResult): string[] {
  const row = (label: string, x: SourceLoadResult) => `| ${label} | ${sec(x.parseMs)} | ${sec(x.startMs)} | ${sec(x.statementsMs)} | ${sec(x.loadMs)} | ${sec(x.introspectMs)} | ${(x.maxRssBytes / 1024 / 1024).toFixed(0)} MiB |`;
  return [
    HEADING,
    '',
    `The generated ${r.file.tables.toLocaleString('en')}-table schema (bench/schema.ts: identity keys, foreign keys, checks, partial and expression`
      + ` indexes, a trigger per table, a view per 20 tables) as one SQL file: ${(r.file.bytes / 1024).toFixed(0)} KiB,`
      + ` ${r.file.statements.toLocaleString('en')} statements. Loaded as \`pgdrift diff --to FILE\` loads it, into ${serverLabel(r.serverVersion)},`
      + ` each run in a fresh Node process (bench/sourceLoad.ts); and with psql into the private PostgreSQL 15 cluster, in the same run.`,
    '',
    '| Embedded run | Parse (libpg_query) | Start PGlite | Statements | Load (sum) | Introspect (not in load) | Peak RSS |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row('first, no cached data directory (initdb)', r.cold),
    ...r.embedded.map((x, i) => row(`run ${i + 1}`, x)),
    `| **median of ${r.embedded.length}** | ${sec(r.medians.parseMs)} | ${sec(r.medians.startMs)} | ${sec(r.medians.statementsMs)} | **${sec(r.medians.loadMs)}** | ${sec(r.medians.introspectMs)} | |`,
    '',
    `psql (\`psql -X -q -v ON_ERROR_STOP=1 -f FILE\`, fresh database each run, after one warm-up): ${r.psqlMs.map(sec).join(', ')};`
      + ` median **${sec(r.medians.psqlMs)}**. The embedded load takes **${r.ratio.toFixed(1)}x** as long as psql.`,
    '',
    '- Both run one statement at a time in autocommit mode. PGlite is PostgreSQL compiled to WebAssembly and run in the'
      + ' Node process: every statement crosses from JavaScript into WebAssembly and back through node-postgres, and the'
      + ' server code runs slower than native code; psql talks to a native server over loopback TCP.',
    '- "Start PGlite" unpacks the initialised data directory that the first run kept (~/.cache/pgdrift in normal use);'
      + ' the first run on a machine runs initdb inside WebAssembly instead, the row above the runs.',
    `- The machine was shared: 1-minute load average ${r.loadAverageBefore} before this section started. Compare runs taken under similar load.`,
    '',
  ];
}

/** `--write`: this section, its target lines and `sources` in results.json. */
function writeSection(r: SourceBenchResult): void {
  writeBenchSection(ROOT, { heading: HEADING, targetPrefixes: [TARGET_PREFIX], section: sourceBenchSection(r), targetLines: sourceBenchTargetLines(r), jsonKey: 'sources', value: r });
}

/** On its own: the benchmark on a private PostgreSQL 15 cluster, stopped afterwards. */
async function runOnOwnCluster(): Promise<SourceBenchResult> {
  console.log('bench: sources: starting a private PostgreSQL 15 cluster');
  const cluster = await startCluster(15);
  try {
    return await runSourceBench({ url: (db) => cluster.url(db), log: (line) => console.log(line) });
  } finally {
    await cluster.stop();
  }
}

if (require.main === module) {
  runStandalone({ name: 'sources', tmp: TMP, run: runOnOwnCluster, section: sourceBenchSection, write: writeSection });
}
