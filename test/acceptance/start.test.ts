// `npm start`, as the README has a new user run it: the ERP pair on a private PostgreSQL 15
// cluster, VS Code for the Web with the packaged pgdrift, and a sample workspace with both profiles.
// The workbench is opened in headless Chromium and Compare is clicked as a user would (the
// screenshot is .cache/screenshots/start-compare.png); Ctrl-C (SIGINT to the process group, as a
// terminal sends it) must leave no server and no temporary folder behind. Then the CI mode
// (PGDRIFT_START_EXIT_AFTER_READY=1), and a port already taken: the VS Code part says why it did
// not start and the CLI path is still printed. Each run packages the .vsix into dist/: on a shared
// machine run this under `flock /tmp/pgdrift-vscode.lock`.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { withClient } from '../../tools/cluster';
import { openWorkbench, type Workbench } from '../vscode/support/browser';
import { ROOT } from '../vscode/support/codeServer';

const READY_MS = 10 * 60_000;
const SCREENSHOTS = join(ROOT, '.cache', 'screenshots');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start` in its own process group, so that a test can send it Ctrl-C as a terminal would. */
function npmStart(env: NodeJS.ProcessEnv = {}): Started {
  const child = spawn('npm', ['start'], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => text, exited };
}

async function waitFor(started: Started, pattern: RegExp, ms: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  let done = false;
  void started.exited.then(() => (done = true));
  for (;;) {
    const m = started.output().match(pattern);
    if (m) return m;
    if (done || Date.now() > deadline) assert.fail(`npm start ${done ? 'exited' : 'timed out'} before printing ${pattern}:\n${started.output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** What the ready message names: the URL, the workspace, the cluster's port and data folder. */
function parseReady(output: string) {
  const url = /^ {2}(http:\/\/127\.0\.0\.1:(\d+)\/\?folder=(\S+))$/m.exec(output);
  const pg = /PostgreSQL 15 on 127\.0\.0\.1:(\d+) \(data in (\S+)\)/.exec(output);
  assert.ok(url && pg, `the URL and the cluster in the output:\n${output.slice(-3000)}`);
  const workspace = url[3] ?? '';
  return { url: url[1] ?? '', workspace, tmp: dirname(workspace), pgPort: Number(pg[1]), dataDir: pg[2] ?? '' };
}

/** Processes whose command line names `path` (the cluster's postmaster, code-server and its children). */
function processesNaming(path: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(path)) found.push(`${pid}: ${cmdline.slice(0, 200)}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function assertCleanedUp(ready: ReturnType<typeof parseReady>): void {
  for (const path of [ready.tmp, ready.dataDir]) {
    assert.equal(existsSync(path), false, `${path} removed`);
    assert.deepEqual(processesNaming(path), [], `no process left using ${path}`);
  }
}

async function tableNames(port: number, database: string): Promise<string[]> {
  return withClient(`postgres://postgres@127.0.0.1:${port}/${database}`, async (c) =>
    (await c.query<{ relname: string }>("SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 1")).rows.map((r) => r.relname));
}

/** Stops a run the test left behind (a failed assertion): the whole group, then SIGKILL. */
async function stopLeftover(started: Started | undefined): Promise<void> {
  const pid = started?.child.pid;
  if (!started || pid === undefined || started.child.exitCode !== null || started.child.signalCode !== null) return;
  try {
    process.kill(-pid, 'SIGINT');
  } catch {
    return;
  }
  const timeout = new Promise((r) => setTimeout(r, 15_000));
  await Promise.race([started.exited, timeout]);
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // gone
  }
}

/** The page scripts are text: this program is typed without the DOM's types. */
const SUMMARY_ROW = `(() => {
  const rows = [...document.querySelectorAll('.monaco-list-row[role="treeitem"]')];
  const row = rows.find((r) => (r.textContent ?? '').includes('production (sample) ← local (sample)'));
  const list = row?.closest('.monaco-list');
  if (!row || !list) return false;
  return { summary: row.textContent, rows: list.querySelectorAll('.monaco-list-row[role="treeitem"]').length,
    labels: [...list.querySelectorAll('.monaco-list-row[role="treeitem"]')].map((r) => r.getAttribute('aria-label') ?? r.textContent) };
})()`;

