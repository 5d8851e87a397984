/**
 * The integration suites (test/vscode/suites) in a real VS Code: VS Code for the Web (code-server)
 * in headless Chromium, with pgdrift installed from the .vsix that `npm run package` builds, so what
 * is tested is what ships.
 *
 *   npx tsx test/vscode/run.ts [--grep PATTERN] [--no-package]
 *
 * Steps: package the .vsix and bundle the runner and suites; start a private PostgreSQL cluster
 * (PGDRIFT_TEST_PG's first major, default 15; or PGDRIFT_TEST_URL) whose URL the suites get through
 * the environment; install the .vsix with `code-server --install-extension` into a fresh extensions
 * folder and link the runner extension beside it; start code-server on 127.0.0.1 and a free port;
 * open the workbench in Chromium (which starts the extension host, where the runner runs the
 * suites); answer screenshot requests (.cache/screenshots/); wait for the results file; print it.
 * Exits 1 when a test failed or nothing ran. code-server, Chromium and the cluster are always
 * stopped; the temporary folders are kept when the run failed, and named.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../tools/cluster';
import { openWorkbench, serveScreenshots, type Workbench } from './support/browser';
import { buildTests, packageVsix, RUNNER_DIR, vsixPath } from './support/build';
import { ensureCodeServer, installVsix, linkExtension, ROOT, startCodeServer, type RunningCodeServer } from './support/codeServer';
import { startSuitePostgres, type SuitePostgres } from './support/postgres';
import { printResults } from './support/report';
import { ENV, SHOT_ERROR, SHOT_REQUEST, STARTED_SUFFIX, type RunResults } from './support/protocol';

export const SCREENSHOTS_DIR = join(ROOT, '.cache', 'screenshots');
/** The extension host starts once the workbench loads; the runner activates on `*` right after. */
const RUNNER_START_MS = 90_000;

export interface IntegrationOptions {
  grep?: string;
  /** Build the .vsix (npm run package) first; false reuses dist/<name>-<version>.vsix. */
  package?: boolean;
  /** Start a PostgreSQL cluster for the suites, named in the workspace as a profile (default true). */
  postgres?: boolean;
  /**
   * How long to wait for the results, in ms (default 15 minutes, or PGDRIFT_VSCODE_TIMEOUT seconds):
   * a guard against a hung workbench, well above the whole set of suites (about 6 minutes here).
   */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface IntegrationRun {
  results: RunResults;
  vsix: { path: string; bytes: number };
  /** Wall time from starting code-server to the results file. */
  wallMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tail(file: string, lines = 60): string {
  if (!existsSync(file)) return `(${file} missing)`;
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/** The extension host's logs under the user data folder (exthost*.log, remoteexthost.log). */
function extensionHostLogs(userDataDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/exthost.*\.log$/i.test(entry.name)) found.push(p);
    }
  };
  if (existsSync(join(userDataDir, 'logs'))) walk(join(userDataDir, 'logs'));
  return found;
}

/**
 * The workspace names the suites' server as a connection profile (`pgdrift.profiles` in
 * .vscode/settings.json), so pgdrift knows a database from the start: activating must still not
 * connect to it (checked by suites/commands.test.ts through pg_stat_activity).
 */
function writeWorkspaceProfile(workspace: string, postgres: SuitePostgres): void {
  const first = Object.values(postgres.urls)[0];
  if (!first) return;
  const u = new URL(first);
  const profile = { name: 'integration', host: u.hostname, port: Number(u.port || 5432), database: 'postgres', user: decodeURIComponent(u.username || 'postgres') };
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode', 'settings.json'), `${JSON.stringify({ 'pgdrift.profiles': [profile] }, null, 2)}\n`);
}

