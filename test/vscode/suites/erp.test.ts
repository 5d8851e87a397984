/**
 * Issue 7's acceptance on the ERP pair (test/fixtures/erp) in the real VS Code: two databases of
 * the suites' server loaded from from.sql ("production", with its rows) and to.sql ("local"), one
 * profile each. The tree shows the counts and hazard descriptions the packaged CLI prints for the
 * same two databases, OvertimeSettings opens side by side, and Generate Migration writes what
 * `pgdrift plan` prints, byte for byte.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import fromSql from '../../fixtures/erp/from.sql';
import toSql from '../../fixtures/erp/to.sql';
import { EXTENSION_ID, keys, screenshot, until } from '../harness';
import {
  admin, closeEditors, compare, differencesSnapshot, findNode, packagedCli, recreateDatabases, registerCleanUp, removeMigrations,
  serverProfile, useProfiles, within, workspaceFolder, type SnapshotNode,
} from '../workspace';

const FROM = 'production';
const TO = 'local';
const DATABASES = { [FROM]: 'erp_production', [TO]: 'erp_local' } as const;
/** The tables whose hazards issue 4 describes (test/acceptance/hazards/erp.test.ts measures them). */
const HAZARD_TABLES = ['OvertimeSettings', 'TimeTrackingSettings', 'TimeEntry', 'FileAttachment'];

/**
 * The CLI's hazard lines per table, as `CODE message` (the tree's hazard labels), from `pgdrift
 * diff`'s tree: a table line `  ~ public."T"`, hazard lines `! CODE severity: message[ (state)]`.
 */
function cliHazards(diff: string, table: string): string[] {
  const out: string[] = [];
  let inTable = false;
  for (const line of diff.split('\n')) {
    if (/^ {2}[+~\-±>] /.test(line)) inTable = line.trim().endsWith(`public."${table}"`);
    const hazard = /^\s+! ([A-Z]{2}-\d\d) [a-z-]+: (.*?)( \((blocking|accepted)\))?$/.exec(line);
    if (inTable && hazard) out.push(`${hazard[1]} ${hazard[2]}`);
  }
  return out;
}

/**
 * The default side bar cuts the hazard lines short; a reader widens it, and so do the pictures.
 * VS Code resizes the part that has DOM focus and falls back to the editor area, which is what it
 * resizes in the headless browser (whose page never has focus): narrowing the editor widens the bar.
 */
async function widenSideBar(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.focusSideBar');
  for (let i = 0; i < 3; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
}

const LEGACY = ['autoCalculateOvertime', 'dailyRegularHours', 'doubleTimeMultiplier', 'overtimeMode', 'overtimeMultiplier', 'payPeriodType', 'weekStartDay', 'weeklyRegularHours'];
const pgdriftDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'pgdrift');
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);

const countsOf = (line: string) => line.slice(line.indexOf(': ') + 2);

/** Opens the SQL file at `path` and returns it with the code actions that insert pending changes at its start. */
async function insertActions(path: string): Promise<{ document: vscode.TextDocument; actions: vscode.CodeAction[] }> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
  await vscode.window.showTextDocument(document);
  const actions = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', document.uri, new vscode.Range(0, 0, 0, 0)))
    .filter((a): a is vscode.CodeAction => 'kind' in a && a.kind?.value === 'refactor.insert');
  return { document, actions };
}

