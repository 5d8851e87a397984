/**
 * `npm run bench`: introspection on generated schemas (100, 1,000 and 5,000 tables) and on the two
 * ERP fixture databases, in a private PostgreSQL 15 cluster on loopback. Writes bench/results.json
 * (every sample) and bench/RESULTS.md (a summary table of every figure, then the sections). The
 * cluster is stopped at the end, on failure, and on Ctrl-C (tools/cluster.ts stops it on any
 * process exit). PGDRIFT_BENCH_SIZES and PGDRIFT_BENCH_QUICK make a reduced run, written to
 * bench/tmp instead (bench/benchConfig.ts).
 *
 * Per database: one warm-up introspection, then RUNS measured ones, each in a fresh Node process
 * (bench/probe.ts, bundled by esbuild like the CLI) so its peak RSS is that introspection's alone;
 * then CLI_RUNS of `node dist/cli.js inspect --url … --format json > /dev/null`.
 *
 * Then the scale series (bench/scale.ts), per size: @pgkit/migra's introspection of the same
 * database, diff+plan in process for both tools, and the end-to-end comparison (bench/e2e.ts):
 * `pgdrift diff` and @pgkit/migra, taking turns, on the generated database against its variant
 * (bench/schema.ts). Then the same end-to-end comparison on the ERP pair.
 *
 * Then loading a 1,000-table schema file into the embedded database that SQL-file sources use,
 * against psql into the same PostgreSQL 15 (bench/sources.ts); then copying a 1,000,000-row SQLite
 * file into PostgreSQL with `pgdrift plan` + `run`, against pgloader (bench/sqliteCopy.ts;
 * PGDRIFT_BENCH_ONLY=sqlite runs that section alone).
 *
 * Then the hazard probes (bench/probes.ts): measureHazards on a plan that touches a 10-million-row
 * table, in the same cluster, after everything else so building that table disturbs no other figure.
 *
 * Last, after the cluster is stopped, the extension (bench/extension.ts): the .vsix size and
 * pgdrift's activation time in a headless VS Code for the Web, which packages the production build;
 * then, with that package, the Schema Differences view on a generated pair of about 2,000 changes
 * (bench/tree.ts): command to populated tree, and whether the window froze.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import type { Client } from 'pg';
import { createDatabase, startCluster, withClient } from '../tools/cluster';
import { benchConfig } from './benchConfig';
import { runEndToEnd, type EndToEndResult } from './e2e';
import { endToEndMethodSection, endToEndSection, endToEndTargetLines } from './e2eReport';
import { extensionBenchSection, extensionBenchTargetLines, runExtensionBench, type ExtensionBenchResult } from './extension';
import type { ProbeResult } from './probe';
import { probeBenchSection, probeBenchTargetLines, runProbeBench, type ProbeBenchResult } from './probes';
import { runScaleSize, variantDbOf, type ScaleSize } from './scale';
import { scaleSection, type PgdriftIntrospection } from './scaleReport';
import { generateSchema, generateVariantSchema } from './schema';
import { runSourceBench, sourceBenchSection, sourceBenchTargetLines, type SourceBenchResult } from './sources';
import { runSqliteCopyBench, runSqliteCopyOnOwnCluster, type SqliteCopyResult } from './sqliteCopy';
import { sqliteCopySection, sqliteCopyTargetLines } from './sqliteCopyReport';
import { runTreeBench, treeBenchSection, treeBenchTargetLines, type TreeBench } from './tree';
import { median } from './stats';
import { summarySection } from './summary';

const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const TMP = join(ROOT, 'bench', 'tmp');
const PROBES = ['probe', 'migraProbe', 'diffProbe'] as const;
const probeJs = (name: (typeof PROBES)[number]): string => join(TMP, `${name}.js`);
const CONFIG = benchConfig(ROOT);
const SIZES = CONFIG.sizes;
const RUNS = CONFIG.runs;
const CLI_RUNS = CONFIG.cliRuns;
const TARGET_TABLES = 1000;
const TARGET_MS = 500;

interface DatabaseSpec {
  name: string;
  label: string;
  create: (client: Client) => Promise<string>;
}

interface DatabaseResult {
  name: string;
  label: string;
  /** Generating (or loading) the schema, VACUUM ANALYZE included. */
  generationMs: number;
  generationNote: string;
  warmup: ProbeResult;
  runs: ProbeResult[];
  cliMs: number[];
}

