/**
 * A SQLite file as the desired state in the editor (issue 10 item 2): Compare Databases… offers
 * "SQLite file…" for the to side only, its file dialog gives `sqlite:<path>`, the DATETIME text is
 * read in `pgdrift.sqliteTimeZone`, the Schema Differences view shows the translation's report
 * (values that will not fit, with row ids; a view left out; the tables to copy), and Swap refuses
 * to make the SQLite file the database to change. The SQLite file is built in the test with the
 * checkout's sql.js (the suites' bundle leaves it out).
 */
import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, keys, replace, screenshot } from '../harness';
import { ENV } from '../support/protocol';
import {
  admin, closeEditors, differencesSnapshot, findNode, recreateDatabases, registerCleanUp, serverProfile, useProfiles, widenSideBar, within,
  workspaceFolder, type CompareOutcome,
} from '../workspace';

const TARGET = 'sq_target';

/** An application's SQLite database: DATETIME as local (SAST) text, booleans as 0/1, text in an INTEGER column, a view. */
const APP = `
CREATE TABLE machines (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, retired BOOLEAN NOT NULL DEFAULT 0);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  machine_id INTEGER NOT NULL REFERENCES machines(id),
  quantity INTEGER NOT NULL,
  due_at DATETIME
);
CREATE VIEW open_orders AS SELECT * FROM orders WHERE quantity > 0;
INSERT INTO machines VALUES (1, 'PRESS-1', 0), (2, 'LATHE-2', 1);
INSERT INTO orders (id, machine_id, quantity, due_at) VALUES
  (1, 1, 10, '2024-03-05 08:00:00'),
  (2, 2, 5, '2024-03-05 23:30:00'),
  (3, 1, 'twelve', '2024-03-06 07:15:00');
`;

/** The checkout the driver runs from (its .cache/screenshots is the screenshots folder). */
function checkout(): string {
  const shots = process.env[ENV.screenshots];
  assert.ok(shots, 'the VS Code for the Web driver names its screenshots folder');
  return dirname(dirname(shots));
}

interface SqlJs { Database: new () => { run(sql: string): void; export(): Uint8Array; close(): void } }

async function writeSqlite(path: string, sql: string): Promise<void> {
  const root = checkout();
  const load = createRequire(join(root, 'package.json'))('sql.js') as (config: { locateFile: (file: string) => string }) => Promise<SqlJs>;
  const SQL = await load({ locateFile: (file) => join(root, 'node_modules', 'sql.js', 'dist', file) });
  const db = new SQL.Database();
  db.run(sql);
  writeFileSync(path, db.export());
  db.close();
}

