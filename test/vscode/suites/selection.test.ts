/**
 * Include/exclude checkboxes in Schema Differences, on two databases of the suites' server: the
 * to-side adds table "Role", a column "roleId" and a foreign key from the existing "TimeEntry" to
 * Role, and a column "note". Leaving Role out warns that the foreign key needs it; accepting leaves
 * both out, Cancel leaves everything as it was. Generate Migration then writes, byte for byte, what
 * the packaged CLI's `pgdrift plan --exclude public.Role` prints, without Role or the key.
 */
import { execFile } from 'node:child_process';
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, keys, postgresUrl, screenshot, until } from '../harness';
import { admin, closeEditors, profiles, setProfiles, within } from '../workspace';

const FROM = 'sel_production';
const TO = 'sel_local';
const ROLE = 'table:"public"."Role"';
const ROLE_PKEY = 'constraint:"public"."Role"."Role_pkey"';
const FK = 'constraint:"public"."TimeEntry"."TimeEntry_roleId_fkey"';
const ROLE_ID = 'column:"public"."TimeEntry"."roleId"';
const NOTE = 'column:"public"."TimeEntry"."note"';

interface SnapshotNode { label: string; description?: string; checked?: boolean; children: SnapshotNode[] }
interface SelectOutcome { status: 'excluded' | 'included' | 'cancelled'; also: string[]; excluded: string[] }

const snapshot = async () => (await vscode.commands.executeCommand<SnapshotNode[]>('pgdrift.differences.snapshot')) ?? [];
const select = (ids: string[], included: boolean) => vscode.commands.executeCommand<SelectOutcome>('pgdrift.differences.select', ids, included);

/** The node whose label is `label`, anywhere in the tree. */
function find(nodes: readonly SnapshotNode[], label: string): SnapshotNode | undefined {
  for (const n of nodes) {
    if (n.label === label) return n;
    const inner = find(n.children, label);
    if (inner) return inner;
  }
  return undefined;
}

