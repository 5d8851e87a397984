/**
 * Inline hazards of migration files, in the real VS Code, on a database of the suites' server:
 * "OvertimeSettings"."overtimeMode" holds 2 non-null values ('daily', 'weekly') in 2 rows. A
 * migration naming the profile with `-- pgdrift:target` gets a Warning on its DROP COLUMN with
 * the measured counts, a hover with the samples and a CodeLens; the backup quick fix inserts the
 * plan's backup (which, run on the database, saves the 2 values); the accept quick fix inserts
 * the directive and the hazard becomes accepted; an edit during a check throws its result away
 * (the unsaved text shows unmeasured hazards); a folder mapped in pgdrift.migrationTargets is
 * measured too; a file in migrations/ without a target gets the static hazard.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, screenshot, until } from '../harness';
import { addProfile, admin, closeEditors, recreateDatabases, serverProfile, setProfiles, within, workspaceFolder, type StoredProfile } from '../workspace';

const DB = 'dg_production';
const DROP = 'ALTER TABLE "OvertimeSettings" DROP COLUMN "overtimeMode";';
const COLUMN = 'public.OvertimeSettings.overtimeMode';

type CheckOutcome = { status: string; profile?: string; hazards?: number; mode?: string };

const settings = () => vscode.workspace.getConfiguration('pgdrift');
const check = (uri: vscode.Uri) => within(Promise.resolve(vscode.commands.executeCommand<CheckOutcome>('pgdrift.checkMigrationFile', uri)), 'Check Migration File');
const pgdriftDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'pgdrift');
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);

/** The pgdrift diagnostic with this code once `ready` says it is the expected one. */
function diagnostic(uri: vscode.Uri, code: string, ready: (d: vscode.Diagnostic) => boolean, what: string, timeoutMs = 30_000): Promise<vscode.Diagnostic> {
  return until(() => pgdriftDiagnostics(uri).find((d) => codeOf(d) === code && ready(d)), what, timeoutMs);
}

async function quickFix(uri: vscode.Uri, range: vscode.Range, title: string): Promise<vscode.CodeAction> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
  const found = actions.find((a) => a.title.startsWith(title));
  assert.ok(found, `no quick fix "${title}…" among ${actions.map((a) => a.title).join(' | ')}`);
  return found;
}

/** What the editor does when the user picks the quick fix: its edit, then its command. */
async function apply(action: vscode.CodeAction): Promise<unknown> {
  assert.ok(action.edit, `${action.title} has an edit`);
  assert.ok(await vscode.workspace.applyEdit(action.edit));
  return action.command ? vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? [])) : undefined;
}

function lineOf(document: vscode.TextDocument, text: string): number {
  const at = document.getText().indexOf(text);
  assert.ok(at >= 0, `${text} is in the file`);
  return document.positionAt(at).line;
}

