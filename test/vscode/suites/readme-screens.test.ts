/**
 * The README's pictures (docs/screenshots/, written by readmeScreenshot), taken from one scenario a
 * new user would follow on the ERP pair (test/fixtures/erp): "production" (marked production, with
 * its rows) compared with "local"; the Schema Differences tree beside the side-by-side DDL of a
 * changed table; the generated migration with a measured data-loss hover; the quick fixes on a
 * hand-written drop; a rehearsal in the "pgdrift Run" output; the Phases panel after running the
 * plan phase by phase on "staging", a copy of production. Each test checks what its picture shows.
 * test/unit/readme-screens.test.ts keeps the README's image links and these names in step.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import fromSql from '../../fixtures/erp/from.sql';
import toSql from '../../fixtures/erp/to.sql';
import { erpPlan } from '../erpPlan';
import { EXTENSION_ID, keys, readmeScreenshot, until } from '../harness';
import { clickAndWait, pageShows, snapshot, useTheme } from '../phasesPanel';
import {
  addProfile, admin, closeEditors, compare, differencesSnapshot, findNode, recreateDatabases, registerCleanUp, removeMigrations,
  serverProfile, useProfiles, widenSideBar, within, workspaceFolder,
} from '../workspace';

const FROM = 'production';
const TO = 'local';
/** A copy of production (loaded from the same file) that the plan is rehearsed and run on. */
const COPY = 'staging';
const DATABASES = { [FROM]: 'erp_production', [TO]: 'erp_local', [COPY]: 'erp_staging' } as const;
const OVERTIME_MODE = 'public.OvertimeSettings.overtimeMode';
const DROP_OVERTIME_MODE = 'ALTER TABLE "public"."OvertimeSettings" DROP COLUMN "overtimeMode";';

const dir = () => join(workspaceFolder(), 'readme-screens');
const pgdriftDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'pgdrift');
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);

/** The DL-02 on the drop of overtimeMode in `document`, once measured on production. */
function measuredLoss(document: vscode.TextDocument): Promise<vscode.Diagnostic> {
  const line = document.positionAt(document.getText().indexOf(DROP_OVERTIME_MODE)).line;
  return until(() => pgdriftDiagnostics(document.uri).find((d) => codeOf(d) === 'DL-02' && d.range.start.line === line && d.message.includes(`measured on ${FROM}`)),
    'the measured DL-02 on the drop of overtimeMode', 60_000);
}

/**
 * Waits until pgdrift's diagnostics of `uri` hold still (the measurements on production arrive one
 * by one, and the code lenses they move would close a hover shown in between).
 */
async function settled(uri: vscode.Uri): Promise<void> {
  let last = '';
  let still = 0;
  await until(() => {
    const now = JSON.stringify(pgdriftDiagnostics(uri).map((d) => [d.range.start.line, d.message]));
    still = now === last && !now.includes('measuring on') ? still + 1 : 0;
    last = now;
    return still >= 15 ? true : undefined;
  }, 'the diagnostics to hold still', 60_000);
}

/** The quick fixes VS Code offers for `diagnostic`. */
async function quickFixes(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<string[]> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
  return actions.map((a) => a.title);
}

/** Opens `uri` with the cursor on `diagnostic`'s line, a few lines below the top, and no panel below the editor. */
async function showAt(uri: vscode.Uri, diagnostic: vscode.Diagnostic, linesAbove: number): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preserveFocus: false });
  const line = diagnostic.range.start.line;
  editor.revealRange(new vscode.Range(Math.max(0, line - linesAbove), 0, line, 0), vscode.TextEditorRevealType.AtTop);
  editor.selection = new vscode.Selection(line, 30, line, 30);
  await vscode.commands.executeCommand('workbench.action.closePanel');
  // Closing the panel leaves the focus nowhere, and a hover closes as soon as its editor loses the focus.
  await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
  return vscode.window.showTextDocument(editor.document, { preserveFocus: false });
}

