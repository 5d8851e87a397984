/**
 * Code actions in SQL files in the real VS Code, on two databases of the suites' server (one
 * profile each): ca_production lacks "Role" and "UserRole" (whose foreign key needs "Role") and
 * still has "OvertimeSettings"."overtimeMode". After Compare, an empty SQL file offers the pending
 * changes; inserting "Role" writes exactly its statements as `pgdrift plan` prints them, the table
 * named at the cursor comes first, and "Insert all" writes the plan.
 */
import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, enter, keys, screenshot, until } from '../harness';
import { admin, closeEditors, compare, dropDatabases, recreateDatabases, registerCleanUp, serverProfile, useProfiles, workspaceFolder } from '../workspace';

const FROM = 'ca_production';
const TO = 'ca_local';
const MISSING = 'ca_missing';
const PREFIX = 'Insert pending change';

/** The statements of a plan script, each as printed (a CREATE TABLE spans lines), comments left out. */
function scriptStatements(script: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  for (const line of script.split('\n')) {
    if (current.length === 0 && (line.startsWith('--') || line.trim() === '')) continue;
    current.push(line);
    if (line.trimEnd().endsWith(';')) {
      out.push(current.join('\n'));
      current = [];
    }
  }
  return out;
}

async function actionsAt(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CodeAction[]> {
  const all = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', document.uri, new vscode.Range(position, position));
  return all.filter((a): a is vscode.CodeAction => 'kind' in a && a.kind?.value === 'refactor.insert');
}

async function run(action: vscode.CodeAction | undefined): Promise<unknown> {
  assert.ok(action?.command, 'the action runs a command');
  return vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/**
 * A SQL file in the workspace (saved before the editors close, so no save question waits: an
 * untitled file would be dirty), removed after the suite.
 */
const files: string[] = [];
async function sqlEditor(content: string): Promise<vscode.TextEditor> {
  const path = join(workspaceFolder(), `code-actions-${files.length + 1}.sql`);
  writeFileSync(path, content);
  files.push(path);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
  assert.equal(document.languageId, 'sql');
  return vscode.window.showTextDocument(document);
}

describe('pgdrift in VS Code: code actions inserting pending changes', function () {
  this.timeout(120_000);
  let script = '';

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await dropDatabases([MISSING]);
    await recreateDatabases([FROM, TO]);
    await admin(FROM, (client) => client.query(`
      CREATE TABLE "OvertimeSettings" (id integer PRIMARY KEY, "overtimeMode" text, "dailyLimit" integer);
      INSERT INTO "OvertimeSettings" VALUES (1, 'daily', 8), (2, 'weekly', 40);
    `));
    await admin(TO, (client) => client.query(`
      CREATE TABLE "OvertimeSettings" (id integer PRIMARY KEY, "dailyLimit" integer, "weeklyLimit" integer);
      CREATE TABLE "Role" (id integer PRIMARY KEY, name text NOT NULL UNIQUE);
      CREATE TABLE "UserRole" (id integer PRIMARY KEY, role integer REFERENCES "Role"(id));
    `));
    await useProfiles([serverProfile(FROM), serverProfile(TO), serverProfile(MISSING)]);
    await closeEditors();
  });

  registerCleanUp([FROM, TO]);

  afterEach(async function () {
    await vscode.workspace.saveAll(false);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async function () {
    for (const file of files) rmSync(file, { force: true });
  });

  it('offers only Compare Databases… while there is no comparison', async function () {
    // A failed comparison clears whatever an earlier suite compared.
    const failed = await compare(FROM, MISSING);
    assert.equal(failed?.status, 'failed');
    const editor = await sqlEditor('');
    const actions = await actionsAt(editor.document, new vscode.Position(0, 0));
    assert.deepEqual(actions.map((a) => a.title), ['Compare Databases… (to insert pending changes here)']);
    assert.equal(actions[0]?.command?.command, 'pgdrift.compare');
  });

  it('in an empty SQL file, inserts exactly the statements of "Role" as the plan prints them', async function () {
    const outcome = await compare(FROM, TO);
    assert.equal(outcome?.status, 'compared', JSON.stringify(outcome));
    assert.ok(outcome?.status === 'compared');
    script = outcome.script;
    await closeEditors();

    const editor = await sqlEditor('');
    const titles = (await actionsAt(editor.document, new vscode.Position(0, 0))).map((a) => a.title);
    assert.deepEqual(titles, [
      `${PREFIX} ▸ alter table public."OvertimeSettings": 2 columns`,
      `${PREFIX} ▸ create table public."Role" with 2 constraints`,
      `${PREFIX} ▸ create table public."UserRole" with 2 constraints + 2 required`,
      `${PREFIX}…`,
      'Insert all pending changes',
    ]);
    const role = (await actionsAt(editor.document, new vscode.Position(0, 0))).find((a) => a.title.endsWith('public."Role" with 2 constraints'));
    await run(role);
    const expected = scriptStatements(script).filter((s) => /^(CREATE|ALTER) TABLE "public"\."Role"/.test(s));
    assert.equal(expected.length, 3, script);
    assert.match(expected[0] ?? '', /^CREATE TABLE "public"\."Role" \(\n/);
    assert.equal(editor.document.getText(), `${expected.join('\n\n')}\n`);

    // "Role" is in the file now: no longer offered, and "UserRole" needs nothing more.
    const end = editor.document.positionAt(editor.document.getText().length);
    const after = (await actionsAt(editor.document, end)).map((a) => a.title);
    assert.ok(!after.some((t) => t.includes('"Role"')), after.join('\n'));
    assert.ok(after.includes(`${PREFIX} ▸ create table public."UserRole" with 2 constraints`), after.join('\n'));
  });

  it('puts the changes of the table named at the cursor first, and inserts after the statement', async function () {
    const editor = await sqlEditor('SELECT id\n  FROM "UserRole";\nSELECT 1 FROM public."OvertimeSettings";\n');
    const titles = (await actionsAt(editor.document, new vscode.Position(1, 4))).map((a) => a.title);
    assert.deepEqual(titles.slice(0, 5), [
      `${PREFIX} ▸ create table public."UserRole" with 2 constraints + 2 required`,
      `${PREFIX} ▸ create constraint public."UserRole"."UserRole_pkey" + 1 required`,
      `${PREFIX} ▸ create constraint public."UserRole"."UserRole_role_fkey" + 3 required`,
      `${PREFIX} ▸ alter table public."OvertimeSettings": 2 columns`,
      `${PREFIX} ▸ create table public."Role" with 2 constraints`,
    ]);
    const overtime = (await actionsAt(editor.document, new vscode.Position(2, 3))).map((a) => a.title);
    assert.deepEqual(overtime.slice(0, 1), [`${PREFIX} ▸ alter table public."OvertimeSettings": 2 columns`]);

    // From inside the first statement: after it, a blank line around the inserted ones.
    const actions = await actionsAt(editor.document, new vscode.Position(1, 4));
    await run(actions[0]);
    const statements = scriptStatements(script);
    // "Role" and its primary key come along (the foreign key needs them), not its other constraint.
    const wanted = statements.filter((s) => /^(CREATE|ALTER) TABLE "public"\."(Role|UserRole)"/.test(s) && !s.includes('Role_name_key'));
    assert.equal(editor.document.getText(), `SELECT id\n  FROM "UserRole";\n\n${wanted.join('\n\n')}\n\nSELECT 1 FROM public."OvertimeSettings";\n`);
  });

  it('offers nothing where nothing can be inserted: the side-by-side DDL', async function () {
    await vscode.commands.executeCommand('pgdrift.showObjectDiff', 'table:"public"."OvertimeSettings"');
    const input = await until(() => {
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return tab instanceof vscode.TabInputTextDiff ? tab : undefined;
    }, 'the diff editor');
    const ddl = await vscode.workspace.openTextDocument(input.modified);
    assert.equal(ddl.uri.scheme, 'pgdrift-ddl');
    assert.match(ddl.getText(), /"OvertimeSettings"/);
    assert.deepEqual(await actionsAt(ddl, new vscode.Position(0, 5)), []);
  });

  it('shows the actions in the light bulb menu (Ctrl+.)', async function () {
    const editor = await sqlEditor('-- the roles of a user\nSELECT * FROM "UserRole";\n');
    editor.selection = new vscode.Selection(1, 16, 1, 16);
    await keys({ waitMs: 500 }, { press: 'Control+.' }, { waitMs: 1200 });
    await screenshot('code-actions-menu', { settleMs: 300 });
    await keys({ press: 'Escape' });
  });


  it('Insert all pending changes writes the plan as pgdrift plan prints it', async function () {
    const editor = await sqlEditor('');
    const all = (await actionsAt(editor.document, new vscode.Position(0, 0))).find((a) => a.title === 'Insert all pending changes');
    await run(all);
    const body = script.slice(script.indexOf('-- pgdrift plan:'));
    assert.ok(body.length > 0 && body.startsWith('-- pgdrift plan:'), script);
    assert.equal(editor.document.getText(), body);
    assert.deepEqual(scriptStatements(editor.document.getText()), scriptStatements(script));
  });

  it('Insert pending change… picks any change from a list, with the changes it needs', async function () {
    const editor = await sqlEditor('');
    const pick = (await actionsAt(editor.document, new vscode.Position(0, 0))).find((a) => a.title === `${PREFIX}…`);
    const running = run(pick);
    await keys({ waitMs: 800 });
    await screenshot('code-actions-quickpick', { settleMs: 300 });
    await keys(...enter('overtimeMode'));
    await running;
    const text = editor.document.getText();
    const drop = scriptStatements(script).find((s) => s.includes('DROP COLUMN "overtimeMode"'));
    assert.ok(drop);
    assert.ok(text.includes(drop), text);
    assert.match(text, /-- hazard DL-02 \(data-loss\)[^\n]*overtimeMode[^\n]*2 non-null values/, text);
    assert.doesNotMatch(text, /pgdrift:phase/);
  });
});