describe('pgdrift in VS Code: SQLite as the desired state', function () {
  this.timeout(180_000);
  const settings = () => vscode.workspace.getConfiguration('pgdrift');
  const file = () => join(workspaceFolder(), 'app.db');

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await recreateDatabases([TARGET], { force: true });
    await writeSqlite(file(), APP);
    await useProfiles([serverProfile(TARGET)], 'the profile in the settings');
    await settings().update('sqliteTimeZone', 'Africa/Johannesburg', vscode.ConfigurationTarget.Workspace);
    await closeEditors();
  });

  registerCleanUp([TARGET], { migrations: true });

  after(async function () {
    rmSync(file(), { force: true });
    await settings().update('sqliteTimeZone', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('Compare Databases… → SQLite file… compares the file as the desired state and shows what does not fit and what is not translated', async function () {
    const running = vscode.commands.executeCommand<CompareOutcome | undefined>('pgdrift.compare');
    // From: the profile (the SQLite entry is only offered for the desired state).
    await keys({ waitMs: 800 }, { type: TARGET }, { press: 'Enter' }, { waitMs: 600 }, { type: 'SQLite file' }, { waitMs: 300 });
    await screenshot('sqlite-picker', { settleMs: 300 });
    await keys({ press: 'Enter' }, { waitMs: 1200 });
    await screenshot('sqlite-file-dialog', { settleMs: 300 });
    await keys(...replace(file()));
    const outcome = await within(running, 'Compare Databases', 120_000);
    assert.equal(outcome?.status, 'compared', JSON.stringify(outcome));
    assert.ok(outcome.status === 'compared');
    assert.match(outcome.script, /CREATE TABLE "public"\."orders"/);
    await closeEditors();

    const roots = await differencesSnapshot();
    assert.match(roots[0]?.label ?? '', /^sq_target ← app\.db: /);
    const sqlite = roots.find((n) => n.label === 'SQLite app.db');
    assert.ok(sqlite, JSON.stringify(roots.map((n) => n.label)));
    assert.match(sqlite.description ?? '', /^1 value does not fit · \d+ not translated · DATETIME read in Africa\/Johannesburg$/);
    const misfit = sqlite.children.find((c) => c.icon === 'error');
    assert.match(misfit?.label ?? '', /^orders\.quantity row 3: /, JSON.stringify(sqlite.children));
    assert.ok(sqlite.children.some((c) => c.icon === 'info' && c.label.startsWith('open_orders') && c.description === 'view'), JSON.stringify(sqlite.children));
    const tables = sqlite.children.find((c) => /^2 tables to copy$/.test(c.label));
    assert.equal(tables?.description, '5 rows');
    assert.deepEqual(tables.children.map((c) => [c.label, c.description]), [['public.machines', '2 rows'], ['public.orders', '3 rows']]);
    // Every row is copied: its tables are not offered as reference data.
    const orders = findNode(roots.filter((n) => /^tables \(/.test(n.label)), 'public.orders');
    assert.ok(orders, 'the tables to create');
    assert.equal(orders.contextValue, undefined);

    await vscode.commands.executeCommand('workbench.view.extension.pgdrift');
    await vscode.commands.executeCommand('pgdrift.differences.focus');
    await widenSideBar();
    await screenshot('sqlite-differences-tree', { settleMs: 1500 });
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('Swap From and To refuses: a SQLite file is never the database to change', async function () {
    const outcome = await within(vscode.commands.executeCommand<CompareOutcome>('pgdrift.differences.swap'), 'Swap');
    assert.equal(outcome?.status, 'failed', JSON.stringify(outcome));
    assert.match(outcome.status === 'failed' ? outcome.message : '', /^app\.db is a SQLite file: pgdrift reads it as the desired state \(to\) but never changes it/);
    await screenshot('sqlite-swap-refused', { settleMs: 800 });
    // The comparison stays as it was.
    assert.ok((await differencesSnapshot()).some((n) => n.label === 'SQLite app.db'));
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('Refresh after the target got rows in machines: the table is not copied, and the view says so', async function () {
    await admin(TARGET, (c) => c.query("CREATE TABLE machines (id bigint PRIMARY KEY, code text NOT NULL); INSERT INTO machines VALUES (1, 'PRESS-1');"));
    const outcome = await within(vscode.commands.executeCommand<CompareOutcome>('pgdrift.differences.refresh'), 'Refresh', 120_000);
    assert.equal(outcome?.status, 'compared', JSON.stringify(outcome));
    await closeEditors();
    const sqlite = (await differencesSnapshot()).find((n) => n.label === 'SQLite app.db');
    assert.match(sqlite?.description ?? '', /^1 value does not fit · 1 not copied · /);
    assert.ok(sqlite?.children.some((c) => c.icon === 'warning' && c.label === 'public.machines is not copied: the target already holds rows in it (the copy fills empty tables only)'), JSON.stringify(sqlite?.children));
    assert.equal(sqlite?.children.find((c) => /tables? to copy$/.test(c.label))?.label, '1 table to copy');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('an unknown pgdrift.sqliteTimeZone fails the comparison naming the zone and the setting', async function () {
    await settings().update('sqliteTimeZone', 'Mars/Olympus_Mons', vscode.ConfigurationTarget.Workspace);
    try {
      const outcome = await within(vscode.commands.executeCommand<CompareOutcome>('pgdrift.differences.refresh'), 'Refresh', 120_000);
      assert.equal(outcome?.status, 'failed', JSON.stringify(outcome));
      assert.match(outcome.status === 'failed' ? outcome.message : '', /^"app\.db": unknown time zone "Mars\/Olympus_Mons".* \(setting pgdrift\.sqliteTimeZone\)$/i);
      await screenshot('sqlite-unknown-time-zone', { settleMs: 800 });
    } finally {
      await settings().update('sqliteTimeZone', 'Africa/Johannesburg', vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('notifications.clearAll');
    }
  });
});
