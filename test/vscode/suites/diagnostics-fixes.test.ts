/**
 * Quick fixes that rewrite a migration's statements, in the real VS Code, measured on a database
 * of the suites' server ("OvertimeSettings" with 2 rows): DROP COLUMN + ADD COLUMN of the same
 * type becomes the RENAME the plan writes (and the values are still there after it runs), the
 * drop of a column whose twin is kept ("TimeEntry".companyid / "companyId") gets the plan's copy
 * first (the kept twin then holds every value), an ALTER … TYPE uuid of a text column holding
 * 'twelve' gets the `null` cast policy with its backup (the value saved, then NULL), and
 * SET NOT NULL becomes the two-step form of `plan --online` (which leaves the column NOT NULL and
 * no helper CHECK behind). Screenshot: the light bulb's list on the DROP (diagnostics-fix-rename).
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, screenshot, until } from '../harness';
import { addProfile, admin, closeEditors, recreateDatabases, serverProfile, setProfiles, workspaceFolder, type StoredProfile } from '../workspace';

const DB = 'dgf_production';
const TABLE = '"OvertimeSettings"';
const UUID = '0b7e3c7a-1f2d-4c5e-9a8b-7c6d5e4f3a2b';

const pgdriftDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'pgdrift');
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);

function diagnostic(uri: vscode.Uri, code: string, ready: (d: vscode.Diagnostic) => boolean, what: string): Promise<vscode.Diagnostic> {
  return until(() => pgdriftDiagnostics(uri).find((d) => codeOf(d) === code && ready(d)), what, 30_000).catch((error: unknown) => {
    throw new Error(`${String(error)}; the file's diagnostics: ${pgdriftDiagnostics(uri).map((d) => `${String(codeOf(d))}: ${d.message}`).join(' | ')}`);
  });
}

async function applyQuickFix(uri: vscode.Uri, range: vscode.Range, title: string): Promise<void> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
  const found = actions.find((a) => a.title.startsWith(title));
  assert.ok(found?.edit, `no quick fix "${title}…" among ${actions.map((a) => a.title).join(' | ')}`);
  assert.ok(await vscode.workspace.applyEdit(found.edit));
  if (found.command) await vscode.commands.executeCommand(found.command.command, ...(found.command.arguments ?? []));
}

/** The file run as written in a transaction that is rolled back, then `probe` on what it left. */
function runRolledBack<T>(sql: string, probe: (q: (text: string) => Promise<{ rows: Record<string, unknown>[] }>) => Promise<T>): Promise<T> {
  return admin(DB, async (client) => {
    await client.query('BEGIN');
    try {
      await client.query(sql);
      return await probe((text) => client.query(text));
    } finally {
      await client.query('ROLLBACK');
    }
  });
}