const DATABASES_ROWS = `(() => {
  const labels = [...document.querySelectorAll('.monaco-list-row[role="treeitem"]')].map((r) => r.textContent ?? '');
  return labels.some((l) => l.includes('production (sample)')) && labels.some((l) => l.includes('local (sample)')) ? labels : false;
})()`;

describe('npm start', function () {
  this.timeout(READY_MS + 5 * 60_000);

  describe('the sample in VS Code for the Web, until Ctrl-C', () => {
    let started: Started | undefined;
    let workbench: Workbench | undefined;
    let ready: ReturnType<typeof parseReady>;

    before(async () => {
      started = npmStart();
      await waitFor(started, /^start: ready$/m, READY_MS);
      ready = parseReady(started.output());
    });
    after(async () => {
      await workbench?.close().catch(() => undefined);
      await stopLeftover(started);
    });

    it('prints the CLI sample first, then the URL and the CLI on the live databases', () => {
      const out = started?.output() ?? '';
      assert.match(out, /=== erp_local \(test\/fixtures\/erp\/to\.sql\) ===/);
      assert.match(out, /The remedied plan, which nothing blocks: \.cache\/sample\/plan-remedied\.sql/);
      assert.ok(out.indexOf('plan-remedied.sql') < out.indexOf(ready.url), 'the URL comes last, where the user sees it');
      assert.match(out, new RegExp(`node dist/cli\\.js diff --from postgres://postgres@127\\.0\\.0\\.1:${ready.pgPort}/erp_production --to postgres://postgres@127\\.0\\.0\\.1:${ready.pgPort}/erp_local`));
    });

    it('loads the two databases from the ERP pair on a PostgreSQL 15 cluster on loopback', async () => {
      const production = await tableNames(ready.pgPort, 'erp_production');
      const local = await tableNames(ready.pgPort, 'erp_local');
      assert.equal(local.length, 27, `to.sql's 27 tables: ${local.join(', ')}`);
      assert.ok(production.includes('OvertimeSettings') && production.includes('TimeTrackingSettings'), production.join(', '));
      const rows = await withClient(`postgres://postgres@127.0.0.1:${ready.pgPort}/erp_production`, async (c) => {
        const setting = async (name: string) => (await c.query<{ v: string }>('SELECT current_setting($1) AS v', [name])).rows[0]?.v ?? '';
        const version = await setting('server_version_num');
        const listen = await setting('listen_addresses');
        const overtime = (await c.query<{ n: string }>('SELECT count(*) AS n FROM "OvertimeSettings"')).rows[0]?.n;
        return { version, overtime, listen };
      });
      assert.match(rows.version, /^15\d{4}$/);
      assert.equal(rows.overtime, '2', "from.sql's rows");
      assert.equal(rows.listen, '127.0.0.1');
    });

    it('writes a workspace with both profiles, the migrations folder mapped and a README', () => {
      const settings = JSON.parse(readFileSync(join(ready.workspace, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
      const server = { host: '127.0.0.1', port: ready.pgPort, user: 'postgres' };
      assert.deepEqual(settings['pgdrift.profiles'], [
        { name: 'production (sample)', ...server, database: 'erp_production', environment: 'production' },
        { name: 'local (sample)', ...server, database: 'erp_local', environment: 'development' },
      ]);
      assert.deepEqual(settings['pgdrift.migrationTargets'], { migrations: 'production (sample)' });
      assert.ok(existsSync(join(ready.workspace, 'migrations')));
      const readme = readFileSync(join(ready.workspace, 'README.md'), 'utf8');
      for (const words of ['Compare', 'Generate Migration', 'Run Migration File…']) assert.ok(readme.includes(words), `README.md names ${words}`);
    });

    it('serves the workbench without a password on 127.0.0.1; Compare fills Schema Differences', async () => {
      const res = await fetch(ready.url);
      assert.equal(res.status, 200);
      workbench = await openWorkbench(ready.url);
      const page = workbench.page;
      await page.locator('.activitybar [aria-label^="pgdrift"]').first().click({ timeout: 120_000 });
      await page.waitForFunction(DATABASES_ROWS, undefined, { timeout: 60_000 });
      await page.getByRole('button', { name: 'Compare Databases' }).click({ timeout: 30_000 });
      // The two QuickPicks: the database to change, then the desired state.
      for (const profile of ['production (sample)', 'local (sample)']) {
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible', timeout: 30_000 });
        await page.waitForTimeout(500);
        await input.fill(profile);
        await page.waitForTimeout(500);
        await page.keyboard.press('Enter');
        await page.waitForTimeout(800);
      }
      const seen = await page.waitForFunction(SUMMARY_ROW, undefined, { timeout: 180_000 });
      const tree = (await seen.jsonValue()) as { summary: string; rows: number; labels: string[] };
      // Away from the tree, whose hover would cover the rows in the picture.
      await page.mouse.move(700, 890);
      await page.waitForTimeout(1500);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'start-compare.png') });
      assert.match(tree.summary, /tables to create/, tree.summary);
      assert.ok(tree.rows > 5, `the tree has the comparison's rows: ${tree.labels.join(' | ')}`);
      assert.ok(tree.labels.some((l) => /^tables/.test(l)), tree.labels.join(' | '));
    });

    it('Ctrl-C stops code-server and PostgreSQL and removes the temporary data', async () => {
      await workbench?.close();
      workbench = undefined;
      const pid = started?.child.pid;
      assert.ok(started && pid !== undefined);
      process.kill(-pid, 'SIGINT');
      const end = await started.exited;
      // npm waits for its script, then ends itself with the same signal (as a shell expects).
      assert.ok(end.code === 0 || end.signal === 'SIGINT', `npm ended with ${end.signal ?? end.code}:\n${started.output().slice(-2000)}`);
      const stopped = /start: SIGINT: stopping code-server and PostgreSQL, removing the temporary data\nstart: stopped code-server and PostgreSQL, removed the temporary data\n$/;
      assert.ok(stopped.test(started.output()), `the output ends with the two stop lines:\n${started.output().slice(-2000)}`);
      assertCleanedUp(ready);
    });
  });

  it('PGDRIFT_START_EXIT_AFTER_READY=1 exits 0 once the URL answers, and leaves nothing behind', async () => {
    const started = npmStart({ PGDRIFT_START_EXIT_AFTER_READY: '1' });
    try {
      const end = await started.exited;
      const out = started.output();
      assert.equal(end.code, 0, out.slice(-3000));
      assert.match(out, /^start: ready$/m);
      assert.match(out, /^start: stopped code-server and PostgreSQL, removed the temporary data$/m);
      assertCleanedUp(parseReady(out));
    } finally {
      await stopLeftover(started);
    }
  });

  it('when code-server cannot start (its port taken), says why and still offers the CLI on the databases', async () => {
    // Accepts and never answers, as a busy port's owner may: code-server cannot listen there.
    const taken: Server = createServer();
    const sockets = new Set<Socket>();
    taken.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const started = npmStart({ PGDRIFT_START_EXIT_AFTER_READY: '1', PGDRIFT_START_PORT: String(port) });
    try {
      const end = await started.exited;
      const out = started.output();
      assert.equal(end.code, 1, out.slice(-3000));
      assert.match(out, /^VS Code for the Web could not start: code-server exited .* before it listened/m);
      assert.match(out, /^ {2}node dist\/cli\.js diff --from postgres:\/\/postgres@127\.0\.0\.1:\d+\/erp_production --to /m);
      assert.match(out, /^start: ready \(CLI only\)$/m);
      const dataDir = /\(data in (\S+)\)/.exec(out)?.[1];
      const tmp = /and removes (\/\S+) and /.exec(out)?.[1];
      assert.ok(dataDir && tmp, out.slice(-2000));
      for (const path of [tmp, dataDir]) {
        assert.equal(existsSync(path), false, `${path} removed`);
        assert.deepEqual(processesNaming(path), [], `no process left using ${path}`);
      }
    } finally {
      await stopLeftover(started);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
