/**
 * Copying 1,000,000 SQLite rows into PostgreSQL (issue 10): how many rows per second pgdrift moves
 * with `plan --to sqlite:FILE` and `run`, against pgloader loading the same file in the same run.
 *
 * The file is bench/sqliteData.ts's production database (machines, users, shifts, production
 * orders; DATETIME text in SAST, booleans 0/1), built once and kept in bench/tmp/sqlite-copy.
 * Each sample, into a fresh empty database of the private PostgreSQL 15 cluster:
 * - pgdrift: `node dist/cli.js plan --from URL --to sqlite:FILE --sqlite-time-zone
 *   Africa/Johannesburg -o plan.sql` (exit 2: differences), then `node dist/cli.js run plan.sql
 *   --target URL` (exit 0), each timed from spawn to exit with its peak RSS;
 * - the baseline (bench/sqliteBaseline.ts: pgloader, or sqlite3 CSV piped into psql \copy), timed
 *   the same way;
 * - then both databases are checked against the file (bench/sqliteChecks.ts: counts, booleans,
 *   sums, earliest and latest time stamps as wall-clock time): a mismatch fails the benchmark.
 * The two take turns, the baseline first in every other sample; each database is dropped after
 * its check. dist/ is copied to bench/tmp/sqlite-copy/dist first, so a rebuild during the run
 * does not change what is measured.
 *
 * `npm run bench` runs it after loading the SQL file (bench/run.ts); PGDRIFT_BENCH_ONLY=sqlite
 * runs only this section. On its own:
 *   npx tsx bench/sqliteCopy.ts            # prints the report, writes bench/tmp/sqliteCopy.json
 *   npx tsx bench/sqliteCopy.ts --write    # also replaces this section, its target line and its summary row in bench/RESULTS.md
 *   npx tsx bench/sqliteCopy.ts --rewrite  # writes the last run's figures again
 * PGDRIFT_BENCH_QUICK=1 takes one sample instead of three.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createDatabase, startCluster, withClient } from '../tools/cluster';
import { openSqlite } from '../src/core/sqlite/open';
import { chooseBaseline, sourceZoneSql } from './sqliteBaseline';
import { type CheckValues, mismatches, postgresValues, sqliteValues } from './sqliteChecks';
import { writeSqliteCopySection, sqliteCopySection } from './sqliteCopyReport';
import { type AppTable, SOURCE_TIME_ZONE, TOTAL_ROWS, sqliteBenchFile } from './sqliteData';
import { runStandalone } from './resultsFile';
import { median } from './stats';
import { timed } from './timedProcess';

const ROOT = resolve(__dirname, '..');
const TMP = join(ROOT, 'bench', 'tmp');
const WORK = join(TMP, 'sqlite-copy');

export interface Timing {
  wallMs: number;
  maxRssBytes: number;
}

export interface SqliteCopySample {
  pgdrift: {
    plan: Timing;
    run: Timing;
    totalMs: number;
    copyStatements: number;
    /** Indexes, keys, unique, check and foreign-key constraints the plan creates before its COPY statements (PostgreSQL maintains them row by row during the copy). */
    builtBeforeCopy: number;
    /** Each phase's duration as the run's journal line records it (the COPY statements are in migrate-data). */
    phasesMs: Record<string, number>;
  };
  baseline?: Timing;
  /** Which ran first in this sample. */
  first: 'pgdrift' | 'baseline';
}

export interface SqliteCopyResult {
  date: string;
  commit: string;
  srcModified: boolean;
  file: { bytes: number; rows: Record<AppTable, number>; totalRows: number; zone: string; buildMs?: number };
  samples: SqliteCopySample[];
  baseline?: { tool: string; command: string; what: string; version: string; note?: string };
  /** Why no baseline was measured. */
  baselineSkipped?: string;
  /** The values every copy was checked against (from the SQLite file); every copy matched them. */
  checked: CheckValues;
  medians: {
    planMs: number; runMs: number; copyPhaseMs: number; totalMs: number; runRssBytes: number; planRssBytes: number;
    baselineMs?: number; baselineRssBytes?: number;
  };
  /** `copyPhase`: the rows over the migrate-data phase alone (tables already created, identities and validation after). */
  rowsPerSecond: { run: number; copyPhase: number; endToEnd: number; baseline?: number };
  /** Baseline time over pgdrift's plan + run (median over median): above 1, pgdrift is faster. */
  ratio?: number;
  serverVersion: string;
  loadAverageBefore: number;
  loadAverageAfter: number;
}

