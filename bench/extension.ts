/**
 * The extension as shipped (issue 6): the size of the .vsix `npm run package` builds, and how long
 * activating pgdrift takes in a real VS Code (VS Code for the Web from code-server, headless
 * Chromium; test/vscode/run.ts), measured by the test-runner extension before any suite runs:
 * `vscode.extensions.getExtension('pgdrift.pgdrift').activate()`, which loads dist/extension.js and
 * runs activate(). Each run is a fresh code-server, extension host and browser. Every run also runs
 * the integration test that checks activation opened no database connection although the workspace
 * names the suites' server as a connection profile; a run where it fails fails the benchmark.
 *
 * `npm run bench` runs it last (bench/run.ts). On its own:
 *   npx tsx bench/extension.ts            # prints the report, writes bench/tmp/extension.json
 *   npx tsx bench/extension.ts --write    # also replaces this section in bench/RESULTS.md and results.json
 *   npx tsx bench/extension.ts --rewrite  # writes the last run's figures (bench/tmp/extension.json) again
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { runIntegration } from '../test/vscode/run';
import type { ActivationMeasure } from '../test/vscode/support/protocol';
import { runStandalone, writeBenchSection } from './resultsFile';
import { median } from './stats';

const ROOT = resolve(__dirname, '..');
const TMP = join(ROOT, 'bench', 'tmp');
const RUNS = 5;
const HEADING = '## The extension in VS Code';
const TARGET_PREFIX = '- The extension: ';
/** The integration test each run runs (suites/commands.test.ts). */
const NO_CONNECTION_TEST = 'opened no database connection on activation';

export interface ExtensionBenchResult {
  /** The commit measured, and whether src/ or package.json differed from it. */
  commit: string;
  modified: boolean;
  vsix: { file: string; bytes: number; files: number; largest: { path: string; bytes: number }[] };
  vscodeVersion: string;
  runs: (ActivationMeasure & { wallMs: number })[];
  medianActivateMs: number;
  /** Every run's activation opened no database connection (the integration test passed). */
  noConnection: boolean;
  loadAverageBefore: number;
}

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(2);
const size = (bytes: number): string => (bytes >= 1024 * 1024 ? `${mib(bytes)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`);
const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

/** The .vsix's entries with their uncompressed sizes (zipinfo -l: compressed sizes too). */
function vsixEntries(file: string): { path: string; bytes: number }[] {
  const out = execFileSync('unzip', ['-Z', '-l', file], { encoding: 'utf8' });
  // -rw-r--r--  6.3 unx     2189 bl      907 defN 26-Dec-06 19:14 extension/package.json
  return out.split('\n').flatMap((line) => {
    const m = /^\S{10}\s+\S+\s+\S+\s+(\d+)\s+\S+\s+(\d+|-)\s+\S+\s+\S+\s+\S+\s+(.+)$/.exec(line);
    return m && !m[3]!.endsWith('/') ? [{ path: m[3]!, bytes: Number(m[1]) }] : [];
  });
}

export async function runExtensionBench(options: { log?: (line: string) => void } = {}): Promise<ExtensionBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const loadAverageBefore = Number(loadavg()[0]!.toFixed(2));
  const runs: ExtensionBenchResult['runs'] = [];
  let vsix: { path: string; bytes: number } | undefined;
  let vscodeVersion = '';
  let noConnection = true;
  for (let i = 0; i < RUNS; i++) {
    const run = await runIntegration({ package: i === 0, grep: NO_CONNECTION_TEST, log: (line) => log(`bench: extension: ${line}`) });
    vsix = run.vsix;
    vscodeVersion = run.results.vscodeVersion;
    const a = run.results.activation;
    if ('error' in a) throw new Error(`activation not measured: ${a.error}`);
    const test = run.results.tests.find((t) => t.fullTitle.endsWith(NO_CONNECTION_TEST));
    if (!test) throw new Error(`the integration test "${NO_CONNECTION_TEST}" did not run`);
    if (test.state !== 'passed') {
      noConnection = false;
      throw new Error(`activation connected to a database: ${test.error?.message ?? test.state}`);
    }
    runs.push({ ...a, wallMs: run.wallMs });
    log(`bench: extension: run ${i + 1}/${RUNS}: activate() ${ms(a.activateMs)} ms${a.wasActive ? ' (already active)' : ''}`);
  }
  const entries = vsixEntries(vsix!.path);
  const byFolder = new Map<string, number>();
  for (const e of entries) {
    const key = e.path.startsWith('extension/dist/pglite/') ? 'extension/dist/pglite/' : e.path;
    byFolder.set(key, (byFolder.get(key) ?? 0) + e.bytes);
  }
  const largest = [...byFolder].map(([path, bytes]) => ({ path, bytes })).sort((a, b) => b.bytes - a.bytes).slice(0, 5);
  const git = (...args: string[]) => execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).trim();
  return {
    commit: git('rev-parse', '--short', 'HEAD'),
    modified: git('status', '--porcelain', '--', 'src', 'package.json', 'package.nls.json') !== '',
    vsix: { file: vsix!.path.slice(ROOT.length + 1), bytes: vsix!.bytes, files: entries.length, largest },
    vscodeVersion,
    runs,
    medianActivateMs: median(runs.map((r) => r.activateMs)),
    noConnection,
    loadAverageBefore,
  };
}

