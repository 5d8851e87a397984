/**
 * `npm run test:desktop`: the same suites, through the same runner extension, in desktop VS Code via
 * @vscode/test-electron, with pgdrift installed from the same .vsix. @vscode/test-electron downloads
 * VS Code from Microsoft's update servers: on a machine that cannot reach them (these machines reach
 * only npm and Debian) this fails at that step with a message saying so; use `npm run test:vscode`
 * (VS Code for the Web) there. On Linux without a display, run it under xvfb-run.
 *
 *   npx tsx test/vscode/desktop.ts [--grep PATTERN]      PGDRIFT_VSCODE_VERSION=1.100.3 (default: stable)
 *
 * Screenshots are not taken here (no playwright): screenshot() in a suite resolves with undefined.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { buildTests, packageVsix, RUNNER_DIR } from './support/build';
import { ROOT } from './support/codeServer';
import { startSuitePostgres, type SuitePostgres } from './support/postgres';
import { ENV, type RunResults } from './support/protocol';
import { printResults } from './support/report';

const log = (line: string) => console.log(`desktop: ${line}`);

async function download(version: string): Promise<string> {
  try {
    return await downloadAndUnzipVSCode({ version, cachePath: join(ROOT, '.cache', 'vscode-desktop'), timeout: 30_000 });
  } catch (error) {
    throw new Error(`could not download VS Code ${version} from Microsoft's update servers `
      + `(${error instanceof Error ? error.message : String(error)}). @vscode/test-electron needs them; this machine `
      + 'cannot reach them. Run the same suites in VS Code for the Web instead: npm run test:vscode');
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const grepAt = args.indexOf('--grep');
  const grep = grepAt >= 0 ? args[grepAt + 1] : undefined;
  const version = process.env.PGDRIFT_VSCODE_VERSION ?? 'stable';

  const executable = await download(version);
  log(`VS Code ${version}: ${executable}`);
  const vsix = packageVsix();
  buildTests();

  const tmp = mkdtempSync(join(tmpdir(), 'pgdrift-desktop-'));
  const extensionsDir = join(tmp, 'extensions');
  const userDataDir = join(tmp, 'user-data');
  const workspace = join(tmp, 'workspace');
  const resultsFile = join(tmp, 'results.json');
  for (const d of [extensionsDir, userDataDir, workspace]) mkdirSync(d, { recursive: true });

  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(executable);
  const installed = spawnSync(cli!, [...cliArgs, '--extensions-dir', extensionsDir, '--install-extension', vsix.path], { encoding: 'utf8' });
  if (installed.status !== 0) throw new Error(`installing ${vsix.path} failed:\n${installed.stdout}${installed.stderr}`);

  let postgres: SuitePostgres | undefined;
  let ok = false;
  const started = Date.now();
  try {
    postgres = await startSuitePostgres(log);
    // The runner is the development extension and its extension.js the tests module: VS Code calls
    // its run(), which rejects on failures, and exits with a non-zero code.
    const code = await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: RUNNER_DIR,
      extensionTestsPath: join(RUNNER_DIR, 'extension.js'),
      launchArgs: [workspace, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--disable-workspace-trust', '--disable-gpu'],
      extensionTestsEnv: {
        [ENV.results]: resultsFile,
        [ENV.extensionsDir]: extensionsDir,
        [ENV.postgres]: JSON.stringify(postgres.urls),
        ...(grep ? { [ENV.grep]: grep } : {}),
      },
    }).catch((error: unknown) => {
      log(`VS Code: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    });
    if (!existsSync(resultsFile)) throw new Error(`VS Code exited (${code}) without results from the runner`);
    const exit = printResults(JSON.parse(readFileSync(resultsFile, 'utf8')) as RunResults, Date.now() - started);
    ok = exit === 0;
    return exit;
  } finally {
    await postgres?.stop();
    if (ok) rmSync(tmp, { recursive: true, force: true });
    else log(`kept ${tmp}`);
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`desktop: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