export async function runIntegration(options: IntegrationOptions = {}): Promise<IntegrationRun> {
  const log = options.log ?? ((line: string) => console.log(`vscode: ${line}`));
  ensureCodeServer();
  let vsix: { path: string; bytes: number };
  if (options.package === false && existsSync(vsixPath())) {
    vsix = { path: vsixPath(), bytes: statSync(vsixPath()).size };
  } else {
    log('packaging the extension (npm run package)');
    vsix = packageVsix();
  }
  log(`${vsix.path.slice(ROOT.length + 1)}: ${(vsix.bytes / 1024 / 1024).toFixed(2)} MiB`);
  buildTests();

  const tmp = mkdtempSync(join(tmpdir(), 'pgdrift-vscode-'));
  const extensionsDir = join(tmp, 'extensions');
  const userDataDir = join(tmp, 'user-data');
  const workspace = join(tmp, 'workspace');
  const logFile = join(tmp, 'code-server.log');
  const resultsFile = join(tmp, 'results.json');
  for (const d of [extensionsDir, userDataDir, workspace]) mkdirSync(d, { recursive: true });
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  for (const f of readdirSync(SCREENSHOTS_DIR)) if (f.endsWith(SHOT_REQUEST) || f.endsWith(SHOT_ERROR)) rmSync(join(SCREENSHOTS_DIR, f));

  let postgres: SuitePostgres | undefined;
  let server: RunningCodeServer | undefined;
  let workbench: Workbench | undefined;
  let shots: { stop(): Promise<void> } | undefined;
  let ok = false;
  try {
    installVsix(vsix.path, extensionsDir, userDataDir);
    linkExtension(RUNNER_DIR, extensionsDir);

    if (options.postgres !== false) {
      postgres = await startSuitePostgres(log);
      writeWorkspaceProfile(workspace, postgres);
    }

    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      [ENV.results]: resultsFile,
      [ENV.autorun]: '1',
      [ENV.screenshots]: SCREENSHOTS_DIR,
      [ENV.extensionsDir]: extensionsDir,
      [ENV.postgres]: JSON.stringify(postgres?.urls ?? {}),
    };
    if (options.grep) env[ENV.grep] = options.grep;
    else delete env[ENV.grep];

    const started = Date.now();
    server = await startCodeServer({ port, extensionsDir, userDataDir, workspace, logFile, env });
    log(`code-server ${server.url} (pid ${server.pid})`);
    workbench = await openWorkbench(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    shots = serveScreenshots(workbench.page, SCREENSHOTS_DIR, log);

    const timeoutMs = options.timeoutMs ?? Number(process.env.PGDRIFT_VSCODE_TIMEOUT ?? 900) * 1000;
    const opened = Date.now();
    while (!existsSync(resultsFile)) {
      if (Date.now() - started > timeoutMs) throw new Error(`no results from the test runner within ${timeoutMs / 1000} s`);
      if (!existsSync(`${resultsFile}${STARTED_SUFFIX}`) && Date.now() - opened > RUNNER_START_MS) {
        throw new Error(`the test-runner extension did not activate within ${RUNNER_START_MS / 1000} s of opening the workbench`);
      }
      await sleep(200);
    }
    const wallMs = Date.now() - started;
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as RunResults;
    ok = !results.fatal && results.stats.failures === 0 && results.stats.tests > 0;
    return { results, vsix, wallMs };
  } catch (error) {
    const parts = [error instanceof Error ? error.message : String(error)];
    parts.push(`--- code-server log (${logFile}), last lines ---`, tail(logFile));
    for (const f of extensionHostLogs(userDataDir)) parts.push(`--- ${f}, last lines ---`, tail(f, 40));
    if (workbench?.consoleErrors.length) parts.push('--- browser console errors ---', ...workbench.consoleErrors.slice(-20));
    throw new Error(parts.join('\n'));
  } finally {
    await shots?.stop();
    await workbench?.close().catch(() => undefined);
    await server?.stop();
    await postgres?.stop();
    if (ok) rmSync(tmp, { recursive: true, force: true });
    else log(`kept ${tmp} (extensions, user data with logs, code-server.log)`);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const grepAt = args.indexOf('--grep');
  const { results, wallMs } = await runIntegration({
    ...(grepAt >= 0 && args[grepAt + 1] ? { grep: args[grepAt + 1] } : {}),
    package: !args.includes('--no-package'),
  });
  process.exitCode = printResults(results, wallMs);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`vscode: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
