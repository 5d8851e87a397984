/**
 * Reference data in the editor (issue 10 item 1): tables listed in `pgdrift.referenceData` get
 * their rows made those of the desired state by the plan (INSERT … ON CONFLICT in migrate-data,
 * parents first), as `pgdrift plan --data` does. On a small pair: a marked table whose schema does
 * not change still shows (the "reference data" group), Mark/Unmark on a table item edit the
 * setting and compare again, "Choose Reference Data Tables…" checks tables in a QuickPick, and a
 * table over `pgdrift.referenceDataMaxRows` is refused naming the setting. On the ERP pair
 * (test/fixtures/erp): Role, Permission, RolePermission, RoleAssignment and TimeEntryRejectionNote
 * give 8 roles, 6 permissions, 11 links, 1 assignment and 9 notes in FK order, and Generate
 * Migration writes what `pgdrift plan --data …` prints.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import fromSql from '../../fixtures/erp/from.sql';
import toSql from '../../fixtures/erp/to.sql';
import { EXTENSION_ID, keys, screenshot, until } from '../harness';
import {
  admin, closeEditors, differencesSnapshot, findNode, packagedCli, recreateDatabases, registerCleanUp, removeMigrations, serverProfile,
  useProfiles, widenSideBar, within, workspaceFolder, type CompareOutcome, type SnapshotNode,
} from '../workspace';

const settings = () => vscode.workspace.getConfiguration('pgdrift');
const marked = () => settings().inspect<string[]>('referenceData')?.workspaceValue ?? [];

async function clearSettings(): Promise<void> {
  for (const key of ['referenceData', 'referenceDataMaxRows', 'referenceDataDelete']) await settings().update(key, undefined, vscode.ConfigurationTarget.Workspace);
}

/** Compares two profiles without the pickers (the command's arguments). */
const compareProfiles = (from: string, to: string, timeoutMs = 120_000) =>
  within(vscode.commands.executeCommand<CompareOutcome | undefined>('pgdrift.compare', from, to), 'Compare Databases', timeoutMs);

/** The migrate-data phase of a plan script. */
function dataPhase(script: string): string {
  const start = script.indexOf('-- pgdrift:phase migrate-data');
  assert.ok(start >= 0, 'the plan has a migrate-data phase');
  const next = script.indexOf('-- pgdrift:phase', start + 1);
  return script.slice(start, next === -1 ? undefined : next);
}

/** The INSERTs of a phase as [table, rows] in the order they run. */
function inserts(section: string): [string, number][] {
  return [...section.matchAll(/^INSERT INTO "public"\."(\w+)" .*\nVALUES\n((?:  \(.*\),?\n)+)ON CONFLICT/gm)]
    .map((m) => [m[1] ?? '', (m[2] ?? '').split('\n').filter(Boolean).length]);
}

const group = (roots: readonly SnapshotNode[]) => roots.find((n) => /^reference data \(\d+\)$/.test(n.label));

async function showView(): Promise<void> {
  await vscode.commands.executeCommand('workbench.view.extension.pgdrift');
  await vscode.commands.executeCommand('pgdrift.differences.focus');
}