describe('pgdrift in VS Code: hazards of migration files', function () {
  this.timeout(120_000);
  let previous: StoredProfile[];
  let document: vscode.TextDocument;

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await recreateDatabases([DB]);
    await admin(DB, (client) => client.query(`
      CREATE TABLE "OvertimeSettings" (id integer PRIMARY KEY, "overtimeMode" text, "dailyLimit" integer);
      INSERT INTO "OvertimeSettings" VALUES (1, 'daily', 8), (2, 'weekly', 40);
    `));
    previous = await addProfile(serverProfile(DB, DB, 'production'));
    for (const dir of ['dg', 'dg-mapped', 'migrations']) mkdirSync(join(workspaceFolder(), dir), { recursive: true });
  });

  after(async function () {
    await closeEditors();
    for (const path of ['dg', 'dg-mapped', 'migrations/dg_static.sql']) rmSync(join(workspaceFolder(), path), { recursive: true, force: true });
    await settings().update('migrationTargets', undefined, vscode.ConfigurationTarget.Workspace);
    await setProfiles(previous);
  });

  it('shows the DROP COLUMN as a Warning with the values measured on the target, a hover with the samples and a CodeLens (screenshot)', async function () {
    const file = join(workspaceFolder(), 'dg', '001_drop_overtime_mode.sql');
    writeFileSync(file, `-- pgdrift:target ${DB}\n\n${DROP}\n`);
    document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
    const d = await diagnostic(document.uri, 'DL-02', (x) => x.message.includes('non-null values'), 'the measured DL-02 diagnostic');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(d.message, `Dropping "public"."OvertimeSettings"."overtimeMode" deletes 2 non-null values (e.g. 'daily', 'weekly') — measured on ${DB}.`);
    assert.ok(d.range.isEqual(new vscode.Range(2, 0, 2, DROP.length - 1)), `the statement's range, without its semicolon: ${JSON.stringify(d.range)}`);

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(2, 5));
    const hover = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
    assert.match(hover, /\*\*DL-02\*\* · data-loss · blocking/);
    assert.match(hover, /- 2 rows in the table/);
    assert.match(hover, /- 2 non-null values lost/);
    assert.ok(hover.includes("Samples: ` 'daily' `, ` 'weekly' `"), hover);
    assert.ok(hover.includes(`-- pgdrift:accept DL-02 ${COLUMN}`), hover);

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    const titles = lenses.filter((l) => l.range.start.line === 2).map((l) => l.command?.title);
    assert.deepEqual(titles, ['⚠ DL-02: 2 values lost', 'back up first', 'accept']);

    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.window.showTextDocument(document, { preserveFocus: false });
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    editor.selection = new vscode.Selection(2, 22, 2, 22);
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('diagnostics-migration', { settleMs: 2000 });
  });

  it('the backup quick fix inserts the plan\'s backup before the drop, and that backup saves the 2 values', async function () {
    const d = await diagnostic(document.uri, 'DL-02', (x) => x.message.includes('non-null values'), 'the measured DL-02 diagnostic');
    const outcome = await apply(await quickFix(document.uri, d.range, `Back up ${COLUMN} first`)) as CheckOutcome;
    assert.equal(outcome.status, 'measured');
    const text = document.getText();
    // Laid out as the plan lays it out (sql-formatter for long statements): compared with spaces collapsed.
    const backup = /CREATE TABLE IF NOT EXISTS (pgdrift_backup\."public\.OvertimeSettings\.overtimeMode@[0-9a-f]{8}") AS SELECT t\."id", t\."overtimeMode" FROM "public"\."OvertimeSettings" t WHERE t\."overtimeMode" IS NOT NULL;/.exec(text.replace(/\s+/g, ' '));
    assert.ok(backup, text);
    assert.ok(text.startsWith(`-- pgdrift:target ${DB}\n\nCREATE SCHEMA IF NOT EXISTS pgdrift_backup;\n`), text);
    assert.ok(text.includes(`-- pgdrift:expect SELECT count(*) FROM ${backup[1]} = 2\n${DROP}`), text);
    // The drop still loses the values from the table: the hazard stays, now below its backup.
    const moved = await diagnostic(document.uri, 'DL-02', (x) => x.message.includes('non-null values'), 'DL-02 on the moved statement');
    assert.equal(moved.range.start.line, lineOf(document, DROP));
    // The file now holds every statement of that backup (as a generated migration does): it is not offered again.
    const again = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, moved.range, vscode.CodeActionKind.QuickFix.value);
    assert.deepEqual(again.filter((a) => /^(Back up|Accept) /.test(a.title)).map((a) => a.title), [`Accept DL-02 for ${COLUMN}`]);
    // Run as written (expectations are comments), in a transaction rolled back: the copy holds the 2 values.
    const saved = await admin(DB, async (client) => {
      await client.query('BEGIN');
      try {
        await client.query(text.slice(0, text.indexOf(DROP)));
        return (await client.query<{ mode: string }>(`SELECT "overtimeMode" AS mode FROM ${backup[1]} ORDER BY id`)).rows.map((r) => r.mode);
      } finally {
        await client.query('ROLLBACK');
      }
    });
    assert.deepEqual(saved, ['daily', 'weekly']);
  });

  it('the accept quick fix inserts the directive above the statement and the hazard becomes accepted', async function () {
    const d = await diagnostic(document.uri, 'DL-02', (x) => x.message.includes('non-null values'), 'the measured DL-02 diagnostic');
    const outcome = await apply(await quickFix(document.uri, d.range, `Accept DL-02 for ${COLUMN}`)) as CheckOutcome;
    assert.equal(outcome.status, 'measured');
    assert.ok(document.getText().includes(`\n-- pgdrift:accept DL-02 ${COLUMN}\n${DROP}`), document.getText());
    const accepted = await diagnostic(document.uri, 'DL-02', (x) => x.message.endsWith('(accepted)'), 'the accepted DL-02');
    assert.equal(accepted.severity, vscode.DiagnosticSeverity.Information);
    assert.ok(accepted.message.includes('2 non-null values'), accepted.message);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    assert.deepEqual(lenses.map((l) => l.command?.title), ['✓ DL-02 accepted']);
    await document.save();
  });

  it('an edit while the check runs throws its result away: the unsaved text shows the hazard unmeasured', async function () {
    // The probe waits for this lock (up to its lock timeout), so the check is still running when the edit lands.
    const locker = await admin(DB, async (client) => {
      await client.query('BEGIN');
      await client.query('LOCK TABLE "OvertimeSettings" IN ACCESS EXCLUSIVE MODE');
      const running = check(document.uri);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, new vscode.Position(lineOf(document, DROP), 0), 'ALTER TABLE "OvertimeSettings" DROP COLUMN "dailyLimit";\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const outcome = await running;
      await client.query('ROLLBACK');
      return outcome;
    });
    assert.equal(locker.status, 'discarded');
    const d = await diagnostic(document.uri, 'DL-02', (x) => x.message.includes('dailyLimit'), 'the static DL-02 of the new statement');
    assert.equal(d.message, `Dropping "public"."OvertimeSettings".dailyLimit deletes its values. (not measured: unsaved changes; save to measure on ${DB})`);
    assert.ok(pgdriftDiagnostics(document.uri).every((x) => !x.message.includes('non-null values')), 'no measured result stays on the edited file');
    // Saving measures the new text.
    await document.save();
    await diagnostic(document.uri, 'DL-02', (x) => x.message.includes('dailyLimit') && x.message.includes('2 non-null values'), 'dailyLimit measured after the save');
  });

  it('measures a file in a folder mapped by pgdrift.migrationTargets; a file in migrations/ without a target gets the static hazard', async function () {
    await settings().update('migrationTargets', { 'dg-mapped': DB }, vscode.ConfigurationTarget.Workspace);
    const mapped = join(workspaceFolder(), 'dg-mapped', '002.sql');
    writeFileSync(mapped, `${DROP}\n`);
    const mappedDoc = await vscode.workspace.openTextDocument(vscode.Uri.file(mapped));
    await diagnostic(mappedDoc.uri, 'DL-02', (x) => x.message.includes('2 non-null values'), 'the mapped file measured');

    const file = join(workspaceFolder(), 'migrations', 'dg_static.sql');
    writeFileSync(file, `${DROP}\n`);
    const staticDoc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(staticDoc);
    const d = await diagnostic(staticDoc.uri, 'DL-02', () => true, 'the static DL-02');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(d.message, 'Dropping "public"."OvertimeSettings".overtimeMode deletes its values. (not measured: no target; add -- pgdrift:target <profile>)');
    // Without a target there is no fingerprint to name a backup after: only the accept.
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', staticDoc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    assert.deepEqual(actions.filter((a) => /^(Back up|Accept) /.test(a.title)).map((a) => a.title), [`Accept DL-02 for ${COLUMN}`]);
  });
});
