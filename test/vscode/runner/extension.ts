/**
 * The test-runner extension. Bundled by `node esbuild.mjs --tests` into .cache/vscode-tests/runner/
 * (with this folder's package.json beside it) and loaded next to the installed pgdrift .vsix.
 *
 * In VS Code for the Web (test/vscode/run.ts) it activates on startup (`*`) and, when the driver set
 * PGDRIFT_VSCODE_AUTORUN, runs the suites at once. In desktop VS Code (test/vscode/desktop.ts,
 * @vscode/test-electron) it is the extensionTestsPath module and VS Code calls run().
 *
 * Either way it first measures how long activating pgdrift takes (nothing else has touched it yet),
 * then runs every bundled suite (suites/*.test.js beside this file) with mocha's programmatic API
 * and writes RunResults to the path in PGDRIFT_VSCODE_RESULTS.
 */
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { format } from 'node:util';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { ENV, EXTENSION_ID, STARTED_SUFFIX, type ActivationMeasure, type RunResults, type TestResult } from '../support/protocol';

let running: Promise<void> | undefined;

export function activate(): void {
  const resultsPath = process.env[ENV.results];
  if (resultsPath) writeFileSync(`${resultsPath}${STARTED_SUFFIX}`, `${new Date().toISOString()}\n`);
  if (process.env[ENV.autorun]) void run().catch(() => undefined);
}

export function deactivate(): void {}

/** Entry point for @vscode/test-electron (extensionTestsPath), and for autorun. Rejects on failures. */
export function run(): Promise<void> {
  running ??= runOnce();
  return running;
}

async function runOnce(): Promise<void> {
  const resultsPath = process.env[ENV.results];
  const started = performance.now();
  const results: RunResults = {
    vscodeVersion: vscode.version,
    appHost: vscode.env.appHost,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    activation: { error: 'not measured' },
    stats: { tests: 0, passes: 0, failures: 0, pending: 0 },
    tests: [],
    report: '',
  };
  try {
    results.activation = await measureActivation();
    await runSuites(results);
  } catch (error) {
    results.fatal = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  results.durationMs = performance.now() - started;
  if (resultsPath) {
    writeFileSync(`${resultsPath}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
    renameSync(`${resultsPath}.tmp`, resultsPath);
  } else {
    console.log(results.report);
  }
  if (results.fatal) throw new Error(`test runner failed: ${results.fatal}`);
  if (results.stats.failures > 0) throw new Error(`${results.stats.failures} integration test(s) failed`);
}

async function measureActivation(): Promise<ActivationMeasure | { error: string }> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) return { error: `${EXTENSION_ID} is not installed` };
  const wasActive = extension.isActive;
  const start = performance.now();
  await extension.activate();
  const activateMs = performance.now() - start;
  return { wasActive, activateMs, hostUptimeMs: process.uptime() * 1000 };
}

function runSuites(results: RunResults): Promise<void> {
  const suitesDir = join(__dirname, 'suites');
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const grep = process.env[ENV.grep];
  if (grep) mocha.grep(grep);
  for (const file of readdirSync(suitesDir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(join(suitesDir, file));

  // The spec reporter prints through Base.consoleLog; collect its text instead of the host's log.
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void; useColors: boolean };
  const previousLog = base.consoleLog;
  const lines: string[] = [];
  base.useColors = false;
  base.consoleLog = (...args: unknown[]) => {
    // Mocha passes printf-style format strings (%s, %d), as console.log takes them.
    lines.push(format(...args));
  };

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run(() => {
        base.consoleLog = previousLog;
        results.report = lines.join('\n');
        results.stats = {
          tests: results.tests.length,
          passes: results.tests.filter((t) => t.state === 'passed').length,
          failures: results.tests.filter((t) => t.state === 'failed').length,
          pending: results.tests.filter((t) => t.state === 'pending').length,
        };
        resolve();
      });
      const record = (state: TestResult['state']) => (test: Mocha.Test, error?: Error) => {
        results.tests.push({
          fullTitle: test.fullTitle(),
          file: test.file,
          state,
          durationMs: test.duration,
          ...(error ? { error: { message: error.message, stack: error.stack } } : {}),
        });
      };
      runner.on('pass', record('passed'));
      runner.on('pending', record('pending'));
      // A failing before/after hook reports a hook, not a test: it counts as a failure too.
      runner.on('fail', record('failed'));
    } catch (error) {
      base.consoleLog = previousLog;
      reject(error);
    }
  });
}