describe('pgdrift in VS Code: the ERP pair', function () {
  this.timeout(240_000);
  /** The migration Generate Migration wrote from the whole comparison. */
  let generated = '';

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await recreateDatabases(Object.values(DATABASES), { force: true });
    await admin(DATABASES[FROM], (client) => client.query(fromSql));
    await admin(DATABASES[TO], (client) => client.query(toSql));
    await useProfiles([
      serverProfile(FROM, DATABASES[FROM], 'production'),
      serverProfile(TO, DATABASES[TO], 'development'),
    ]);
    removeMigrations();
    await closeEditors();
  });

  registerCleanUp(Object.values(DATABASES), { migrations: true });

  it('the tree shows the CLI\'s counts and its hazard descriptions for OvertimeSettings, TimeTrackingSettings, TimeEntry and FileAttachment', async function () {
    const outcome = await compare(FROM, TO, 120_000);
    assert.equal(outcome?.status, 'compared', JSON.stringify(outcome));
    await closeEditors();

    const diff = await packagedCli(workspaceFolder(), 'diff', '--from', `profile:${FROM}`, '--to', `profile:${TO}`);
    assert.equal(diff.code, 2, `pgdrift diff exits 2 when there are differences: ${diff.stderr}`);
    const first = diff.stdout.split('\n')[0] ?? '';
    const roots = await differencesSnapshot();
    const summary = roots[0]?.label ?? '';
    assert.ok(summary.startsWith(`${FROM} ← ${TO}: ${countsOf(first)}`), `${summary}\nvs CLI: ${first}`);
    assert.match(summary, /, \d+ data-loss warnings/);

    const tables = roots.find((n) => /^tables \(\d+\)$/.test(n.label));
    assert.ok(tables, JSON.stringify(roots.map((n) => n.label)));
    for (const table of HAZARD_TABLES) {
      const node = findNode(tables.children, `public."${table}"`);
      assert.ok(node, `${table} in the tree`);
      const expected = cliHazards(diff.stdout, table);
      assert.ok(expected.length > 0, `the CLI reports hazards on ${table}`);
      const shown = new Set<string>();
      const walk = (n: SnapshotNode) => {
        if (/^[A-Z]{2}-\d\d /.test(n.label)) shown.add(n.label);
        n.children.forEach(walk);
      };
      walk(node);
      assert.deepEqual(expected.filter((h) => !shown.has(h)), [], `${table}: hazards the tree does not show`);
    }
    // The essences a reader sees without expanding: values lost, and nothing lost where all is NULL.
    const overtime = findNode(tables.children, 'public."OvertimeSettings"');
    assert.match(findNode(overtime?.children ?? [], 'column "overtimeMode"')?.description ?? '', /2 non-null values would be lost/);
    const attachment = findNode(tables.children, 'public."FileAttachment"');
    for (const column of ['cdnurl', 's3bucket', 's3key']) {
      const node = findNode(attachment?.children ?? [], `column ${column}`);
      assert.match(node?.description ?? '', /all NULL: nothing lost/, column);
      // Proved harmless by its probe: information, not a warning.
      assert.deepEqual(node?.children.map((h) => h.icon), ['info'], column);
    }
    assert.ok(findNode(overtime?.children ?? [], 'column "overtimeMode"')?.children.some((h) => h.label.startsWith('DL-02 ') && h.icon === 'warning'), 'blocking data loss is a warning');

    await vscode.commands.executeCommand('workbench.view.extension.pgdrift');
    await vscode.commands.executeCommand('pgdrift.differences.focus');
    await widenSideBar();
    await screenshot('erp-differences-tree', { settleMs: 1500 });
  });

  it('opens OvertimeSettings side by side: its CREATE TABLE in production and in local', async function () {
    await closeEditors();
    assert.equal(await vscode.commands.executeCommand<boolean>('pgdrift.showObjectDiff', 'table:"public"."OvertimeSettings"'), true);
    const tab = await until(() => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff ? { input, label: vscode.window.tabGroups.activeTabGroup.activeTab?.label } : undefined;
    }, 'the diff editor');
    assert.equal(tab.label, `OvertimeSettings (${FROM} ↔ ${TO})`);
    const from = (await vscode.workspace.openTextDocument(tab.input.original)).getText();
    const to = (await vscode.workspace.openTextDocument(tab.input.modified)).getText();
    assert.match(from, /CREATE TABLE "public"\."OvertimeSettings"[^;]*"overtimeMode" text/, from);
    assert.match(from, /"id" text/, from);
    assert.match(to, /CREATE TABLE "public"\."OvertimeSettings"[^;]*"id" uuid/, to);
    assert.doesNotMatch(to, /overtimeMode/);
    await screenshot('erp-object-diff-overtime-settings', { settleMs: 1500 });
  });

  it('Generate Migration writes what pgdrift plan prints for the same profiles, byte for byte', async function () {
    await closeEditors();
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('pgdrift.generateMigration');
    assert.ok(uri, 'a file was written');
    generated = uri.fsPath;
    const text = readFileSync(uri.fsPath, 'utf8');
    assert.match(text, new RegExp(`^-- pgdrift:target ${FROM}$`, 'm'));
    const plan = await packagedCli(workspaceFolder(), 'plan', '--from', `profile:${FROM}`, '--to', `profile:${TO}`);
    assert.equal(plan.code, 3, `unaccepted data loss: exit 3 (${plan.stderr})`);
    assert.equal(text, plan.stdout);
    assert.match(text, /DROP COLUMN "overtimeMode"/);
  });
  it('in an empty SQL file, the code action inserts the CREATE TABLE of "Role" as the plan writes it', async function () {
    await closeEditors();
    const path = join(workspaceFolder(), 'erp-role.sql');
    writeFileSync(path, '');
    try {
      const { document, actions } = await insertActions(path);
      // Among 70 changes, "Role" is not one of the first offered: the list of all of them has it.
      const pick = actions.find((a) => a.title === 'Insert pending change…');
      assert.ok(pick?.command, actions.map((a) => a.title).join('\n'));
      const running = vscode.commands.executeCommand(pick.command.command, ...(pick.command.arguments ?? []));
      await keys({ waitMs: 800 }, { type: 'table public."Role"' }, { waitMs: 400 });
      await screenshot('erp-code-action-pick-role', { settleMs: 300 });
      await keys({ press: 'Enter' });
      await within(Promise.resolve(running), 'Insert pending change…');
      const text = document.getText();
      assert.match(text, /^CREATE TABLE "public"\."Role" \(\n/, text);
      // Every statement inserted is one of the plan's, as Generate Migration wrote it.
      const plan = readFileSync(generated, 'utf8');
      const bare = text.split('\n').filter((l) => !l.startsWith('--')).join('\n');
      for (const statement of bare.split(/;\n/).map((s) => s.trim()).filter(Boolean)) {
        assert.ok(plan.includes(statement), `not in the plan: ${statement}`);
      }
      await vscode.workspace.saveAll(false);
    } finally {
      await closeEditors();
      rmSync(path, { force: true });
    }
  });

  it('in the generated file, each OvertimeSettings drop carries its measured loss, and the quick fix puts a removed backup back before the drop', async function () {
    await closeEditors();
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(generated));
    const editor = await vscode.window.showTextDocument(document);
    const lineOf = (text: string) => {
      const at = document.getText().indexOf(text);
      assert.ok(at >= 0, `${text} is in the file`);
      return document.positionAt(at).line;
    };
    const dropOf = (column: string) => `ALTER TABLE "public"."OvertimeSettings" DROP COLUMN "${column}";`;
    const lossAt = (column: string) => until(() => pgdriftDiagnostics(document.uri).find((d) =>
      codeOf(d) === 'DL-02' && d.range.start.line === lineOf(dropOf(column)) && d.message.includes('measured on')), `the measured DL-02 on the drop of ${column}`, 60_000);
    for (const column of LEGACY) {
      const d = await lossAt(column);
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning, column);
      assert.match(d.message, new RegExp(`^Dropping "public"\\."OvertimeSettings"\\."${column}" deletes 2 non-null values \\(e\\.g\\. .*\\) — measured on ${FROM}\\.$`), d.message);
    }
    assert.equal((await lossAt('overtimeMode')).message,
      `Dropping "public"."OvertimeSettings"."overtimeMode" deletes 2 non-null values (e.g. 'daily', 'weekly') — measured on ${FROM}.`);
    // The plan backs every column up already, so the only fix offered is accepting the loss.
    const offered = async () => (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri,
      (await lossAt('overtimeMode')).range, vscode.CodeActionKind.QuickFix.value)).map((a) => a.title);
    assert.deepEqual((await offered()).filter((t) => t.startsWith('Back up')), [], 'no second backup');

    // Without its backup (removed here by hand), the quick fix writes it again, right before the drop.
    const text = document.getText();
    const start = text.indexOf('CREATE TABLE IF NOT EXISTS pgdrift_backup."public.OvertimeSettings.overtimeMode@');
    const expect = text.indexOf('-- pgdrift:expect SELECT count(*) FROM pgdrift_backup."public.OvertimeSettings.overtimeMode@', start);
    assert.ok(start > 0 && expect > start, 'the plan backs overtimeMode up');
    const end = text.indexOf('\n', expect) + 1;
    const backup = text.slice(start, end);
    const removal = new vscode.WorkspaceEdit();
    removal.delete(document.uri, new vscode.Range(document.positionAt(start), document.positionAt(end)));
    assert.ok(await vscode.workspace.applyEdit(removal));
    await document.save();
    await until(async () => ((await offered()).some((t) => t.startsWith('Back up public.OvertimeSettings.overtimeMode first')) ? true : undefined),
      'the backup quick fix once the backup is gone', 60_000);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri,
      (await lossAt('overtimeMode')).range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.startsWith('Back up public.OvertimeSettings.overtimeMode first'));
    assert.ok(fix?.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    const fixed = document.getText();
    const flat = (t: string) => t.replace(/\s+/g, ' ').trim();
    const at = flat(fixed).indexOf(flat(backup));
    assert.ok(at >= 0, `the backup is back:\n${fixed}`);
    assert.ok(at > flat(fixed).indexOf(flat(dropOf('doubleTimeMultiplier'))) && at < flat(fixed).indexOf(flat(dropOf('overtimeMode'))), 'right before the drop of overtimeMode');
    await document.save();

    editor.revealRange(new vscode.Range(lineOf(dropOf('overtimeMode')) - 4, 0, lineOf(dropOf('overtimeMode')) + 4, 0), vscode.TextEditorRevealType.AtTop);
    editor.selection = new vscode.Selection(lineOf(dropOf('overtimeMode')), 45, lineOf(dropOf('overtimeMode')), 45);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.window.showTextDocument(document, { preserveFocus: false });
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('erp-diagnostics', { settleMs: 2000 });
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await closeEditors();
  });

  it('leaving out "Role" warns that the foreign keys need it, and the migration is then what pgdrift plan --exclude prints', async function () {
    await closeEditors();
    const role = 'table:"public"."Role"';
    const members = ['constraint:"public"."Role"."Role_pkey"', 'constraint:"public"."Role"."Role_name_key"', 'trigger:"public"."Role"."role_audit"', 'trigger:"public"."Role"."role_updated_at"'];
    await vscode.commands.executeCommand('workbench.view.extension.pgdrift');
    await vscode.commands.executeCommand('pgdrift.differences.focus');
    const running = vscode.commands.executeCommand<{ status: string; also: string[]; excluded: string[] }>('pgdrift.differences.select', [role, ...members], false);
    await new Promise((r) => setTimeout(r, 1500));
    await screenshot('erp-selection-warning', { settleMs: 500 });
    // "Exclude All N" is the modal's primary (focused) button.
    await keys({ press: 'Enter' });
    const outcome = await within(running, 'the warning');
    assert.equal(outcome?.status, 'excluded', JSON.stringify(outcome));
    assert.ok(outcome.also.includes('constraint:"public"."RoleAssignment"."RoleAssignment_roleId_fkey"'), JSON.stringify(outcome.also));
    assert.ok(!outcome.excluded.includes('table:"public"."RoleAssignment"'), 'the table holding the key stays');

    const uri = await within(vscode.commands.executeCommand<vscode.Uri | undefined>('pgdrift.generateMigration'), 'Generate Migration', 120_000);
    assert.ok(uri, 'a file was written');
    const text = readFileSync(uri.fsPath, 'utf8');
    const plan = await packagedCli(workspaceFolder(), 'plan', '--from', `profile:${FROM}`, '--to', `profile:${TO}`, '--exclude', 'public.Role');
    assert.equal(plan.code, 3, plan.stderr);
    assert.equal(text, plan.stdout, 'the file is what pgdrift plan --exclude public.Role prints');
    assert.match(plan.stderr, /^excluded too: constraint public\."RoleAssignment"\."RoleAssignment_roleId_fkey" needs table public\."Role"$/m, plan.stderr);
    // Consistent: no statement creates "Role" or points at it, and the rest of the plan is there.
    const statements = text.split('\n').filter((l) => !l.startsWith('--')).join('\n');
    assert.doesNotMatch(statements, /CREATE TABLE "public"\."Role" |REFERENCES "public"\."Role"/, statements);
    assert.match(statements, /CREATE TABLE "public"\."RoleAssignment" /);
    assert.match(text, /^-- left out of this plan \(\d+ changes\):$/m);
    await vscode.commands.executeCommand('pgdrift.differences.focus');
    await widenSideBar();
    await screenshot('erp-selection-tree', { settleMs: 1500 });
    await closeEditors();

    // The code actions follow the boxes: Role is not offered, and "all" inserts the plan written above.
    const path = join(workspaceFolder(), 'erp-selected.sql');
    writeFileSync(path, '');
    try {
      const { document, actions } = await insertActions(path);
      assert.ok(!actions.some((a) => /public\."Role"( |$)/.test(a.title)), actions.map((a) => a.title).join('\n'));
      const all = actions.find((a) => a.title === `Insert all selected changes (${outcome.excluded.length} unchecked left out)`);
      assert.ok(all?.command, actions.map((a) => a.title).join('\n'));
      await within(Promise.resolve(vscode.commands.executeCommand(all.command.command, ...(all.command.arguments ?? []))), 'Insert all selected changes', 120_000);
      const inserted = document.getText().trim();
      assert.match(inserted, /^-- pgdrift:phase /m);
      assert.ok(text.includes(inserted), 'the statements inserted are the migration written without Role');
      assert.doesNotMatch(inserted, /CREATE TABLE "public"\."Role" /);
      await vscode.workspace.saveAll(false);
    } finally {
      await closeEditors();
      rmSync(path, { force: true });
    }
  });
});