export interface SqliteCopyOptions {
  /** URL of a database of the private PostgreSQL 15 cluster. */
  url: (database?: string) => string;
  samples?: number;
  log?: (line: string) => void;
}

function revision(): { commit: string; srcModified: boolean } {
  const git = (...args: string[]) => spawnSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).stdout.trim();
  return { commit: git('rev-parse', '--short', 'HEAD') || 'unknown', srcModified: git('status', '--porcelain', '--', 'src') !== '' };
}

/** dist/ as it is now (the bundles and the WebAssembly files beside them), safe from a rebuild during the run. */
function snapshotCli(): string {
  const src = join(ROOT, 'dist');
  if (!existsSync(join(src, 'cli.js'))) throw new Error('dist/cli.js not found: run npm run build first');
  const dest = join(WORK, 'dist');
  rmSync(dest, { recursive: true, force: true });
  cpSync(src, dest, { recursive: true, filter: (p) => !p.endsWith('.vsix') && !p.endsWith('.map') });
  return join(dest, 'cli.js');
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** The database's values, which must be the file's. */
async function check(url: string, expected: CheckValues, who: string): Promise<void> {
  const found = await withClient(url, postgresValues);
  const wrong = mismatches(expected, found);
  if (wrong.length > 0) throw new Error(`${who}: the copy does not match the SQLite file:\n  ${wrong.join('\n  ')}`);
}

const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

export async function runSqliteCopyBench(options: SqliteCopyOptions): Promise<SqliteCopyResult> {
  const log = options.log ?? (() => undefined);
  const samples = options.samples ?? 3;
  const loadAverageBefore = loadavg()[0]!;
  const file = await sqliteBenchFile(WORK, log);
  const db = await openSqlite(file.path);
  let expected: CheckValues;
  try {
    expected = sqliteValues(db);
  } finally {
    db.close();
  }
  const cli = snapshotCli();
  const chosen = chooseBaseline(log);
  const baseline = typeof chosen === 'string' ? undefined : chosen;
  if (baseline) log(`bench: sqlite: baseline ${baseline.tool} (${baseline.version})${baseline.note ? `: ${baseline.note}` : ''}`);
  else log(`bench: sqlite: no baseline: ${chosen as string}`);
  const serverVersion = await withClient(options.url(), async (c) => (await c.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version);

  const runPgdrift = async (i: number): Promise<SqliteCopySample['pgdrift']> => {
    const database = `sqlite_pgdrift_${i}`;
    const url = options.url(database);
    const dir = join(WORK, `pgdrift-${i}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await createDatabase(options.url(), database);
    const planFile = join(dir, 'plan.sql');
    const plan = await timed(process.execPath, [cli, 'plan', '--from', url, '--to', `sqlite:${file.path}`, '--sqlite-time-zone', SOURCE_TIME_ZONE, '-o', planFile],
      { usageFile: join(dir, 'usage-plan.txt'), okCodes: [2], cwd: dir });
    const planText = readFileSync(planFile, 'utf8');
    const copyStatements = (planText.match(/^COPY /gm) ?? []).length;
    const beforeCopy = planText.slice(0, Math.max(0, planText.search(/^COPY /m)));
    const builtBeforeCopy = (beforeCopy.match(/^(CREATE (UNIQUE )?INDEX|ALTER TABLE .* ADD CONSTRAINT)/gm) ?? []).length;
    const run = await timed(process.execPath, [cli, 'run', planFile, '--target', url, '--journal', dir],
      { usageFile: join(dir, 'usage-run.txt'), cwd: dir });
    writeFileSync(join(dir, 'run.log'), run.stdout);
    const journal = JSON.parse(readFileSync(join(dir, 'journal.jsonl'), 'utf8').trim().split('\n').pop()!) as { phases: { name: string; durationMs: number }[] };
    const phasesMs = Object.fromEntries(journal.phases.map((p) => [p.name, p.durationMs]));
    await check(url, expected, `pgdrift, sample ${i + 1}`);
    await dropDatabase(options.url(), database);
    const t = (x: { wallMs: number; maxRssBytes: number }): Timing => ({ wallMs: x.wallMs, maxRssBytes: x.maxRssBytes });
    log(`bench: sqlite: pgdrift sample ${i + 1}: plan ${sec(plan.wallMs)}, run ${sec(run.wallMs)} `
      + `(${Math.round(TOTAL_ROWS / (run.wallMs / 1000)).toLocaleString('en')} rows/s; migrate-data phase ${sec(phasesMs['migrate-data'] ?? 0)}), `
      + `${copyStatements} COPY statements, checked`);
    return { plan: t(plan), run: t(run), totalMs: plan.wallMs + run.wallMs, copyStatements, builtBeforeCopy, phasesMs };
  };

  const runBaseline = async (i: number): Promise<Timing | undefined> => {
    if (!baseline) return undefined;
    const database = `sqlite_baseline_${i}`;
    const dir = join(WORK, `baseline-${i}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await createDatabase(options.url(), database);
    await withClient(options.url(), (c) => c.query(sourceZoneSql(database)));
    const r = await baseline.load(file.path, options.url(database), dir);
    await check(options.url(database), expected, `${baseline.tool}, sample ${i + 1}`);
    await dropDatabase(options.url(), database);
    log(`bench: sqlite: ${baseline.tool} sample ${i + 1}: ${sec(r.wallMs)} (${Math.round(TOTAL_ROWS / (r.wallMs / 1000)).toLocaleString('en')} rows/s), checked`);
    return { wallMs: r.wallMs, maxRssBytes: r.maxRssBytes };
  };

  const out: SqliteCopySample[] = [];
  for (let i = 0; i < samples; i++) {
    const first = i % 2 === 0 ? 'pgdrift' : 'baseline';
    let pg: SqliteCopySample['pgdrift'];
    let base: Timing | undefined;
    if (first === 'pgdrift') {
      pg = await runPgdrift(i);
      base = await runBaseline(i);
    } else {
      base = await runBaseline(i);
      pg = await runPgdrift(i);
    }
    out.push({ pgdrift: pg, ...(base ? { baseline: base } : {}), first });
  }

  const totalMs = median(out.map((s) => s.pgdrift.totalMs));
  const runMs = median(out.map((s) => s.pgdrift.run.wallMs));
  const copyPhaseMs = median(out.map((s) => s.pgdrift.phasesMs['migrate-data'] ?? Number.NaN));
  const baselineRuns = out.flatMap((s) => (s.baseline ? [s.baseline] : []));
  const baselineMs = baselineRuns.length ? median(baselineRuns.map((b) => b.wallMs)) : undefined;
  return {
    date: new Date().toISOString(),
    ...revision(),
    file: { bytes: file.bytes, rows: file.rows, totalRows: TOTAL_ROWS, zone: SOURCE_TIME_ZONE, ...(file.buildMs !== undefined ? { buildMs: file.buildMs } : {}) },
    samples: out,
    ...(baseline ? { baseline: { tool: baseline.tool, command: baseline.command, what: baseline.what, version: baseline.version, ...(baseline.note ? { note: baseline.note } : {}) } } : { baselineSkipped: chosen as string }),
    checked: expected,
    medians: {
      planMs: median(out.map((s) => s.pgdrift.plan.wallMs)),
      runMs,
      copyPhaseMs,
      totalMs,
      planRssBytes: median(out.map((s) => s.pgdrift.plan.maxRssBytes)),
      runRssBytes: median(out.map((s) => s.pgdrift.run.maxRssBytes)),
      ...(baselineMs !== undefined ? { baselineMs, baselineRssBytes: median(baselineRuns.map((b) => b.maxRssBytes)) } : {}),
    },
    rowsPerSecond: {
      run: TOTAL_ROWS / (runMs / 1000),
      copyPhase: TOTAL_ROWS / (copyPhaseMs / 1000),
      endToEnd: TOTAL_ROWS / (totalMs / 1000),
      ...(baselineMs !== undefined ? { baseline: TOTAL_ROWS / (baselineMs / 1000) } : {}),
    },
    ...(baselineMs !== undefined ? { ratio: baselineMs / totalMs } : {}),
    serverVersion,
    loadAverageBefore: Number(loadAverageBefore.toFixed(2)),
    loadAverageAfter: Number(loadavg()[0]!.toFixed(2)),
  };
}

/** On its own: the benchmark on a private PostgreSQL 15 cluster, stopped afterwards. */
export async function runSqliteCopyOnOwnCluster(samples: number): Promise<SqliteCopyResult> {
  console.log('bench: sqlite: starting a private PostgreSQL 15 cluster');
  const cluster = await startCluster(15);
  try {
    return await runSqliteCopyBench({ url: (db) => cluster.url(db), samples, log: (line) => console.log(line) });
  } finally {
    await cluster.stop();
  }
}

if (require.main === module) {
  runStandalone({
    name: 'sqliteCopy',
    tmp: TMP,
    run: () => runSqliteCopyOnOwnCluster(process.env.PGDRIFT_BENCH_QUICK === '1' ? 1 : 3),
    section: sqliteCopySection,
    write: (r) => writeSqliteCopySection(ROOT, r),
  });
}
