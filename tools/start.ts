/**
 * `npm start` (scripts/start.sh runs it after setup and build): the CLI sample (tools/sample.ts),
 * then two sample databases on a private PostgreSQL 15 cluster in a temporary folder on loopback
 * (loaded from the ERP pair, test/fixtures/erp) and VS Code for the Web (code-server, as the test
 * bench installs it) with the packaged pgdrift installed from its .vsix, opening a sample
 * workspace with a profile for each database. Prints the URL and waits; Ctrl-C (SIGINT or
 * SIGTERM) stops code-server and the cluster and removes the temporary folders. When the VS Code
 * part cannot start, it says why and offers the CLI on the same databases.
 *
 *   PGDRIFT_START_PORT=N             code-server's port (default: a free one)
 *   PGDRIFT_START_EXIT_AFTER_READY=1 (or --exit-after-ready) stop everything and exit once the
 *                                    URL answers HTTP 200: for the tests and CI; exit 1 when a
 *                                    part did not start
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { packageVsix } from '../test/vscode/support/build';
import { CODE_SERVER, installVsix, ROOT, startCodeServer, type RunningCodeServer } from '../test/vscode/support/codeServer';
import { createDatabase, freePort, startCluster, withClient, type Cluster } from './cluster';
import { runSample } from './sample';
import { LOCAL_PROFILE, PRODUCTION_PROFILE, writeSampleWorkspace, type SampleServer } from './startWorkspace';

const EXIT_AFTER_READY = process.env.PGDRIFT_START_EXIT_AFTER_READY === '1' || process.argv.includes('--exit-after-ready');
const MAJOR = 15;
const DATABASES = { production: { name: 'erp_production', fixture: 'test/fixtures/erp/from.sql' }, local: { name: 'erp_local', fixture: 'test/fixtures/erp/to.sql' } } as const;

const say = (line: string) => console.log(`start: ${line}`);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** What is running, for the stop on a signal or at the end. */
const started: { tmp?: string; cluster?: Cluster; server?: RunningCodeServer } = {};
let signalled = false;

/**
 * Whether a process of group `pgid` still runs. kill(-pgid, 0) cannot say: the group leader, our
 * child, stays a zombie until the event loop reaps it, and the loop does not run while we wait.
 */
function groupRunning(pgid: number): boolean {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      // The fields after the command name's closing parenthesis: state, ppid, pgrp, …
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') return true;
    } catch {
      // gone meanwhile
    }
  }
  return false;
}

/**
 * Ctrl-C: everything is stopped synchronously, because tools/cluster.ts's own signal handler,
 * which runs after this one, exits the process at once (its exit hook stops the cluster and removes
 * its folder, and ours removes the temporary folder).
 */
function onSignal(signal: NodeJS.Signals): void {
  signalled = true;
  console.log(`\nstart: ${signal}: stopping code-server and PostgreSQL, removing the temporary data`);
  const pid = started.server?.pid;
  if (pid !== undefined) {
    // Its own process group (see startCodeServer): the server, VS Code's server, the extension host.
    try {
      process.kill(-pid, 'SIGTERM');
      for (let waited = 0; waited < 5000 && groupRunning(pid); waited += 100) sleepSync(100);
      if (groupRunning(pid)) process.kill(-pid, 'SIGKILL');
    } catch {
      // the group is gone
    }
  }
  process.exit(0);
}

function removeTemporary(): void {
  if (started.tmp) rmSync(started.tmp, { recursive: true, force: true });
}

/** The private cluster with the two ERP databases. */
async function startDatabases(): Promise<{ cluster: Cluster; server: SampleServer }> {
  const cluster = await startCluster(MAJOR);
  started.cluster = cluster;
  for (const db of Object.values(DATABASES)) {
    await createDatabase(cluster.url(), db.name);
    const sql = readFileSync(join(ROOT, db.fixture), 'utf8');
    await withClient(cluster.url(db.name), (client) => client.query(sql));
  }
  const server: SampleServer = { host: cluster.host, port: cluster.port, user: 'postgres', production: DATABASES.production.name, local: DATABASES.local.name };
  return { cluster, server };
}

