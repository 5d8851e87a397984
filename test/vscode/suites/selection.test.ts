/**
 * Include/exclude checkboxes in Schema Differences, on two databases of the suites' server: the
 * to-side adds table "Role", a column "roleId" and a foreign key from the existing "TimeEntry" to
 * Role, and a column "note". Leaving Role out warns that the foreign key needs it; accepting leaves
 * both out, Cancel leaves everything as it was. Generate Migration then writes, byte for byte, what
 * the packaged CLI's `pgdrift plan --exclude public.Role` prints, without Role or the key.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { EXTENSION_ID, keys, screenshot } from '../harness';
import {
  admin, closeEditors, differencesSnapshot, findNode, packagedCli, recreateDatabases, registerCleanUp, removeMigrations, serverProfile, useProfiles,
  within, workspaceFolder,
} from '../workspace';

const FROM = 'sel_production';
const TO = 'sel_local';
const ROLE = 'table:"public"."Role"';
const ROLE_PKEY = 'constraint:"public"."Role"."Role_pkey"';
const FK = 'constraint:"public"."TimeEntry"."TimeEntry_roleId_fkey"';
const ROLE_ID = 'column:"public"."TimeEntry"."roleId"';
const NOTE = 'column:"public"."TimeEntry"."note"';

interface SelectOutcome { status: 'excluded' | 'included' | 'cancelled'; also: string[]; excluded: string[] }

const select = (ids: string[], included: boolean) => vscode.commands.executeCommand<SelectOutcome>('pgdrift.differences.select', ids, included);

describe('pgdrift in VS Code: include and exclude changes', function () {
  this.timeout(120_000);

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await recreateDatabases([FROM, TO]);
    await admin(FROM, (client) => client.query(`
      CREATE TABLE "TimeEntry" (id integer PRIMARY KEY, minutes integer NOT NULL);
      INSERT INTO "TimeEntry" VALUES (1, 30), (2, 45);
    `));
    await admin(TO, (client) => client.query(`
      CREATE TABLE "Role" (id integer PRIMARY KEY, name text NOT NULL);
      CREATE TABLE "TimeEntry" (id integer PRIMARY KEY, minutes integer NOT NULL, "roleId" integer REFERENCES "Role"(id), note text);
    `));
    await useProfiles([serverProfile(FROM), serverProfile(TO)]);
    removeMigrations();
    await closeEditors();
  });

  registerCleanUp([FROM, TO], { migrations: true });

  it('every change has a checked box after a comparison', async function () {
    const outcome = await within(vscode.commands.executeCommand<{ status: string }>('pgdrift.compare', FROM, TO), 'Compare');
    assert.equal(outcome.status, 'compared', JSON.stringify(outcome));
    await closeEditors();
    const tree = await differencesSnapshot();
    const role = findNode(tree, 'public."Role"');
    const fk = findNode(tree, 'constraint "TimeEntry_roleId_fkey"');
    assert.ok(role && fk, JSON.stringify(tree, null, 1));
    assert.equal(role.checked, true);
    assert.equal(fk.checked, true);
    assert.equal(findNode(tree, 'public."TimeEntry"')?.checked, true);
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
    assert.equal(findNode(await differencesSnapshot(), 'public."Role"')?.checked, true);
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
    const tree = await differencesSnapshot();
    assert.equal(findNode(tree, 'public."Role"')?.checked, false);
    assert.equal(findNode(tree, 'constraint "TimeEntry_roleId_fkey"')?.checked, false);
    assert.equal(findNode(tree, 'column "roleId"')?.checked, true);
    assert.equal(findNode(tree, 'public."TimeEntry"')?.checked, true, 'the altered table keeps its box while a member is kept');
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
    const out = await packagedCli(workspaceFolder(), 'plan', '--from', `profile:${FROM}`, '--to', `profile:${TO}`, '--exclude', 'public.Role');
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
    const included = await differencesSnapshot();
    assert.equal(included[0]?.description, undefined);
    assert.equal(included[1]?.label, 'tables (2)', 'no selection item once everything is included');

    // Leaving out a change nothing needs asks nothing.
    const note = await select([NOTE], false);
    assert.equal(note.status, 'excluded');
    assert.deepEqual(note.excluded, [NOTE]);
    const again = await within(vscode.commands.executeCommand<{ status: string }>('pgdrift.compare', FROM, TO), 'Compare');
    assert.equal(again.status, 'compared');
    await closeEditors();
    const tree = await differencesSnapshot();
    assert.equal(findNode(tree, 'column note')?.checked, true);
    assert.equal(findNode(tree, 'column "roleId"')?.checked, true);
    assert.equal(tree[0]?.description, undefined);
  });
});