const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const kib = (bytes: number): string => (bytes / 1024).toFixed(0);

/** Machine load: the 1-minute load average before the benchmark started, CPU ticks around the measurements. */
let loadBefore = 0;
let ticksStart: number[] = [];
let ticksEnd: number[] = [];

let child: ReturnType<typeof spawn> | undefined;
process.on('exit', () => child?.kill());

/** Runs `node args…`; stdout is returned, or discarded into /dev/null when `discard` is set. */
function node(args: string[], discard = false): Promise<{ stdout: string; wallMs: number }> {
  const devNull = discard ? openSync('/dev/null', 'w') : undefined;
  return new Promise((resolvePromise, reject) => {
    const start = performance.now();
    let stdout = '';
    let stderr = '';
    child = spawn(process.execPath, args, { stdio: ['ignore', devNull ?? 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const wallMs = performance.now() - start;
      child = undefined;
      if (devNull !== undefined) closeSync(devNull);
      if (code === 0) resolvePromise({ stdout, wallMs });
      else reject(new Error(`node ${args.join(' ')} exited with ${signal ?? `code ${code}`}: ${stderr.trim()}`));
    });
  });
}

async function probe(url: string): Promise<ProbeResult> {
  const { stdout } = await node(['--expose-gc', probeJs('probe'), url]);
  return JSON.parse(stdout) as ProbeResult;
}

const databases: DatabaseSpec[] = [
  ...(['from', 'to'] as const).map((side) => ({
    name: `erp_${side}`,
    label: `ERP fixture ${side}.sql`,
    create: async (c: Client) => {
      await c.query(readFileSync(join(ROOT, 'test', 'fixtures', 'erp', `${side}.sql`), 'utf8'));
      await c.query('VACUUM ANALYZE');
      return `loaded test/fixtures/erp/${side}.sql`;
    },
  })),
  ...SIZES.map((n) => ({
    name: `gen_${n}`,
    label: `generated, ${n.toLocaleString('en')} tables`,
    create: async (c: Client) => `${await generateSchema(c, n)} batches`,
  })),
];

/** PGDRIFT_BENCH_ONLY=sqlite: the SQLite copy alone, its figures in bench/tmp (bench/sqliteCopy.ts --write puts them in RESULTS.md). */
async function sqliteOnly(): Promise<void> {
  const result = await runSqliteCopyOnOwnCluster(CONFIG.sqliteSamples);
  mkdirSync(TMP, { recursive: true });
  writeFileSync(join(TMP, 'sqliteCopy.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(sqliteCopySection(result).join('\n'));
  console.log('bench: sqlite: wrote bench/tmp/sqliteCopy.json (npx tsx bench/sqliteCopy.ts --rewrite puts these figures into bench/RESULTS.md)');
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('dist/cli.js not found: run npm run build first');
  if (CONFIG.only === 'sqlite') return sqliteOnly();
  loadBefore = loadavg()[0]!;
  if (CONFIG.reduced) console.log(`bench: reduced run (sizes ${SIZES.join(', ')}${CONFIG.quick ? ', quick' : ''}): writing to bench/tmp`);
  for (const name of PROBES) {
    await build({
      entryPoints: [join(ROOT, 'bench', `${name}.ts`)],
      outfile: probeJs(name),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // @pgkit/* stays in node_modules, loaded as the migra CLI loads it.
      external: ['pg-native', '@pgkit/*'],
      logLevel: 'warning',
    });
  }

  console.log('bench: starting a private PostgreSQL 15 cluster');
  const cluster = await startCluster(15);
  const results: DatabaseResult[] = [];
  const scale: ScaleSize[] = [];
  let erp: EndToEndResult;
  let probes: ProbeBenchResult | undefined;
  let sources: SourceBenchResult | undefined;
  let sqliteCopy: SqliteCopyResult | undefined;
  try {
    const built: Pick<DatabaseResult, 'name' | 'label' | 'generationMs' | 'generationNote'>[] = [];
    for (const db of databases) {
      await createDatabase(cluster.url(), db.name);
      const start = performance.now();
      const generationNote = await withClient(cluster.url(db.name), db.create);
      const generationMs = performance.now() - start;
      console.log(`bench: ${db.label}: schema ready in ${ms(generationMs)} ms (${generationNote})`);
      built.push({ name: db.name, label: db.label, generationMs, generationNote });
    }
    const variantGenerationMs = new Map<number, number>();
    for (const n of SIZES) {
      await createDatabase(cluster.url(), variantDbOf(n));
      const variantStart = performance.now();
      await withClient(cluster.url(variantDbOf(n)), (c) => generateVariantSchema(c, n));
      variantGenerationMs.set(n, performance.now() - variantStart);
      console.log(`bench: variant of ${n} tables: schema ready in ${ms(variantGenerationMs.get(n)!)} ms`);
    }
    ticksStart = cpuTicks();
    for (const b of built) {
      const url = cluster.url(b.name);
      const warmup = await probe(url);
      const runs: ProbeResult[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await probe(url));
      const cliMs: number[] = [];
      for (let i = 0; i < CLI_RUNS; i++) cliMs.push((await node([CLI, 'inspect', '--url', url, '--format', 'json'], true)).wallMs);
      results.push({ ...b, warmup, runs, cliMs });
      console.log(`bench: ${b.label}: introspect median ${ms(median(runs.map((x) => x.introspectMs)))} ms, `
        + `${warmup.queries} queries, CLI median ${ms(median(cliMs))} ms`);
    }
    ticksEnd = cpuTicks();
    const e2eContext = {
      root: ROOT,
      tmpDir: TMP,
      url: (database?: string) => cluster.url(database),
      fingerprintOf: async (url: string) => (await probe(url)).fingerprint,
      execute: async (url: string, sql: string) => void (await withClient(url, (c) => c.query(sql))),
      cpuTicks,
      loadAverage: () => loadavg()[0]!,
      log: (line: string) => console.log(line),
    };
    for (const n of SIZES) {
      scale.push(await runScaleSize({
        e2e: e2eContext,
        runProbe: async (name, args) => (await node([probeJs(name), ...args])).stdout,
      }, n, CONFIG.compareRuns(n), variantGenerationMs.get(n)!));
    }
    erp = await runEndToEnd({ ...e2eContext, pair: 'ERP fixture pair', fromDb: 'erp_from', toDb: 'erp_to', runs: CONFIG.compareRuns(0) });
    if (CONFIG.slowSections) {
      sources = await runSourceBench({ url: (database) => cluster.url(database), log: (line) => console.log(line) });
      sqliteCopy = await runSqliteCopyBench({ url: (database) => cluster.url(database), samples: CONFIG.sqliteSamples, log: (line) => console.log(line) });
      probes = await runProbeBench({ url: (database) => cluster.url(database), log: (line) => console.log(line) });
    }
  } finally {
    await cluster.stop();
  }
  const extension = CONFIG.slowSections ? await runExtensionBench({ log: (line) => console.log(line) }) : undefined;
  const tree = CONFIG.slowSections ? await runTreeBench({ package: false, log: (line) => console.log(line) }) : undefined;
  report(results, scale, erp, probes, sources, sqliteCopy, extension, tree);
}

/** [idle + iowait, steal, total] CPU ticks from /proc/stat. */
function cpuTicks(): number[] {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return [(fields[3] ?? 0) + (fields[4] ?? 0), fields[7] ?? 0, fields.reduce((a, b) => a + b, 0)];
}

/** The commit measured, and whether src/ differed from it (uncommitted changes were measured too). */
function revision(): { commit: string; srcModified: boolean } {
  const git = (...args: string[]) => spawnSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).stdout.trim();
  return { commit: git('rev-parse', '--short', 'HEAD') || 'unknown', srcModified: git('status', '--porcelain', '--', 'src') !== '' };
}

function machine() {
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim();
  return {
    date: new Date().toISOString(),
    ...revision(),
    nproc: Number(nproc),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Number((totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    migra: (JSON.parse(readFileSync(join(ROOT, 'node_modules', '@pgkit', 'migra', 'package.json'), 'utf8')) as { version: string }).version,
    loadAverageBefore: Number(loadBefore.toFixed(2)),
    /** Share of all CPU time busy (any process), and stolen by the hypervisor, while measuring. */
    busyPercent: Number((100 - (100 * (ticksEnd[0]! - ticksStart[0]!)) / Math.max(1, ticksEnd[2]! - ticksStart[2]!)).toFixed(1)),
    stealPercent: Number(((100 * (ticksEnd[1]! - ticksStart[1]!)) / Math.max(1, ticksEnd[2]! - ticksStart[2]!)).toFixed(1)),
  };
}

function report(
  results: DatabaseResult[], scale: ScaleSize[], erp: EndToEndResult, probes: ProbeBenchResult | undefined, sources: SourceBenchResult | undefined,
  sqliteCopy: SqliteCopyResult | undefined, extension: ExtensionBenchResult | undefined, tree: TreeBench | undefined,
): void {
  const m = machine();
  const serverVersion = results[0]?.runs[0]?.serverVersion ?? 'unknown';
  const target = results.find((r) => r.name === `gen_${TARGET_TABLES}`);
  const targetMedian = target ? median(target.runs.map((x) => x.introspectMs)) : Number.NaN;
  const timeMet = targetMedian < TARGET_MS;
  const queryCounts = [...new Set(results.flatMap((r) => [r.warmup, ...r.runs].map((x) => x.queries)))];
  const queriesMet = queryCounts.length === 1;

  const summary = results.map((r) => {
    const t = r.runs.map((x) => x.introspectMs);
    return {
      name: r.name,
      label: r.label,
      generationMs: r.generationMs,
      generationNote: r.generationNote,
      introspectMs: { median: median(t), min: Math.min(...t), max: Math.max(...t), runs: t },
      connectMsMedian: median(r.runs.map((x) => x.connectMs)),
      inQueriesMsMedian: median(r.runs.map(queryMs)),
      outsideQueriesMsMedian: median(r.runs.map((x) => x.introspectMs - queryMs(x))),
      queries: r.runs[0]!.queries,
      maxRssBytes: { max: Math.max(...r.runs.map((x) => x.maxRssBytes)), median: median(r.runs.map((x) => x.maxRssBytes)) },
      heapUsedBytesMedian: median(r.runs.map((x) => x.heapUsedBytes)),
      heapRetainedBytesMedian: median(r.runs.map((x) => x.heapRetainedBytes)),
      jsonBytes: r.runs[0]!.jsonBytes,
      counts: r.runs[0]!.counts,
      fingerprintStable: new Set([r.warmup, ...r.runs].map((x) => x.fingerprint)).size === 1,
      cliMs: { median: median(r.cliMs), runs: r.cliMs },
      perQueryMedianMs: perQueryMedians(r.runs),
    };
  });
  const json = {
    machine: { ...m, postgres: serverVersion },
    method: {
      runs: RUNS, warmups: 1, cliRuns: CLI_RUNS, freshProcessPerRun: true, sizes: SIZES,
      compareRuns: Object.fromEntries(SIZES.map((n) => [n, CONFIG.compareRuns(n)])), quick: CONFIG.quick, reduced: CONFIG.reduced,
    },
    target: { tables: TARGET_TABLES, ms: TARGET_MS, medianMs: targetMedian, timeMet, queryCounts, queriesMet },
    databases: summary,
    samples: results,
    scale,
    endToEndErp: erp,
    probes,
    sources,
    sqliteCopy,
    extension,
    tree,
  };
  mkdirSync(CONFIG.outDir, { recursive: true });
  writeFileSync(join(CONFIG.outDir, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);

  const generated = summary.filter((s) => s.name.startsWith('gen_'));
  const big = generated[generated.length - 1]!;
  const pgOf = (tables: number): PgdriftIntrospection | undefined => {
    const s = summary.find((x) => x.name === `gen_${tables}`);
    return s ? { introspectMs: s.introspectMs.runs, queries: s.queries } : undefined;
  };
  const target1000 = scale.find((x) => x.tables === TARGET_TABLES)?.e2e;
  const labels = Object.keys(big.perQueryMedianMs).sort((a, b) => big.perQueryMedianMs[a]! - big.perQueryMedianMs[b]!).reverse();
  const countKeys = Object.keys(big.counts);
  const md = [
    '# Benchmark',
    '',
    'A summary of every figure first; then the targets, the scale series of pgdrift beside @pgkit/migra, introspection alone,'
      + ' the end-to-end comparisons per pair, loading a SQL file, the hazard probes on a 10-million-row table and the extension.',
    '',
    `Written by \`npm run bench\` (bench/run.ts) on ${m.date}, measuring commit ${m.commit}`
      + `${m.srcModified ? ' with uncommitted changes in src/' : ''}. Raw samples: [results.json](results.json).`
      + (CONFIG.reduced ? ` **Reduced run** (PGDRIFT_BENCH_SIZES=${SIZES.join(',')}${CONFIG.quick ? ', PGDRIFT_BENCH_QUICK=1: fewer runs, slow sections skipped' : ''}).` : ''),
    '',
    ...summarySection({ sizes: scale, pgOf, erp, probes, sources, sqliteCopy, extension, tree }),
    '## Targets',
    '',
    target
      ? `- ${TARGET_TABLES.toLocaleString('en')} tables introspected in under ${TARGET_MS} ms on loopback on this machine `
        + `(${m.nproc} cores): median ${ms(targetMedian)} ms, **${timeMet ? 'met' : 'not met'}**.`
      : `- ${TARGET_TABLES.toLocaleString('en')} tables introspected in under ${TARGET_MS} ms: not measured in this run.`,
    `- The number of queries does not grow with the schema: ${queryCounts.join(', ')} queries on every database `
      + `(warm-up runs included), **${queriesMet ? 'met' : 'not met'}**.`,
    ...(target1000 ? endToEndTargetLines(target1000) : []),
    ...(probes ? probeBenchTargetLines(probes) : []),
    ...(sources ? sourceBenchTargetLines(sources) : []),
    ...(sqliteCopy ? sqliteCopyTargetLines(sqliteCopy) : []),
    ...(extension ? extensionBenchTargetLines(extension) : []),
    ...(tree ? treeBenchTargetLines(tree) : []),
    '',
    ...scaleSection(scale, pgOf),
    '## Introspection results',
    '',
    '| Database | Introspect median (min – max) | of which in queries / outside | Queries | Peak RSS | Heap used / retained | JSON model | CLI `inspect --format json` median |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...summary.map((s) => `| ${s.label} | ${ms(s.introspectMs.median)} ms (${ms(s.introspectMs.min)} – ${ms(s.introspectMs.max)}) `
      + `| ${ms(s.inQueriesMsMedian)} / ${ms(s.outsideQueriesMsMedian)} ms `
      + `| ${s.queries} | ${mib(s.maxRssBytes.max)} MiB | ${mib(s.heapUsedBytesMedian)} / ${mib(s.heapRetainedBytesMedian)} MiB `
      + `| ${kib(s.jsonBytes)} KiB | ${ms(s.cliMs.median)} ms |`),
    '',
    'Objects in each model:',
    '',
    `| Database | ${countKeys.join(' | ')} |`,
    `| --- | ${countKeys.map(() => '---').join(' | ')} |`,
    ...summary.map((s) => `| ${s.label} | ${countKeys.map((k) => s.counts[k]).join(' | ')} |`),
    '',
    'Building the schemas (not part of any figure above; generated DDL sent in batches of 250 tables, one transaction each, then VACUUM ANALYZE):',
    '',
    '| Database | Time | |',
    '| --- | --- | --- |',
    ...summary.map((s) => `| ${s.label} | ${(s.generationMs / 1000).toFixed(1)} s | ${s.generationNote} |`),
    '',
    '## Time per query',
    '',
    `Median over the ${RUNS} runs of each statement's round trip (sent, executed, rows received and parsed by node-postgres), sorted by the largest database:`,
    '',
    `| Statement | ${generated.map((g) => g.label).join(' | ')} | rows (${big.label}) |`,
    `| --- | ${generated.map(() => '---').join(' | ')} | --- |`,
    ...labels.map((l) => `| ${l} | ${generated.map((g) => `${ms(g.perQueryMedianMs[l] ?? 0)} ms`).join(' | ')} | ${rowsOf(results, big.name, l)} |`),
    '',
    '## How the introspection numbers were taken',
    '',
    `- Machine: ${m.nproc} cores (\`nproc\`), ${m.cpu}, ${m.memoryGiB} GiB memory; Node ${m.node}; @pgkit/migra ${m.migra}; PostgreSQL ${serverVersion}`
      + ' (private cluster from tools/cluster.ts: 127.0.0.1 TCP, fsync off, default memory settings).'
      + ` While measuring (/proc/stat), all CPUs were ${m.busyPercent}% busy, this benchmark and anything else running included,`
      + ` and ${m.stealPercent}% of CPU time was stolen by the hypervisor; 1-minute load average ${m.loadAverageBefore} before the benchmark started.`
      + ' Other work on the machine makes every figure higher: compare runs taken under similar load.',
    '- "In queries" is the sum of the round trips of every statement introspect() sent (server work, transfer, parsing rows in node-postgres);'
      + ' "outside" is the rest: building the model, normalising it and computing its fingerprint.',
    `- Per database: 1 warm-up introspection (discarded), then ${RUNS} measured, each in a fresh Node process running`
      + ' bench/probe.ts bundled by esbuild. The time is `introspect()` alone: BEGIN to the normalised, fingerprinted model,'
      + ' connecting not included (connecting took a median of '
      + `${ms(median(summary.map((s) => s.connectMsMedian)))} ms). Medians, min and max are over the ${RUNS} runs; a process starts cold, as the CLI does.`,
    '- Queries: counted with CountingQueryable around the connection (the version check connectPg makes before introspection is not counted).'
      + ` The model fingerprint was the same in every run of a database: ${summary.every((s) => s.fingerprintStable) ? 'yes' : 'NO'}.`,
    '- Peak RSS: `process.resourceUsage().maxRSS` of the probe process after introspecting, the largest of the runs.'
      + ' Heap used: `heapUsed` right after `introspect()` returned; retained: after a full GC with the model still referenced (medians).',
    '- JSON model: bytes of what `pgdrift inspect --format json` prints (canonical JSON, indent 2).',
    `- CLI: wall time of \`node dist/cli.js inspect --url … --format json > /dev/null\` (process start to exit), median of ${CLI_RUNS}, after the runs above.`,
    '',
    ...[...scale.map((x) => x.e2e), erp].flatMap(endToEndSection),
    ...endToEndMethodSection([...scale.map((x) => x.e2e), erp]),
    ...(probes ? [...probeBenchSection(probes), ''] : []),
    ...(sources ? sourceBenchSection(sources) : []),
    ...(sqliteCopy ? sqliteCopySection(sqliteCopy) : []),
    ...(extension ? extensionBenchSection(extension) : []),
    ...(tree ? treeBenchSection(tree) : []),
  ].join('\n');
  writeFileSync(join(CONFIG.outDir, 'RESULTS.md'), md);
  console.log(`bench: target ${target ? `${timeMet ? 'met' : 'NOT met'} (${ms(targetMedian)} ms for ${TARGET_TABLES} tables)` : 'not measured'}; `
    + `query count ${queriesMet ? 'constant' : 'NOT constant'} (${queryCounts.join(', ')}); `
    + `end to end (migra/pgdrift): ${[...scale.map((x) => x.e2e), erp].map((e) => `${e.pair} ${e.ratios ? `${e.ratios.wallTime.toFixed(2)}x time, ${e.ratios.maxRss.toFixed(2)}x memory` : 'pgdrift diff not measured'}`).join('; ')}. `
    + `Wrote ${relative(ROOT, join(CONFIG.outDir, 'RESULTS.md'))} and results.json`);
}

/** Median time of each statement, by label (introspect() sends the same statements in the same order every run). */
function perQueryMedians(runs: ProbeResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  const first = runs[0]!.perQuery;
  first.forEach((q, i) => (out[q.label] = median(runs.map((r) => r.perQuery[i]?.ms ?? 0))));
  return out;
}

/** Time spent waiting for statements (server work, transfer, row parsing by node-postgres). */
function queryMs(r: ProbeResult): number {
  return r.perQuery.reduce((sum, q) => sum + q.ms, 0);
}

function rowsOf(results: DatabaseResult[], name: string, label: string): number {
  return results.find((r) => r.name === name)?.runs[0]?.perQuery.find((q) => q.label === label)?.rows ?? 0;
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