export function extensionBenchTargetLines(r: ExtensionBenchResult): string[] {
  return [
    `${TARGET_PREFIX}.vsix ${mib(r.vsix.bytes)} MiB (${r.vsix.files} files); activate() median ${ms(r.medianActivateMs)} ms in VS Code ${r.vscodeVersion}`
      + ` for the Web (no target set); no database connection on activation: **${r.noConnection ? 'met' : 'not met'}**.`,
  ];
}

export function extensionBenchSection(r: ExtensionBenchResult): string[] {
  const times = r.runs.map((x) => x.activateMs);
  return [
    HEADING,
    '',
    `\`npx tsx bench/extension.ts --write\` at commit ${r.commit}${r.modified ? ' with uncommitted changes in src/ or the manifest' : ''}:`
      + ` the package \`npm run package\` builds, and activating it in VS Code ${r.vscodeVersion} for the Web`
      + ' (code-server in headless Chromium, test/vscode/run.ts), installed from that package.',
    '',
    '| | |',
    '| --- | --- |',
    `| ${r.vsix.file} | ${mib(r.vsix.bytes)} MiB compressed, ${r.vsix.files} files |`,
    ...r.vsix.largest.map((e) => `| ${e.path} | ${size(e.bytes)} uncompressed |`),
    `| activate() median (min – max) over ${r.runs.length} runs | ${ms(r.medianActivateMs)} ms (${ms(Math.min(...times))} – ${ms(Math.max(...times))}) |`,
    `| runs | ${times.map(ms).join(', ')} ms |`,
    `| extension host up when activate() resolved (median) | ${(median(r.runs.map((x) => x.hostUptimeMs)) / 1000).toFixed(1)} s |`,
    `| database connections opened by activation | ${r.noConnection ? 'none' : 'SOME'} (pg_stat_activity, with the server named as a profile in the workspace) |`,
    '',
    '### How the extension numbers were taken',
    '',
    '- Each run: a fresh code-server (VS Code for the Web) with a fresh extensions folder where the .vsix was installed with'
      + ' `code-server --install-extension`, a fresh user data folder and workspace, a fresh headless Chromium opening the workbench.',
    '- activate(): the test-runner extension activates on `*` and, before any suite runs, times'
      + ' `vscode.extensions.getExtension(\'pgdrift.pgdrift\').activate()`: requiring dist/extension.js (production bundle) and running'
      + ` activate(). pgdrift had not been activated by VS Code before that in ${r.runs.filter((x) => !x.wasActive).length} of ${r.runs.length} runs.`
      + ' Other built-in extensions start in the same extension host at the same moment, so the figure includes their competition.',
    '- No connection: the integration test "opened no database connection on activation" lists the client backends in'
      + ' pg_stat_activity of the private PostgreSQL 15 cluster that the workspace settings name as a pgdrift profile.',
    `- The machine was shared: 1-minute load average ${r.loadAverageBefore} before this section started.`,
    '',
  ];
}

/** `--write`: this section, its target lines and `extension` in results.json. */
function writeSection(r: ExtensionBenchResult): void {
  writeBenchSection(ROOT, { heading: HEADING, targetPrefixes: [TARGET_PREFIX], section: extensionBenchSection(r), targetLines: extensionBenchTargetLines(r), jsonKey: 'extension', value: r });
}

if (require.main === module) {
  runStandalone({ name: 'extension', tmp: TMP, run: runExtensionBench, section: extensionBenchSection, write: writeSection });
}