describe('pgdrift in VS Code: Reference data on a small pair', function () {
  this.timeout(180_000);
  const FROM = 'rd_from';
  const TO = 'rd_to';

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await clearSettings();
    await recreateDatabases([FROM, TO], { force: true });
    // status: same schema, rows differ (one renamed, one new); note: a column added, one row new;
    // big: same schema and rows, 30 of them; audit: no primary key; item: its second row refers to
    // a kind only the desired state has.
    const common = `
      CREATE TABLE status (id integer PRIMARY KEY, name text NOT NULL);
      CREATE TABLE kind (id integer PRIMARY KEY);
      CREATE TABLE item (id integer PRIMARY KEY, kind_id integer REFERENCES kind);
      CREATE TABLE big (id integer PRIMARY KEY);
      INSERT INTO big SELECT generate_series(1, 30);
      CREATE TABLE audit (at timestamptz, what text);`;
    await admin(FROM, (c) => c.query(`${common}
      INSERT INTO status VALUES (1, 'open'), (2, 'closed (old)');
      INSERT INTO kind VALUES (1);
      CREATE TABLE note (id integer PRIMARY KEY, body text);`));
    await admin(TO, (c) => c.query(`${common}
      INSERT INTO status VALUES (1, 'open'), (2, 'closed'), (3, 'archived');
      INSERT INTO kind VALUES (1), (2);
      INSERT INTO item VALUES (1, 1), (2, 2);
      CREATE TABLE note (id integer PRIMARY KEY, body text, author text);
      INSERT INTO note VALUES (1, 'hello', 'ada');`));
    await useProfiles([serverProfile(FROM), serverProfile(TO)]);
    await closeEditors();
  });

  registerCleanUp([FROM, TO], { migrations: true });

  after(async function () {
    await clearSettings();
  });

  it('without reference data, a table item can be marked (context value pgdrift.table) and no group shows', async function () {
    const outcome = await compareProfiles(FROM, TO);
    assert.equal(outcome?.status, 'compared', JSON.stringify(outcome));
    await closeEditors();
    const roots = await differencesSnapshot();
    assert.equal(group(roots), undefined);
    assert.equal(findNode(roots, 'public.note')?.contextValue, 'pgdrift.table');
    assert.doesNotMatch(roots[0]?.label ?? '', /reference data/);
  });

  it('Choose Reference Data Tables… lists the desired state\'s tables; checking status (whose schema does not change) shows it with 1 row to insert and 1 to update', async function () {
    await closeEditors();
    const running = vscode.commands.executeCommand<CompareOutcome | undefined>('pgdrift.chooseReferenceData');
    await keys({ waitMs: 800 }, { type: 'status' }, { waitMs: 400 });
    await screenshot('reference-data-choose', { settleMs: 300 });
    // In a multi-select QuickPick, Space on the active item checks it; Enter accepts the checked ones.
    await keys({ press: 'ArrowDown' }, { press: 'Space' }, { waitMs: 300 }, { press: 'Enter' });
    const outcome = await within(running, 'Choose Reference Data Tables…', 120_000);
    assert.equal(outcome?.status, 'compared', JSON.stringify(outcome));
    assert.deepEqual(marked(), ['public.status']);
    assert.ok(outcome.status === 'compared');
    const section = dataPhase(outcome.script);
    assert.deepEqual(inserts(section), [['status', 2]], section);
    assert.match(section, /\('2'::integer, 'closed'::text\)/);
    assert.match(section, /^-- pgdrift:expect SELECT count\(\*\) FROM "public"\."status" = 3$/m);
    await closeEditors();

    const roots = await differencesSnapshot();
    assert.match(roots[0]?.label ?? '', /^rd_from ← rd_to: .*, reference data: 2 rows to write$/);
    const data = group(roots);
    assert.equal(data?.label, 'reference data (1)', JSON.stringify(roots.map((n) => n.label)));
    const status = findNode(data.children, 'public.status');
    assert.equal(status?.description, '1 to insert, 1 to update');
    assert.equal(status?.contextValue, 'pgdrift.referenceData.table');
    assert.equal(findNode(roots, 'public.note')?.contextValue, 'pgdrift.table', 'note is not marked');
  });

  it('Mark as Reference Data on the note item adds it to the setting and compares again; Unmark takes it out', async function () {
    const noteItem = (roots: readonly SnapshotNode[]) => {
      const tables = roots.find((n) => /^tables \(\d+\)$/.test(n.label));
      return findNode(tables?.children ?? [], 'public.note');
    };
    // What the view's context menu passes: the item, which names its table.
    const outcome = await within(vscode.commands.executeCommand<CompareOutcome>('pgdrift.differences.markReferenceData', { table: 'table:"public"."note"' }), 'Mark as Reference Data', 120_000);
    assert.equal(outcome?.status, 'compared', JSON.stringify(outcome));
    assert.deepEqual(marked(), ['public.status', 'public.note']);
    await closeEditors();
    let roots = await differencesSnapshot();
    const note = noteItem(roots);
    assert.equal(note?.contextValue, 'pgdrift.table.referenceData');
    assert.match(note?.description ?? '', /^reference data: 1 to insert · /);
    assert.equal(group(roots)?.label, 'reference data (2)');
    // The new column comes first (expand), then its row (migrate-data).
    assert.ok(outcome.status === 'compared');
    assert.ok(outcome.script.indexOf('ADD COLUMN "author"') < outcome.script.indexOf('INSERT INTO "public"."note"'), outcome.script);
    assert.deepEqual(inserts(dataPhase(outcome.script)), [['status', 2], ['note', 1]], 'unrelated tables in the order of the setting');

    await showView();
    await widenSideBar();
    await screenshot('reference-data-small-tree', { settleMs: 1500 });

    const unmarked = await within(vscode.commands.executeCommand<CompareOutcome>('pgdrift.differences.unmarkReferenceData', { table: 'table:"public"."note"' }), 'Unmark Reference Data', 120_000);
    assert.equal(unmarked?.status, 'compared', JSON.stringify(unmarked));
    assert.deepEqual(marked(), ['public.status']);
    await closeEditors();
    roots = await differencesSnapshot();
    assert.equal(noteItem(roots)?.contextValue, 'pgdrift.table');
    assert.equal(group(roots)?.label, 'reference data (1)');
  });

  it('a row whose parent row the target will not have is left out, shown under its table with a warning, and named in the log', async function () {
    await closeEditors();
    const outcome = await within(vscode.commands.executeCommand<CompareOutcome>('pgdrift.chooseReferenceData', ['public.status', 'public.item']), 'Choose Reference Data Tables…', 120_000);
    assert.equal(outcome?.status, 'compared', JSON.stringify(outcome));
    assert.ok(outcome.status === 'compared');
    assert.deepEqual(inserts(dataPhase(outcome.script)), [['status', 2], ['item', 1]]);
    const roots = await differencesSnapshot();
    const data = group(roots);
    assert.equal(data?.description, '3 rows to write, 1 left out');
    const item = findNode(data.children, 'public.item');
    assert.equal(item?.description, '1 to insert · 1 left out');
    assert.equal(item?.icon, 'warning');
    assert.deepEqual(item?.children.map((c) => c.label), [
      'public.item row (id = 2) refers by item_kind_id_fkey to public.kind (id = 2), which the target will not have after the sync; the row is left out of the plan',
    ]);
    await showView();
    await screenshot('reference-data-orphan', { settleMs: 1500 });
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('a table with more rows than pgdrift.referenceDataMaxRows is refused with a message naming the setting; a table without primary key too', async function () {
    await closeEditors();
    await settings().update('referenceDataMaxRows', 10, vscode.ConfigurationTarget.Workspace);
    // Edited by hand, the setting is not yet applied: the view says to refresh.
    await showView();
    await screenshot('reference-data-settings-changed', { settleMs: 1000 });
    const outcome = await within(vscode.commands.executeCommand<CompareOutcome>('pgdrift.chooseReferenceData', ['public.status', 'public.big']), 'Choose Reference Data Tables…', 120_000);
    assert.equal(outcome?.status, 'failed', JSON.stringify(outcome));
    const message = outcome.status === 'failed' ? outcome.message : '';
    assert.match(message, /^reference data "public"\."big": 30 rows in rd_to, more than pgdrift\.referenceDataMaxRows 10: .*raise pgdrift\.referenceDataMaxRows if this table is one$/, message);
    assert.doesNotMatch(message, /--data|--to|--from/);
    assert.deepEqual(await differencesSnapshot(), [], 'no stale comparison in the view');
    await screenshot('reference-data-too-many-rows', { settleMs: 1000 });
    await vscode.commands.executeCommand('notifications.clearAll');
    await settings().update('referenceDataMaxRows', undefined, vscode.ConfigurationTarget.Workspace);

    const keyless = await within(vscode.commands.executeCommand<CompareOutcome>('pgdrift.chooseReferenceData', ['public.audit']), 'Choose Reference Data Tables…', 120_000);
    assert.equal(keyless?.status, 'failed', JSON.stringify(keyless));
    assert.match(keyless.status === 'failed' ? keyless.message : '', /^reference data "public"\."audit": the table has no primary key in rd_to/);
    await vscode.commands.executeCommand('notifications.clearAll');
    await settings().update('referenceData', undefined, vscode.ConfigurationTarget.Workspace);
  });
});

