/**
 * The Schema Differences view with about 2,000 changes (issue 7): how long from executing
 * "Compare Databases" to the populated tree in a real VS Code, and whether the window froze
 * meanwhile. The pair is generated (bench/treeSchema.ts) on the integration bench's PostgreSQL;
 * the measuring is done by suites/tree-bench.test.ts inside VS Code for the Web
 * (test/vscode/run.ts), the page watched by the driver. No other tool has such a view, so the
 * reference is pgdrift's own CLI, `pgdrift diff` on the same pair in the same run.
 *
 * `npm run bench` runs it last (bench/run.ts). On its own:
 *   npx tsx bench/tree.ts            # prints the report, writes bench/tmp/tree.json
 *   npx tsx bench/tree.ts --write    # also replaces this section in bench/RESULTS.md and results.json
 *   npx tsx bench/tree.ts --rewrite  # writes the last run's figures (bench/tmp/tree.json) again
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { runIntegration } from '../test/vscode/run';
import { TREE_BENCH_ENV, type TreeBenchResult } from '../test/vscode/support/protocol';
import { runStandalone, writeBenchSection } from './resultsFile';
import { TREE_ADDED_TABLES, TREE_TABLES } from './treeSchema';
import { median } from './stats';

const ROOT = resolve(__dirname, '..');
const TMP = join(ROOT, 'bench', 'tmp');
const RUNS = Number(process.env[TREE_BENCH_ENV.runs] ?? 5);
const HEADING = '## The Schema Differences view with 2,000 changes';
const TARGET_PREFIX = '- Schema Differences, ';
const SUITE = 'Schema Differences with 2,000 changes';
/** What "without freezing" means here: no main-thread task of the window, and no extension-host stall, longer than this. */
const FREEZE_MS = 1000;

export interface TreeBench extends TreeBenchResult {
  commit: string;
  modified: boolean;
  date: string;
  machine: { nproc: number; cpu: string; node: string; loadAverageBefore: number };
  medianPopulatedMs: number;
  medianCliMs: number;
  /** Populated tree time over the CLI's diff time (medians). */
  ratio: number;
  longestPageTaskMs: number;
  longestHostStallMs: number;
  noFreeze: boolean;
}

const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const s = (x: number): string => `${(x / 1000).toFixed(2)} s`;

export async function runTreeBench(options: { package?: boolean; log?: (line: string) => void } = {}): Promise<TreeBench> {
  const log = options.log ?? ((line: string) => console.log(line));
  const loadAverageBefore = Number(loadavg()[0]!.toFixed(2));
  mkdirSync(TMP, { recursive: true });
  const out = join(TMP, 'tree-run.json');
  rmSync(out, { force: true });
  process.env[TREE_BENCH_ENV.out] = out;
  process.env[TREE_BENCH_ENV.runs] = String(RUNS);
  try {
    const run = await runIntegration({ package: options.package ?? true, grep: SUITE, timeoutMs: 1_800_000, log: (line) => log(`bench: tree: ${line}`) });
    const test = run.results.tests.find((t) => t.fullTitle.includes(SUITE));
    if (!test || test.state !== 'passed') throw new Error(`the tree benchmark did not pass: ${test?.error?.message ?? test?.state ?? 'it did not run'}`);
    if (!existsSync(out)) throw new Error(`the suite wrote no results to ${out}`);
  } finally {
    delete process.env[TREE_BENCH_ENV.out];
    delete process.env[TREE_BENCH_ENV.runs];
  }
  const r = JSON.parse(readFileSync(out, 'utf8')) as TreeBenchResult;
  const git = (...args: string[]) => execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).trim();
  const medianPopulatedMs = median(r.runs.map((x) => x.populatedMs));
  const medianCliMs = median(r.cliMs);
  const longestPageTaskMs = Math.max(...r.runs.map((x) => x.page.longestMs));
  const longestHostStallMs = Math.max(...r.runs.map((x) => x.host.longestMs));
  for (const [i, x] of r.runs.entries()) {
    log(`bench: tree: run ${i + 1}/${r.runs.length}: populated ${ms(x.populatedMs)} ms (engine ${ms(x.timings.engineMs)}, view items ${ms(x.timings.viewMs)});`
      + ` longest page task ${ms(x.page.longestMs)} ms, host stall ${ms(x.host.longestMs)} ms`);
  }
  return {
    ...r,
    commit: git('rev-parse', '--short', 'HEAD'),
    modified: git('status', '--porcelain', '--', 'src', 'package.json') !== '',
    date: new Date().toISOString(),
    machine: { nproc: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverageBefore },
    medianPopulatedMs,
    medianCliMs,
    ratio: medianPopulatedMs / medianCliMs,
    longestPageTaskMs,
    longestHostStallMs,
    noFreeze: longestPageTaskMs < FREEZE_MS && longestHostStallMs < FREEZE_MS,
  };
}

export function treeBenchTargetLines(r: TreeBench): string[] {
  return [
    `${TARGET_PREFIX}${r.changes.toLocaleString('en')} changes: from the command to the populated tree median ${s(r.medianPopulatedMs)}`
      + ` (${r.ratio.toFixed(2)}x the CLI's \`pgdrift diff\` on the same pair, ${s(r.medianCliMs)}); longest window task ${ms(r.longestPageTaskMs)} ms,`
      + ` longest extension-host stall ${ms(r.longestHostStallMs)} ms; no freeze over ${FREEZE_MS / 1000} s: **${r.noFreeze ? 'met' : 'not met'}**.`,
  ];
}

