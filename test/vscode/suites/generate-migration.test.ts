/**
 * Generate Migration and side-by-side DDL in the real VS Code, on two databases of the suites'
 * server (one profile each): the migration file lands in migrations/ and equals, byte for byte,
 * what the packaged CLI's `pgdrift plan --from profile:… --to profile:…` prints in the workspace;
 * opening a changed table shows its CREATE TABLE in both databases in the diff editor.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, screenshot, until } from '../harness';
import {
  admin, closeEditors, compare, packagedCli, recreateDatabases, registerCleanUp, removeMigrations, serverProfile, useProfiles,
  workspaceFolder,
} from '../workspace';

const FROM = 'gm_production';
const TO = 'gm_local';

describe('pgdrift in VS Code: Generate Migration and side-by-side DDL', function () {
  this.timeout(120_000);

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await recreateDatabases([FROM, TO]);
    await admin(FROM, (client) => client.query(`
      CREATE TABLE "OvertimeSettings" (id integer PRIMARY KEY, "overtimeMode" text, "dailyLimit" integer);
      INSERT INTO "OvertimeSettings" VALUES (1, 'daily', 8), (2, 'weekly', 40), (3, NULL, NULL);
    `));
    await admin(TO, (client) => client.query(`
      CREATE TABLE "OvertimeSettings" (id integer PRIMARY KEY, "dailyLimit" integer NOT NULL DEFAULT 8, "weeklyLimit" integer);
      CREATE TABLE "Role" (id integer PRIMARY KEY, name text NOT NULL UNIQUE);
    `));
    await useProfiles([serverProfile(FROM), serverProfile(TO)]);
    removeMigrations();
    await closeEditors();
  });

  registerCleanUp([FROM, TO], { migrations: true });

  it('writes the plan to migrations/<timestamp>_<from>_to_<to>.sql, byte for byte what the CLI prints, with the target header, and never overwrites', async function () {
    const outcome = await compare(FROM, TO);
    assert.equal(outcome?.status, 'compared', JSON.stringify(outcome));
    await closeEditors();

    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('pgdrift.generateMigration');
    assert.ok(uri, 'a file was written');
    const dir = join(workspaceFolder(), 'migrations');
    const files = readdirSync(dir);
    assert.equal(files.length, 1, files.join(', '));
    const name = files[0] ?? '';
    // Names slugified: '_' separates the parts, so the profiles' own underscores become '-'.
    assert.match(name, /^\d{14}_gm-production_to_gm-local\.sql$/, name);
    const text = readFileSync(join(dir, name), 'utf8');
    assert.match(text, new RegExp(`^-- pgdrift:target ${FROM}$`, 'm'));
    assert.match(text, /-- hazard DL-02 \(data-loss\)[^\n]*overtimeMode[^\n]*2 non-null values/, text);
    assert.match(text, /-- pgdrift:phase expand/);

    const cli = await packagedCli(workspaceFolder(), 'plan', '--from', `profile:${FROM}`, '--to', `profile:${TO}`);
    assert.ok(cli.code === 2 || cli.code === 3, `exit ${cli.code}: ${cli.stderr}`);
    assert.equal(text, cli.stdout, 'the generated file is what pgdrift plan prints');

    const editor = await until(() => (vscode.window.activeTextEditor?.document.uri.fsPath === uri.fsPath ? vscode.window.activeTextEditor : undefined), 'the migration opened');
    assert.equal(editor.document.getText(), text);

    // A second migration is a new file (with a _2 suffix when the second is the same): nothing is overwritten.
    const again = await vscode.commands.executeCommand<vscode.Uri | undefined>('pgdrift.generateMigration');
    assert.ok(again && again.fsPath !== uri.fsPath);
    assert.equal(readdirSync(dir).length, 2);
    assert.equal(readFileSync(uri.fsPath, 'utf8'), text);
    assert.ok(existsSync(again.fsPath));
    await screenshot('generate-migration', { settleMs: 1000 });
  });

  it('opens the DDL of a changed table in both databases side by side', async function () {
    await closeEditors();
    const id = 'table:"public"."OvertimeSettings"';
    const opened = await vscode.commands.executeCommand<boolean>('pgdrift.showObjectDiff', id);
    assert.equal(opened, true);
    const tab = await until(() => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff ? { input, label: vscode.window.tabGroups.activeTabGroup.activeTab?.label } : undefined;
    }, 'the diff editor');
    assert.equal(tab.input.original.scheme, 'pgdrift-ddl');
    assert.equal(tab.input.modified.scheme, 'pgdrift-ddl');
    assert.equal(tab.label, `OvertimeSettings (${FROM} ↔ ${TO})`);
    const from = await vscode.workspace.openTextDocument(tab.input.original);
    const to = await vscode.workspace.openTextDocument(tab.input.modified);
    assert.equal(from.languageId, 'sql');
    assert.match(from.getText(), /CREATE TABLE "public"\."OvertimeSettings"[^;]*"overtimeMode" text/, from.getText());
    assert.doesNotMatch(from.getText(), /weeklyLimit/);
    assert.match(to.getText(), /CREATE TABLE "public"\."OvertimeSettings"[^;]*"weeklyLimit" integer/, to.getText());
    assert.doesNotMatch(to.getText(), /overtimeMode/);
    await screenshot('object-diff-overtime-settings', { settleMs: 1500 });

    // An object only the to-side has: the from document says so in one comment line.
    await vscode.commands.executeCommand('pgdrift.showObjectDiff', 'table:"public"."Role"');
    const created = await until(() => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff && input.original.path.includes('Role') ? input : undefined;
    }, 'the diff editor of Role');
    const missing = await vscode.workspace.openTextDocument(created.original);
    assert.equal(missing.getText(), `-- public."Role" does not exist in ${FROM}\n`);
    assert.match((await vscode.workspace.openTextDocument(created.modified)).getText(), /CREATE TABLE "public"\."Role"/);
  });
});