function chosenPort(): Promise<number> {
  const asked = process.env.PGDRIFT_START_PORT;
  if (!asked) return freePort();
  const port = Number(asked);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PGDRIFT_START_PORT=${asked} is not a port number`);
  return Promise.resolve(port);
}

/** Packages the .vsix, installs it into a fresh code-server and starts it on the workspace. */
async function startVsCode(tmp: string, server: SampleServer): Promise<{ url: string; workspace: string }> {
  if (!existsSync(CODE_SERVER)) {
    throw new Error(`code-server is not installed (${relative(ROOT, CODE_SERVER)} is missing): scripts/setup.sh --start could not install it (see its warning above); bash scripts/vscode-bench.sh tries again and says why`);
  }
  say('packaging the extension (npm run package)');
  const vsix = packageVsix();
  const extensionsDir = join(tmp, 'extensions');
  const userDataDir = join(tmp, 'user-data');
  const workspace = join(tmp, 'workspace');
  for (const d of [extensionsDir, userDataDir, workspace]) mkdirSync(d, { recursive: true });
  writeSampleWorkspace(workspace, server);
  say(`installing ${relative(ROOT, vsix.path)} into code-server`);
  installVsix(vsix.path, extensionsDir, userDataDir);
  const port = await chosenPort();
  const logFile = join(tmp, 'code-server.log');
  started.server = await startCodeServer({
    port, extensionsDir, userDataDir, workspace, logFile, env: process.env,
    // The workspace's README.md opens first: it says what to click.
    userSettings: { 'workbench.startupEditor': 'readme' },
  });
  const url = `${started.server.url}/?folder=${workspace}`;
  const res = await fetch(`${started.server.url}/?folder=${encodeURIComponent(workspace)}`, { signal: AbortSignal.timeout(30_000) });
  if (res.status !== 200) throw new Error(`code-server answered HTTP ${res.status} on ${url} (see ${logFile})`);
  return { url, workspace };
}

function cliLines(server: SampleServer): string[] {
  const url = (db: string) => `postgres://${server.user}@${server.host}:${server.port}/${db}`;
  const sides = `--from ${url(server.production)} --to ${url(server.local)}`;
  return [
    `  node dist/cli.js diff ${sides}`,
    `  node dist/cli.js plan ${sides} --mapping .cache/sample/pgdrift.mapping.json -o plan.sql`,
  ];
}

async function main(): Promise<void> {
  process.chdir(ROOT);
  // Before startCluster, so that this handler runs before tools/cluster.ts's.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, onSignal);
  process.on('exit', removeTemporary);

  console.log('\n=== The CLI on the two ERP SQL files, each loaded into an embedded PostgreSQL (tools/sample.ts) ===');
  let sampleFailed = false;
  try {
    await runSample();
  } catch (error) {
    sampleFailed = true;
    say(`the CLI sample failed: ${messageOf(error)}`);
  }

  console.log(`\n=== The same two schemas on a PostgreSQL ${MAJOR} server, and pgdrift in VS Code for the Web ===`);
  let databases: { cluster: Cluster; server: SampleServer };
  try {
    databases = await startDatabases();
  } catch (error) {
    say(`PostgreSQL ${MAJOR} could not start, so neither can the VS Code part: ${messageOf(error)}`);
    say('the CLI path above needs no server: node dist/cli.js diff --from test/fixtures/erp/from.sql --to test/fixtures/erp/to.sql');
    process.exitCode = 1;
    return;
  }
  const { cluster, server } = databases;
  const dataDir = dirname(cluster.dataDir);
  say(`PostgreSQL ${MAJOR} on 127.0.0.1:${cluster.port} (data in ${dataDir}): ${DATABASES.production.name} from ${DATABASES.production.fixture}, ${DATABASES.local.name} from ${DATABASES.local.fixture}`);

  started.tmp = mkdtempSync(join(tmpdir(), 'pgdrift-start-'));
  let vscode: { url: string; workspace: string } | undefined;
  let why = '';
  try {
    vscode = await startVsCode(started.tmp, server);
  } catch (error) {
    why = messageOf(error);
  }

  console.log('');
  if (vscode) {
    console.log('Open pgdrift in VS Code for the Web in your browser:');
    console.log(`\n  ${vscode.url}\n`);
    console.log(`No password: code-server listens on 127.0.0.1 only. From another computer, forward the port first:`);
    console.log(`  ssh -L ${new URL(vscode.url).port}:127.0.0.1:${new URL(vscode.url).port} <this machine>, then open the same URL.`);
    console.log(`The workspace (${vscode.workspace}) has two profiles, "${PRODUCTION_PROFILE}" (marked production) and "${LOCAL_PROFILE}",`);
    console.log('and its README.md, open first, says what to click: pgdrift in the activity bar, then in Schema Differences');
    console.log(`Compare: "${PRODUCTION_PROFILE}", then "${LOCAL_PROFILE}"; Generate Migration; Run Migration File… on the file.`);
  } else {
    console.log(`VS Code for the Web could not start: ${why}`);
  }
  console.log(`\nThe CLI on the same two databases (PostgreSQL ${MAJOR} on 127.0.0.1:${cluster.port}, trust on loopback):`);
  for (const line of cliLines(server)) console.log(line);
  console.log(`\nCtrl-C stops ${vscode ? 'code-server and ' : ''}PostgreSQL and removes ${started.tmp} and ${dataDir}.`);
  say(vscode ? 'ready' : 'ready (CLI only)');
  if (sampleFailed || !vscode) process.exitCode = 1;

  if (EXIT_AFTER_READY) {
    say('exiting (PGDRIFT_START_EXIT_AFTER_READY)');
    await started.server?.stop();
    await cluster.stop();
    removeTemporary();
    say('stopped code-server and PostgreSQL, removed the temporary data');
    return;
  }
  // Registered last, so it runs after the exit hooks that stop the cluster and code-server.
  process.on('exit', () => {
    if (signalled) console.log('start: stopped code-server and PostgreSQL, removed the temporary data');
  });
  // Nothing else holds the event loop open while we wait for Ctrl-C.
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
  console.error(`start: ${messageOf(error)}`);
  process.exit(1);
});
