/** Printing what the runner wrote, for test/vscode/run.ts and test/vscode/desktop.ts. */
import type { RunResults } from './protocol';

export function describeActivation(results: RunResults): string {
  const a = results.activation;
  if ('error' in a) return `activation not measured: ${a.error}`;
  return `pgdrift activate() ${a.activateMs.toFixed(1)} ms${a.wasActive ? ' (already active before the runner asked)' : ''}, `
    + `extension host up ${(a.hostUptimeMs / 1000).toFixed(1)} s`;
}

/** Prints the reporter's text, the failures and a summary line; returns the exit code (0 or 1). */
export function printResults(results: RunResults, wallMs: number): number {
  console.log(results.report);
  if (results.fatal) console.log(`\nvscode: the test runner failed:\n${results.fatal}`);
  for (const t of results.tests.filter((x) => x.state === 'failed')) console.log(`\nFAILED ${t.fullTitle}\n${t.error?.stack ?? t.error?.message ?? ''}`);
  const s = results.stats;
  console.log(`vscode: VS Code ${results.vscodeVersion} (${results.appHost}): ${s.passes} passing, ${s.failures} failing, ${s.pending} pending `
    + `in ${(wallMs / 1000).toFixed(1)} s; ${describeActivation(results)}`);
  if (results.fatal || s.failures > 0) return 1;
  if (s.tests === 0) {
    console.log('vscode: no test ran');
    return 1;
  }
  return 0;
}