export function treeBenchSection(r: TreeBench): string[] {
  const col = (f: (x: TreeBench['runs'][number]) => number) => r.runs.map((x) => ms(f(x))).join(', ');
  const med = (f: (x: TreeBench['runs'][number]) => number) => ms(median(r.runs.map(f)));
  const count = (f: (x: TreeBench['runs'][number]) => number) => String(Math.round(median(r.runs.map(f))));
  return [
    HEADING,
    '',
    `\`npx tsx bench/tree.ts --write\` on ${r.date} at commit ${r.commit}${r.modified ? ' with uncommitted changes in src/ or the manifest' : ''},`
      + ` in VS Code ${r.vscodeVersion} for the Web (code-server in headless Chromium, test/vscode/run.ts, pgdrift installed from its .vsix),`
      + ` PostgreSQL ${r.serverVersion}. The pair (bench/treeSchema.ts): ${TREE_TABLES} generated tables against a variant that drops`
      + ` every tenth, adds ${TREE_ADDED_TABLES}, and alters columns, indexes, constraints, triggers and views in most others:`,
    '',
    `> ${r.summary}`,
    '',
    `${r.changes.toLocaleString('en')} changes, ${r.items.toLocaleString('en')} items in the view at every level (hazards included).`,
    '',
    `| ${r.runs.length} runs | median | runs |`,
    '| --- | --- | --- |',
    `| **command → tree populated on the page** | **${med((x) => x.populatedMs)} ms** | ${col((x) => x.populatedMs)} ms |`,
    `| of which reading both databases, planning, probing | ${med((x) => x.timings.engineMs)} ms | ${col((x) => x.timings.engineMs)} ms |`,
    `| of which the tree text and plan script | ${med((x) => x.timings.renderMs)} ms | ${col((x) => x.timings.renderMs)} ms |`,
    `| of which building the view's items | ${med((x) => x.timings.viewMs)} ms | ${col((x) => x.timings.viewMs)} ms |`,
    `| command resolved (the plan's editor open too) | ${med((x) => x.commandMs)} ms | ${col((x) => x.commandMs)} ms |`,
    `| of which waiting for VS Code to fetch the view's expanded items, before opening the plan | ${med((x) => x.timings.shownMs ?? 0)} ms | ${col((x) => x.timings.shownMs ?? 0)} ms |`,
    `| of which opening the plan in an editor | ${med((x) => x.timings.openMs)} ms | ${col((x) => x.timings.openMs)} ms |`,
    `| longest task of the window's main thread | ${med((x) => x.page.longestMs)} ms | ${col((x) => x.page.longestMs)} ms |`,
    `| window tasks over 50 ms (count / total) | ${count((x) => x.page.count)} / ${med((x) => x.page.totalMs)} ms | ${r.runs.map((x) => `${x.page.count} / ${ms(x.page.totalMs)}`).join(', ')} ms |`,
    `| longest extension-host event-loop stall | ${med((x) => x.host.longestMs)} ms | ${col((x) => x.host.longestMs)} ms |`,
    `| extension-host stalls over 50 ms (count / total) | ${count((x) => x.host.over50)} / ${med((x) => x.host.totalOver50Ms)} ms | ${r.runs.map((x) => `${x.host.over50} / ${ms(x.host.totalOver50Ms)}`).join(', ')} ms |`,
    `| reference: \`pgdrift diff\` (packaged CLI), same pair | ${ms(r.medianCliMs)} ms | ${r.cliMs.map(ms).join(', ')} ms |`,
    `| ratio tree / CLI (medians) | ${r.ratio.toFixed(2)}x | |`,
    '',
    '### How the tree numbers were taken',
    '',
    '- One code-server session; the suite (test/vscode/suites/tree-bench.test.ts) builds the pair on the bench\'s private PostgreSQL, names both databases as profiles,'
      + ' and per run first compares a two-table pair (so the view shows something else), opens the Schema Differences view, then runs'
      + ' `pgdrift.compare` with the two profile names (no picker). The first run is the first comparison of the pair but not the first of the session (the engine is loaded).',
    '- Populated: the driver (playwright) checks the page in every animation frame for the view\'s summary row of this comparison and, in the same list,'
      + ' a second-level row (a table under its expanded group); the time is that frame\'s, on the clock the extension host shares.'
      + ' The breakdown is what the command measures itself; the rest of the populated time is VS Code fetching and rendering the items.',
    '- Window: the page\'s long tasks (PerformanceObserver `longtask`: main-thread tasks over 50 ms, during which the window answers no input),'
      + ` from the command to ${3} s after the tree was populated. Extension host: a 10 ms \`setInterval\` in the same extension host, its longest delay over the same time.`,
    `- Reference: \`node dist/cli.js diff --from … --to …\` from the installed extension, ${r.cliMs.length} runs after the tree runs, process start to exit. No other tool has a comparable view.`,
    `- Machine: ${r.machine.nproc} cores, ${r.machine.cpu}; Node ${r.machine.node} (the driver); 1-minute load average ${r.machine.loadAverageBefore} before this section started.`,
    '',
  ];
}

function writeSection(r: TreeBench): void {
  writeBenchSection(ROOT, { heading: HEADING, targetPrefixes: [TARGET_PREFIX], section: treeBenchSection(r), targetLines: treeBenchTargetLines(r), jsonKey: 'tree', value: r });
}

if (require.main === module) {
  runStandalone({ name: 'tree', tmp: TMP, run: () => runTreeBench({ package: !process.argv.includes('--no-package') }), section: treeBenchSection, write: writeSection });
}