function cli(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension);
  return new Promise((resolve) => {
    execFile(process.execPath, [join(extension.extensionPath, 'dist', 'cli.js'), ...args], { cwd, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe('pgdrift in VS Code: include and exclude changes', function () {
  this.timeout(120_000);
  const server = new URL(postgresUrl());
  const base = { host: server.hostname, port: Number(server.port), user: 'postgres', environment: 'development' };
  const workspace = () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    return folder.uri.fsPath;
  };

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await admin('postgres', async (client) => {
      for (const db of [FROM, TO]) {
        await client.query(`DROP DATABASE IF EXISTS ${db}`);
        await client.query(`CREATE DATABASE ${db}`);
      }
    });
    await admin(FROM, (client) => client.query(`
      CREATE TABLE "TimeEntry" (id integer PRIMARY KEY, minutes integer NOT NULL);
      INSERT INTO "TimeEntry" VALUES (1, 30), (2, 45);
    `));
    await admin(TO, (client) => client.query(`
      CREATE TABLE "Role" (id integer PRIMARY KEY, name text NOT NULL);
      CREATE TABLE "TimeEntry" (id integer PRIMARY KEY, minutes integer NOT NULL, "roleId" integer REFERENCES "Role"(id), note text);
    `));
    await setProfiles([{ name: FROM, ...base, database: FROM }, { name: TO, ...base, database: TO }]);
    await until(() => (profiles().length === 2 ? true : undefined), 'the two profiles in the settings');
    rmSync(join(workspace(), 'migrations'), { recursive: true, force: true });
    await closeEditors();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await keys({ press: 'Escape' }, { press: 'Escape' }).catch(() => undefined);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(async function () {
    await setProfiles(undefined);
    await closeEditors();
    rmSync(join(workspace(), 'migrations'), { recursive: true, force: true });
    await admin('postgres', async (client) => {
      for (const db of [FROM, TO]) await client.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    });
  });

  it('every change has a checked box after a comparison', async function () {
    const outcome = await within(vscode.commands.executeCommand<{ status: string }>('pgdrift.compare', FROM, TO), 'Compare');
    assert.equal(outcome.status, 'compared', JSON.stringify(outcome));
    await closeEditors();
    const tree = await snapshot();
    const role = find(tree, 'public."Role"');
    const fk = find(tree, 'constraint "TimeEntry_roleId_fkey"');
    assert.ok(role && fk, JSON.stringify(tree, null, 1));
    assert.equal(role.checked, true);
    assert.equal(fk.checked, true);
    assert.equal(find(tree, 'public."TimeEntry"')?.checked, true);
    assert.equal(tree[0]?.checked, undefined, 'the summary has no box');
    assert.equal(tree[0]?.description, undefined);
  });

  it('leaving out Role warns that the foreign key needs it; Cancel keeps everything', async function () {
    await vscode.commands.executeCommand('workbench.view.extension.pgdrift');
    await vscode.commands.executeCommand('pgdrift.differences.focus');
    const running = select([ROLE, ROLE_PKEY], false);
    await new Promise((r) => setTimeout(r, 1500));
    await screenshot('selection-warning', { settleMs: 500 });
    await keys({ press: 'Escape' });
    const outcome = await within(running, 'the warning');
    assert.equal(outcome.status, 'cancelled');
    assert.deepEqual(outcome.excluded, []);
    assert.equal(find(await snapshot(), 'public."Role"')?.checked, true);
  });

  it('accepting the warning leaves out Role and the foreign key; the summary counts what is selected', async function () {
    const running = select([ROLE, ROLE_PKEY], false);
    await new Promise((r) => setTimeout(r, 1500));
    // "Exclude All 3" is the dialog's primary (focused) button.
    await keys({ press: 'Enter' });
    const outcome = await within(running, 'the warning');
    assert.equal(outcome.status, 'excluded', JSON.stringify(outcome));
    assert.deepEqual(outcome.also, [FK]);
    assert.deepEqual(outcome.excluded, [FK, ROLE_PKEY, ROLE].sort());
    assert.ok(!outcome.excluded.includes(ROLE_ID), 'the column the key is on stays');
    const tree = await snapshot();
    assert.equal(find(tree, 'public."Role"')?.checked, false);
    assert.equal(find(tree, 'constraint "TimeEntry_roleId_fkey"')?.checked, false);
    assert.equal(find(tree, 'column "roleId"')?.checked, true);
    assert.equal(find(tree, 'public."TimeEntry"')?.checked, true, 'the altered table keeps its box while a member is kept');
    assert.equal(tree[0]?.description, '2 of 5 changes selected');
    assert.deepEqual([tree[1]?.label, tree[1]?.description], ['2 of 5 changes selected', '3 left out of the migration']);

    await vscode.commands.executeCommand('workbench.view.extension.pgdrift');
    await vscode.commands.executeCommand('pgdrift.differences.focus');
    await screenshot('selection-tree', { settleMs: 1500 });
  });

  it('Generate Migration writes what pgdrift plan --exclude prints, without Role or the key', async function () {
    const uri = await within(vscode.commands.executeCommand<vscode.Uri | undefined>('pgdrift.generateMigration'), 'Generate Migration');
    assert.ok(uri, 'a file was written');
    const text = readFileSync(uri.fsPath, 'utf8');
    const out = await cli(workspace(), 'plan', '--from', `profile:${FROM}`, '--to', `profile:${TO}`, '--exclude', 'public.Role');
    assert.equal(out.code, 2, out.stderr);
    assert.equal(text, out.stdout, 'the generated file is what pgdrift plan --exclude prints');
    assert.match(out.stderr, /^excluded too: constraint public\."TimeEntry"\."TimeEntry_roleId_fkey" needs table public\."Role"$/m, out.stderr);

    const statements = text.split('\n').filter((l) => !l.startsWith('--')).join('\n');
    assert.doesNotMatch(statements, /Role"|roleId_fkey/, statements);
    assert.match(statements, /ADD COLUMN "roleId" integer/);
    assert.match(statements, /ADD COLUMN "note" text/);
    assert.match(text, /^-- left out of this plan \(3 changes\):$/m, text);
    assert.match(text, /^-- {3}create constraint public\."TimeEntry"\."TimeEntry_roleId_fkey" \(needs table public\."Role"; needs constraint public\."Role"\."Role_pkey"\)$/m, text);
    assert.match(text, /^-- {3}create table public\."Role"$/m, text);
    await closeEditors();
  });

  it('including the key again brings Role back; a new comparison starts with everything included', async function () {
    const back = await select([FK], true);
    assert.equal(back.status, 'included');
    assert.deepEqual(back.also, [ROLE_PKEY, ROLE].sort());
    assert.deepEqual(back.excluded, []);
    const included = await snapshot();
    assert.equal(included[0]?.description, undefined);
    assert.equal(included[1]?.label, 'tables (2)', 'no selection item once everything is included');

    // Leaving out a change nothing needs asks nothing.
    const note = await select([NOTE], false);
    assert.equal(note.status, 'excluded');
    assert.deepEqual(note.excluded, [NOTE]);
    const again = await within(vscode.commands.executeCommand<{ status: string }>('pgdrift.compare', FROM, TO), 'Compare');
    assert.equal(again.status, 'compared');
    await closeEditors();
    const tree = await snapshot();
    assert.equal(find(tree, 'column note')?.checked, true);
    assert.equal(find(tree, 'column "roleId"')?.checked, true);
    assert.equal(tree[0]?.description, undefined);
  });
});