describe('pgdrift in VS Code: Reference data on the ERP pair', function () {
  this.timeout(300_000);
  const FROM = 'production';
  const TO = 'local';
  const DATABASES = { [FROM]: 'erp_rd_production', [TO]: 'erp_rd_local' } as const;
  const TABLES = ['Role', 'Permission', 'RolePermission', 'RoleAssignment', 'TimeEntryRejectionNote'];
  const COUNTS: Record<string, number> = { Role: 8, Permission: 6, RolePermission: 11, RoleAssignment: 1, TimeEntryRejectionNote: 9 };

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await clearSettings();
    await recreateDatabases(Object.values(DATABASES), { force: true });
    await admin(DATABASES[FROM], (client) => client.query(fromSql));
    await admin(DATABASES[TO], (client) => client.query(toSql));
    await useProfiles([serverProfile(FROM, DATABASES[FROM], 'production'), serverProfile(TO, DATABASES[TO], 'development')]);
    removeMigrations();
    await closeEditors();
  });

  registerCleanUp(Object.values(DATABASES), { migrations: true });

  after(async function () {
    await clearSettings();
  });

  it('with the five tables marked, the plan copies 8 roles, 6 permissions, 11 links, 1 assignment and 9 notes in FK order, and the tree shows them', async function () {
    await settings().update('referenceData', TABLES.map((t) => `public.${t}`), vscode.ConfigurationTarget.Workspace);
    const outcome = await compareProfiles(FROM, TO);
    assert.equal(outcome?.status, 'compared', JSON.stringify(outcome));
    assert.ok(outcome.status === 'compared');
    await closeEditors();

    const script = outcome.script;
    assert.ok(script.indexOf('-- pgdrift:phase migrate-data') > script.indexOf('-- pgdrift:phase expand'));
    const section = dataPhase(script);
    const order = inserts(section);
    assert.deepEqual(Object.fromEntries(order), COUNTS);
    const at = (t: string) => order.findIndex(([name]) => name === t);
    assert.ok(at('Role') < at('RolePermission') && at('Permission') < at('RolePermission') && at('Role') < at('RoleAssignment'), order.join(' '));
    for (const [t, n] of order) assert.match(section, new RegExp(`^-- pgdrift:expect SELECT count\\(\\*\\) FROM "public"\\."${t}" = ${n}$`, 'm'));
    assert.doesNotMatch(section, /^DELETE/m);

    const roots = await differencesSnapshot();
    assert.match(roots[0]?.label ?? '', /, reference data: 35 rows to write/);
    const data = group(roots);
    assert.equal(data?.label, 'reference data (5)');
    assert.equal(data.description, '35 rows to write');
    assert.deepEqual(data.children.map((c) => [c.label, c.description]), order.map(([t, n]) => [`public."${t}"`, `${n} to insert`]));
    const tables = roots.find((n) => /^tables \(\d+\)$/.test(n.label));
    for (const t of TABLES) {
      const item = findNode(tables?.children ?? [], `public."${t}"`);
      assert.equal(item?.contextValue, 'pgdrift.table.referenceData', t);
      assert.match(item?.description ?? '', new RegExp(`^reference data: ${COUNTS[t]} to insert`), t);
    }
    await showView();
    await widenSideBar();
    await screenshot('reference-data-erp-tree', { settleMs: 1500 });
  });

  it('Generate Migration writes what pgdrift plan --data … prints for the same profiles, byte for byte', async function () {
    await closeEditors();
    const uri = await within(vscode.commands.executeCommand<vscode.Uri | undefined>('pgdrift.generateMigration'), 'Generate Migration', 120_000);
    assert.ok(uri, 'a file was written');
    const text = readFileSync(uri.fsPath, 'utf8');
    const plan = await packagedCli(workspaceFolder(), 'plan', '--from', `profile:${FROM}`, '--to', `profile:${TO}`, ...TABLES.flatMap((t) => ['--data', `public.${t}`]));
    assert.equal(plan.code, 3, `unaccepted data loss: exit 3 (${plan.stderr})`);
    assert.doesNotMatch(plan.stderr, /orphan/);
    assert.equal(text, plan.stdout);
    await until(() => (vscode.window.activeTextEditor?.document.uri.fsPath === uri.fsPath ? true : undefined), 'the migration in an editor');
    const editor = vscode.window.activeTextEditor;
    const line = editor?.document.positionAt(text.indexOf('INSERT INTO "public"."Role"')).line ?? 0;
    editor?.revealRange(new vscode.Range(line - 3, 0, line + 12, 0), vscode.TextEditorRevealType.AtTop);
    await screenshot('reference-data-erp-migration', { settleMs: 1500 });
    await closeEditors();
  });
});