describe('README screens', function () {
  this.timeout(600_000);
  /** The migration Generate Migration wrote. */
  let generated: vscode.Uri | undefined;
  let theme: string | undefined;

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await recreateDatabases(Object.values(DATABASES), { force: true });
    await admin(DATABASES[FROM], (client) => client.query(fromSql));
    await admin(DATABASES[COPY], (client) => client.query(fromSql));
    await admin(DATABASES[TO], (client) => client.query(toSql));
    await useProfiles([serverProfile(FROM, DATABASES[FROM], 'production'), serverProfile(TO, DATABASES[TO])]);
    rmSync(dir(), { recursive: true, force: true });
    mkdirSync(dir(), { recursive: true });
    rmSync(join(workspaceFolder(), '.pgdrift'), { recursive: true, force: true });
    removeMigrations();
    theme = vscode.workspace.getConfiguration('workbench').inspect<string>('colorTheme')?.globalValue;
    await useTheme('Default Light Modern');
    await closeEditors();
  });

  registerCleanUp(Object.values(DATABASES), { migrations: true });

  after(async function () {
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
    rmSync(dir(), { recursive: true, force: true });
    rmSync(join(workspaceFolder(), '.pgdrift'), { recursive: true, force: true });
  });

  it('databases-and-differences: the two profiles, the compared tree with measured hazards, and a changed table side by side', async function () {
    const outcome = await compare(FROM, TO, 120_000);
    assert.equal(outcome?.status, 'compared', JSON.stringify(outcome));
    await closeEditors();
    const roots = await differencesSnapshot();
    assert.match(roots[0]?.label ?? '', new RegExp(`^${FROM} ← ${TO}: .*, \\d+ data-loss warnings`), roots[0]?.label);
    const tables = roots.find((n) => /^tables \(\d+\)$/.test(n.label));
    assert.ok(tables, JSON.stringify(roots.map((n) => n.label)));
    // The first table shown, expanded: its dropped columns, each measured empty on production.
    const attachment = findNode(tables.children, 'public."FileAttachment"');
    assert.equal(attachment?.description, 'members change');
    for (const column of ['cdnurl', 's3bucket', 's3key']) {
      const node = findNode(attachment.children, `column ${column}`);
      assert.match(node?.description ?? '', /all NULL: nothing lost/, column);
      assert.ok(node?.children.some((h) => h.label.startsWith('DL-02 ')), `${column}: its DL-02`);
    }
    const overtime = findNode(tables.children, 'public."OvertimeSettings"');
    assert.match(findNode(overtime?.children ?? [], 'column "overtimeMode"')?.description ?? '', /2 non-null values would be lost/);

    assert.equal(await vscode.commands.executeCommand<boolean>('pgdrift.showObjectDiff', 'table:"public"."OvertimeSettings"'), true);
    const tab = await until(() => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      return active?.input instanceof vscode.TabInputTextDiff ? active : undefined;
    }, 'the side-by-side DDL');
    assert.equal(tab.label, `OvertimeSettings (${FROM} ↔ ${TO})`);
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.view.extension.pgdrift');
    await vscode.commands.executeCommand('pgdrift.differences.focus');
    await widenSideBar();
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await readmeScreenshot('databases-and-differences', { settleMs: 2000 });
  });

  it('migration-hazards: the generated migration, its drop of overtimeMode hovered: measured on production, samples, how to accept', async function () {
    await closeEditors();
    generated = await within(vscode.commands.executeCommand<vscode.Uri | undefined>('pgdrift.generateMigration'), 'Generate Migration', 120_000);
    assert.ok(generated, 'a file was written');
    const document = await vscode.workspace.openTextDocument(generated);
    assert.match(document.getText(), new RegExp(`^-- pgdrift:target ${FROM}$`, 'm'));
    const loss = await measuredLoss(document);
    assert.equal(loss.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(loss.message, `Dropping "public"."OvertimeSettings"."overtimeMode" deletes 2 non-null values (e.g. 'daily', 'weekly') — measured on ${FROM}.`);
    const editor = await showAt(generated, loss, 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, editor.selection.active);
    const hover = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(hover, /Measured on \**production\**/, hover);
    assert.match(hover, /Samples:[\s\S]*'daily'[\s\S]*'weekly'/, hover);
    assert.ok(hover.includes(`pgdrift:accept DL-02 ${OVERTIME_MODE}`), hover);
    await settled(document.uri);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await vscode.commands.executeCommand('editor.action.showHover');
    await readmeScreenshot('migration-hazards', { settleMs: 1500 });
  });

  it('code-actions: a hand-written drop measured on production, its quick fixes: back up first, or accept', async function () {
    await closeEditors();
    const uri = vscode.Uri.file(join(dir(), 'drop-overtime-mode.sql'));
    writeFileSync(uri.fsPath, `-- pgdrift:target ${FROM}\n-- The overtime rules moved to "OvertimePolicy"; the old column goes.\n${DROP_OVERTIME_MODE}\n`);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const loss = await measuredLoss(document);
    const titles = await until(async () => {
      const offered = await quickFixes(uri, loss);
      return offered.some((t) => t.startsWith('Back up')) ? offered : undefined;
    }, 'the backup quick fix', 60_000);
    assert.ok(titles.includes(`Back up ${OVERTIME_MODE} first (into pgdrift_backup)`), titles.join('\n'));
    assert.ok(titles.includes(`Accept DL-02 for ${OVERTIME_MODE}`), titles.join('\n'));
    // The lens above the drop sums the measurement up, with the same two fixes as buttons.
    await settled(uri);
    const lenses = await until(async () => {
      const titles = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)).map((l) => l.command?.title ?? '');
      return titles[0] === '⚠ DL-02: 2 values lost' ? titles : undefined;
    }, 'the lens with the measured loss');
    assert.deepEqual(lenses, ['⚠ DL-02: 2 values lost', 'back up first', 'accept']);
    await showAt(uri, loss, 2);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await vscode.commands.executeCommand('editor.action.quickFix');
    await readmeScreenshot('code-actions', { settleMs: 1500 });
    await keys({ press: 'Escape' });
  });

  it('run-output: the plan rehearsed on staging, a copy of production: every phase rehearsed and rolled back in the "pgdrift Run" output', async function () {
    await closeEditors();
    await addProfile(serverProfile(COPY, DATABASES[COPY], 'staging'));
    const plan = vscode.Uri.file(await erpPlan(COPY, TO, dir()));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(plan));
    const outcome = await within(vscode.commands.executeCommand<{ status: string; output?: string[]; result?: { outcome: string; phases: { name: string; outcome: string }[] } }>(
      'pgdrift.runMigrationFile', plan, { mode: 'rehearse', profile: COPY, to: 'none' }), 'the rehearsal', 180_000);
    assert.equal(outcome?.result?.outcome, 'succeeded', JSON.stringify(outcome));
    const phases = outcome.result.phases;
    assert.ok(phases.length >= 3, JSON.stringify(phases));
    assert.deepEqual(phases.map((p) => p.outcome), phases.map(() => 'rehearsed'));
    const text = (outcome.output ?? []).join('\n');
    assert.match(text, new RegExp(`rehearsal succeeded: phases .* \\(everything rolled back\\)`), text);
    const columns = await admin(DATABASES[COPY], async (c) => (await c.query<{ n: string }>(
      "SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'OvertimeSettings' AND column_name = 'overtimeMode'")).rows[0]?.n);
    assert.equal(columns, '1', 'nothing of the rehearsal stays');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.toggleMaximizedPanel');
    await readmeScreenshot('run-output', { settleMs: 1500 });
    await vscode.commands.executeCommand('workbench.action.toggleMaximizedPanel');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  it('phases-panel: the plan run phase by phase on staging, every phase committed, 0 differences remain (light and dark)', async function () {
    await closeEditors();
    const plan = vscode.Uri.file(join(dir(), 'erp.sql'));
    const opened = await within(vscode.commands.executeCommand<{ phases: { name: string }[] }>('pgdrift.openPhasesPanel', plan, { profile: COPY, to: TO, interactive: false }), 'opening the panel');
    const names = opened.phases.map((p) => p.name);
    assert.ok(names.length >= 3, names.join(', '));
    await pageShows(new RegExp(`Run all[\\s\\S]*${names[0]}`), 'the page listing the phases');
    for (const name of names) {
      const state = await clickAndWait('run-phase', name);
      assert.equal(state.outcome, 'succeeded', `${name}: ${JSON.stringify(state.failure ?? state.message)}`);
      assert.equal(state.phases.find((p) => p.name === name)?.status, 'committed', name);
    }
    const text = await pageShows(/0 differences remain/, '"0 differences remain" on the page');
    assert.match(text, /Run succeeded/);
    assert.doesNotMatch(text, /rows lost|✗/);
    assert.deepEqual((await snapshot()).problems, [], 'the page reported no refused resource or script error');
    // The page gets the whole width: its checks column wraps less.
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await readmeScreenshot('phases-panel', { settleMs: 2000 });
    await useTheme('Default Dark Modern');
    await readmeScreenshot('phases-panel-dark', { settleMs: 2000 });
    await vscode.commands.executeCommand('workbench.view.extension.pgdrift');
  });
});