describe('pgdrift in VS Code: quick fixes rewriting migration statements', function () {
  this.timeout(120_000);
  const folder = () => join(workspaceFolder(), 'dgf');
  let previous: StoredProfile[];

  async function open(name: string, body: string): Promise<vscode.TextDocument> {
    const file = join(folder(), name);
    writeFileSync(file, `-- pgdrift:target ${DB}\n\n${body}`);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
    return document;
  }

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await recreateDatabases([DB]);
    await admin(DB, (client) => client.query(`
      CREATE TABLE ${TABLE} (id integer PRIMARY KEY, "overtimeMode" text, "dailyLimit" integer);
      INSERT INTO ${TABLE} VALUES (1, 'daily', 8), (2, 'weekly', 40);
      CREATE TABLE "TimeEntry" (id integer PRIMARY KEY, companyid integer, "companyId" integer);
      INSERT INTO "TimeEntry" VALUES (1, 7, NULL), (2, 8, 8), (3, NULL, 9);
      CREATE TABLE "Budget" (id integer PRIMARY KEY, ref text);
      INSERT INTO "Budget" VALUES (1, '${UUID}'), (2, 'twelve'), (3, NULL);
    `));
    previous = await addProfile(serverProfile(DB, DB, 'production'));
    mkdirSync(folder(), { recursive: true });
  });

  after(async function () {
    await closeEditors();
    rmSync(folder(), { recursive: true, force: true });
    await setProfiles(previous);
  });

  it('DROP COLUMN + ADD COLUMN of the same type: "Rename … instead" writes the RENAME, and the values survive the run', async function () {
    const document = await open('001_rename.sql', `ALTER TABLE ${TABLE} DROP COLUMN "overtimeMode";\nALTER TABLE ${TABLE} ADD COLUMN "overtimePolicy" text;\n`);
    const d = await diagnostic(document.uri, 'DL-02', (x) => x.message.includes('2 non-null values'), 'the measured DL-02');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    editor.selection = new vscode.Selection(d.range.start.translate(0, 5), d.range.start.translate(0, 5));
    await vscode.commands.executeCommand('editor.action.quickFix');
    await screenshot('diagnostics-fix-rename', { settleMs: 1500 });
    await vscode.commands.executeCommand('hideCodeActionWidget');
    await applyQuickFix(document.uri, d.range, 'Rename overtimeMode to overtimePolicy instead (keeps its 2 values)');
    const text = document.getText();
    assert.equal(text, `-- pgdrift:target ${DB}\n\nALTER TABLE "public"."OvertimeSettings" RENAME COLUMN "overtimeMode" TO "overtimePolicy";\n`);
    // The rename has its own hazard (CP-01), the data loss is gone.
    await until(() => (pgdriftDiagnostics(document.uri).some((x) => codeOf(x) === 'CP-01') ? true : undefined), 'CP-01 on the RENAME');
    assert.ok(pgdriftDiagnostics(document.uri).every((x) => codeOf(x) !== 'DL-02'));
    const kept = await runRolledBack(text, async (q) => (await q(`SELECT "overtimePolicy" AS v FROM ${TABLE} ORDER BY id`)).rows.map((r) => r.v));
    assert.deepEqual(kept, ['daily', 'weekly']);
  });

  it('DROP COLUMN of a twin: "Copy … first" inserts the plan\'s copy into the kept twin, which then holds every value', async function () {
    const drop = 'ALTER TABLE "TimeEntry" DROP COLUMN companyid;';
    const document = await open('003_twin.sql', `${drop}\n`);
    const d = await diagnostic(document.uri, 'DL-02', (x) => x.message.includes('2 non-null values'), 'the measured DL-02');
    await applyQuickFix(document.uri, d.range, 'Copy companyid into companyId first (where companyId is NULL)');
    const text = document.getText();
    assert.equal(text, `-- pgdrift:target ${DB}\n\nUPDATE "public"."TimeEntry" SET "companyId" = "companyid" WHERE "companyId" IS NULL AND "companyid" IS NOT NULL;\n${drop}\n`);
    const kept = await runRolledBack(text, async (q) => (await q('SELECT "companyId" AS v FROM "TimeEntry" ORDER BY id')).rows.map((r) => r.v));
    assert.deepEqual(kept, [7, 8, 9]);
  });

  it('ALTER … TYPE where a value fails to cast: "Set values that cannot be cast … to NULL" writes the plan\'s null policy, backed up first', async function () {
    const document = await open('004_cast.sql', 'ALTER TABLE "Budget" ALTER COLUMN ref TYPE uuid;\n');
    const d = await diagnostic(document.uri, 'FL-03', (x) => x.message.includes('measured on'), 'the measured FL-03');
    await applyQuickFix(document.uri, d.range, 'Set values that cannot be cast to uuid to NULL (backed up first)');
    const text = document.getText();
    // uuid is tested by a pattern before 16 and by pg_input_is_valid from 16: no function to create either way.
    assert.match(text, /\n-- pgdrift:accept FL-03 public\.Budget\.ref\nALTER TABLE "public"\."Budget" ALTER COLUMN "ref" TYPE uuid USING CASE WHEN (pg_input_is_valid\("ref"::text, 'uuid'\)|"ref"::text ~\* '[^']+') THEN "ref"::uuid END;\n$/);
    assert.ok(text.startsWith(`-- pgdrift:target ${DB}\n\nCREATE SCHEMA IF NOT EXISTS pgdrift_backup;\n`), text);
    const backup = /CREATE TABLE IF NOT EXISTS (pgdrift_backup\."public\.Budget\.ref@[0-9a-f]{8}") AS/.exec(text.replace(/\s+/g, ' '));
    assert.ok(backup, text);
    // The policy handles FL-03, so the fix accepts it by name: no failure is left on the statement.
    await until(() => (pgdriftDiagnostics(document.uri).some((x) => codeOf(x) === 'FL-03' && x.severity === vscode.DiagnosticSeverity.Error) ? undefined : true), 'no FL-03 error left');
    const after = await runRolledBack(text, async (q) => ({
      refs: (await q('SELECT ref::text AS v FROM "Budget" ORDER BY id')).rows.map((r) => r.v),
      saved: (await q(`SELECT ref AS v FROM ${backup[1]}`)).rows.map((r) => r.v),
    }));
    assert.deepEqual(after, { refs: [UUID, null, null], saved: ['twelve'] });
  });

  it('SET NOT NULL on a table with rows: the two-step form of plan --online, which leaves the column NOT NULL', async function () {
    const document = await open('002_not_null.sql', `ALTER TABLE ${TABLE} ALTER COLUMN "dailyLimit" SET NOT NULL;\n`);
    const d = await diagnostic(document.uri, 'FL-02', (x) => x.message.includes('measured on'), 'the measured FL-02');
    await applyQuickFix(document.uri, d.range, 'Set NOT NULL on dailyLimit in two steps');
    const text = document.getText();
    assert.equal(text, [
      `-- pgdrift:target ${DB}`,
      '',
      '-- VALIDATE CONSTRAINT scans without blocking writes only when committed separately from the ADD CONSTRAINT (its own transaction).',
      'ALTER TABLE "public"."OvertimeSettings" ADD CONSTRAINT "pgdrift_dailyLimit_not_null" CHECK ("dailyLimit" IS NOT NULL) NOT VALID;',
      'ALTER TABLE "public"."OvertimeSettings" VALIDATE CONSTRAINT "pgdrift_dailyLimit_not_null";',
      'ALTER TABLE "public"."OvertimeSettings" ALTER COLUMN "dailyLimit" SET NOT NULL;',
      'ALTER TABLE "public"."OvertimeSettings" DROP CONSTRAINT "pgdrift_dailyLimit_not_null";',
      '',
    ].join('\n'));
    const left = await runRolledBack(text, async (q) => (await q(`
      SELECT a.attnotnull AS "notNull", (SELECT count(*)::int FROM pg_constraint c WHERE c.conrelid = a.attrelid AND c.conname LIKE 'pgdrift%') AS checks
      FROM pg_attribute a WHERE a.attrelid = '${TABLE}'::regclass AND a.attname = 'dailyLimit'`)).rows[0]);
    assert.deepEqual(left, { notNull: true, checks: 0 });
  });
});
