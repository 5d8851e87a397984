/**
 * "pgdrift: Run Migration File…" in the real VS Code, on databases of the suites' server: a phased
 * file runs on a development profile (every statement, NOTICE and "committed" in the "pgdrift Run"
 * output channel); a failing statement in the third phase leaves the first two committed, the
 * third rolled back, and an Error diagnostic on the failing line; a rehearsal changes nothing; a
 * production profile whose confirmation is escaped runs nothing (and runs once the database name
 * is typed); "Cancel Run" during `SELECT pg_sleep(30)` returns within 2 s with the phase rolled
 * back; the journal holds every run, without the password of a profile that has one.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, enter, keys, postgresUrl, replace, screenshot, until } from '../harness';
import type { KeyAction } from '../support/protocol';
import { admin, closeEditors, recreateDatabases, registerCleanUp, serverProfile, useProfiles, within, workspaceFolder } from '../workspace';

const DEV = 'run_dev';
const REH = 'run_rehearse';
const PROD = 'run_prod';
const PW = 'run_pw';
/** A database to migrate and its desired state, for the checks against the comparison's "to" side. */
const VALID = 'run_valid';
const WANTED = 'run_wanted';
const ROLE = 'pgdrift_run';
const PASSWORD = 'run pw/9 sécret';

interface Outcome {
  status: string;
  refusal?: string;
  message?: string;
  output?: string[];
  result?: {
    mode: string;
    outcome: string;
    phases: { name: string; outcome: string }[];
    failure?: { phase: string; line: number; column: number; sqlstate?: string; message: string };
  };
}

const PHASED = `-- pgdrift:phase expand
CREATE TABLE widget (id integer PRIMARY KEY, name text NOT NULL);
INSERT INTO widget VALUES (1, 'bolt'), (2, 'nut'), (3, 'washer');
-- pgdrift:phase contract
DO $$ BEGIN RAISE NOTICE 'widgets before contract: %', (SELECT count(*) FROM widget); END $$;
ALTER TABLE widget ADD COLUMN note text;
`;

const FAILING = `-- pgdrift:phase one
CREATE TABLE gadget (id integer PRIMARY KEY);
-- pgdrift:phase two
INSERT INTO gadget VALUES (1);
-- pgdrift:phase three
CREATE TABLE gadget_log (id integer);
INSERT INTO gadget
  VALUES (1);
`;

const SLEEPY = `CREATE TABLE sleeper (id integer);
SELECT pg_sleep(30);
`;

const dir = () => join(workspaceFolder(), 'run-cmd');
const journal = () => join(workspaceFolder(), '.pgdrift', 'journal.jsonl');
const accept = (n: number): KeyAction[] => Array.from({ length: n }, () => enter()).flat();

function writeMigration(name: string, text: string): vscode.Uri {
  const path = join(dir(), name);
  writeFileSync(path, text);
  return vscode.Uri.file(path);
}

function run(uri: vscode.Uri, options: Record<string, unknown>): Thenable<Outcome | undefined> {
  return vscode.commands.executeCommand<Outcome | undefined>('pgdrift.runMigrationFile', uri, { to: 'none', ...options });
}

async function exists(database: string, table: string): Promise<boolean> {
  return admin(database, async (client) => (await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table])).rows[0]?.t != null);
}

describe('pgdrift in VS Code: Run Migration File', function () {
  this.timeout(120_000);

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await recreateDatabases([DEV, REH, PROD, PW, VALID, WANTED], { force: true });
    await admin('postgres', async (client) => {
      await client.query(`DROP ROLE IF EXISTS ${ROLE}`);
      await client.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD.replace(/'/g, "''")}'`);
      await client.query(`ALTER DATABASE ${PW} OWNER TO ${ROLE}`);
    });
    // The public schema belongs to the database's owner from PostgreSQL 15; on 13 and 14 anyone may create in it.
    await admin(PW, (client) => client.query(`GRANT ALL ON SCHEMA public TO ${ROLE}`));
    await admin(WANTED, (client) => client.query('CREATE TABLE widget (id integer PRIMARY KEY, name text NOT NULL, note text)'));
    await useProfiles([serverProfile(DEV), serverProfile(REH), serverProfile(PROD, PROD, 'production'), serverProfile(VALID), serverProfile(WANTED)]);
    mkdirSync(dir(), { recursive: true });
    rmSync(join(workspaceFolder(), '.pgdrift'), { recursive: true, force: true });
    await closeEditors();
  });

  registerCleanUp([DEV, REH, PROD, PW, VALID, WANTED]);

  after(async function () {
    rmSync(dir(), { recursive: true, force: true });
    rmSync(join(workspaceFolder(), '.pgdrift'), { recursive: true, force: true });
    await admin('postgres', (client) => client.query(`DROP ROLE IF EXISTS ${ROLE}`));
  });

  it('runs a phased file on a development profile: statements, NOTICEs and "committed" in the output channel (screenshot)', async function () {
    const uri = writeMigration('phased.sql', PHASED);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const outcome = await within(run(uri, { mode: 'run', profile: DEV }), 'the run');
    assert.equal(outcome?.status, 'finished', JSON.stringify(outcome));
    assert.equal(outcome?.result?.outcome, 'succeeded', JSON.stringify(outcome));
    assert.deepEqual(outcome?.result?.phases.map((p) => [p.name, p.outcome]), [['expand', 'committed'], ['contract', 'committed']]);
    const text = (outcome?.output ?? []).join('\n');
    assert.match(text, /Run of run-cmd\/phased\.sql on "run_dev" \(development\)/, text);
    assert.match(text, /run-cmd\/phased\.sql:2 CREATE TABLE widget/, text);
    assert.match(text, /run-cmd\/phased\.sql:3 INSERT INTO widget/, text);
    assert.match(text, /3 rows/, text);
    assert.match(text, /NOTICE: widgets before contract: 3/, text);
    assert.match(text, /phase expand committed/, text);
    assert.match(text, /phase contract committed/, text);
    assert.ok(!text.includes(workspaceFolder()), `paths are shown relative to the workspace:\n${text}`);
    const columns = await admin(DEV, async (c) => (await c.query<{ n: string }>("SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'widget'")).rows[0]?.n);
    assert.equal(columns, '3');
    await vscode.commands.executeCommand('notifications.clearAll');
    await screenshot('run-output-channel', { settleMs: 1200 });
  });

  it('a failing statement in the third phase: phases one and two committed, three rolled back, an Error diagnostic on the failing line (screenshot)', async function () {
    const uri = writeMigration('failing.sql', FAILING);
    const outcome = await within(run(uri, { mode: 'run', profile: DEV }), 'the run');
    assert.equal(outcome?.result?.outcome, 'failed', JSON.stringify(outcome));
    assert.deepEqual(outcome?.result?.phases.map((p) => p.outcome), ['committed', 'committed', 'rolled back']);
    assert.equal(outcome?.result?.failure?.sqlstate, '23505');
    assert.ok(await exists(DEV, 'gadget'), 'phase one committed');
    assert.equal(await admin(DEV, async (c) => (await c.query<{ n: string }>('SELECT count(*) AS n FROM gadget')).rows[0]?.n), '1', 'phase two committed');
    assert.equal(await exists(DEV, 'gadget_log'), false, 'phase three rolled back');

    const diagnostics = await until(() => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'pgdrift run');
      return found.length ? found : undefined;
    }, 'the run diagnostic');
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.ok(d);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.line, 6, `on "INSERT INTO gadget" (line 7): ${JSON.stringify(d.range)}`);
    assert.equal(d.range.end.line, 7, 'to the end of the statement, on the next line');
    assert.match(d.message, /duplicate key value violates unique constraint "gadget_pkey" \(SQLSTATE 23505\)/);
    // Opened and revealed, the failing statement selected.
    const editor = await until(() => (vscode.window.activeTextEditor?.document.uri.fsPath === uri.fsPath ? vscode.window.activeTextEditor : undefined), 'the failing file in the editor');
    assert.equal(editor.selection.start.line, 6);
    assert.equal(editor.selection.active.line, 6, 'the cursor at the statement\'s start');

    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.window.showTextDocument(editor.document, { preserveFocus: false });
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('run-failure-diagnostic', { settleMs: 1500 });

    // Fixed and run again (phases one and two are committed: only three runs): the diagnostic goes.
    writeFileSync(uri.fsPath, FAILING.replace("INSERT INTO gadget\n  VALUES (1);", 'INSERT INTO gadget VALUES (2);'));
    const again = await within(run(uri, { mode: 'run', profile: DEV, phases: ['three'] }), 'the run of phase three');
    assert.equal(again?.result?.outcome, 'succeeded', JSON.stringify(again));
    assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'pgdrift run'), []);
  });

  it('a rehearsal leaves the database unchanged', async function () {
    const uri = writeMigration('phased.sql', PHASED);
    const outcome = await within(run(uri, { mode: 'rehearse', profile: REH }), 'the rehearsal');
    assert.equal(outcome?.result?.outcome, 'succeeded', JSON.stringify(outcome));
    assert.deepEqual(outcome?.result?.phases.map((p) => p.outcome), ['rehearsed', 'rehearsed']);
    assert.match((outcome?.output ?? []).join('\n'), /NOTICE: widgets before contract: 3/);
    assert.equal(await exists(REH, 'widget'), false, 'nothing of the rehearsal stays');
  });

  it('a production profile: the confirmation escaped runs nothing; the database name typed runs it (screenshot)', async function () {
    const uri = writeMigration('prod.sql', PHASED);
    const escaped = run(uri, { mode: 'run', profile: PROD });
    await keys({ waitMs: 1500 });
    await screenshot('run-production-confirmation', { settleMs: 300 });
    await keys({ press: 'Escape' });
    const refused = await within(escaped, 'the escaped run');
    assert.equal(refused?.status, 'refused', JSON.stringify(refused));
    assert.equal(refused?.refusal, 'not-confirmed');
    assert.equal(await exists(PROD, 'widget'), false, 'nothing ran');

    const confirmed = run(uri, { mode: 'run', profile: PROD });
    await keys({ waitMs: 1500 }, ...enter(PROD));
    const ran = await within(confirmed, 'the confirmed run');
    assert.equal(ran?.result?.outcome, 'succeeded', JSON.stringify(ran));
    assert.ok(await exists(PROD, 'widget'));
  });

  it('Cancel Run during SELECT pg_sleep(30) returns within 2 s, the phase rolled back', async function () {
    const uri = writeMigration('sleepy.sql', SLEEPY);
    const running = run(uri, { mode: 'run', profile: DEV });
    await until(() => admin('postgres', async (c) => {
      const rows = await c.query("SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'SELECT pg_sleep(30)%' AND state = 'active'", [DEV]);
      return rows.rowCount ? true : undefined;
    }), 'pg_sleep running', 30_000);
    const started = Date.now();
    assert.equal(await vscode.commands.executeCommand('pgdrift.cancelRun'), 1, 'one run to cancel');
    const outcome = await within(running, 'the cancelled run');
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 2000, `returned after ${elapsed} ms`);
    assert.equal(outcome?.result?.outcome, 'cancelled', JSON.stringify(outcome));
    assert.equal(outcome?.result?.failure?.sqlstate, '57014');
    assert.equal(await exists(DEV, 'sleeper'), false, 'the phase rolled back');
  });

  it('from the palette on the open file: the file\'s target first, Rehearse or Run, the desired state (None without a comparison), each answered with Enter (screenshot)', async function () {
    const uri = writeMigration('targeted.sql', `-- pgdrift:target ${REH}\n${PHASED}`);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const running = vscode.commands.executeCommand<Outcome | undefined>('pgdrift.runMigrationFile');
    await keys({ waitMs: 1200 });
    await screenshot('run-pick-profile', { settleMs: 300 });
    await keys({ press: 'Enter' }, { waitMs: 600 });
    await screenshot('run-pick-mode', { settleMs: 300 });
    await keys({ press: 'Enter' }, { waitMs: 600 }, { press: 'Enter' });
    const outcome = await within(running, 'the rehearsal from the palette');
    assert.equal(outcome?.status, 'finished', JSON.stringify(outcome));
    assert.equal(outcome?.result?.mode, 'rehearse');
    assert.equal(outcome?.result?.outcome, 'succeeded', JSON.stringify(outcome));
    assert.match((outcome?.output ?? []).join('\n'), /Rehearsal of run-cmd\/targeted\.sql on "run_rehearse"/);
    assert.equal(await exists(REH, 'widget'), false);
  });

  it('a folder of numbered files, its target from pgdrift.migrationTargets: one phase per file', async function () {
    const folder = join(dir(), 'numbered');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, '01-expand.sql'), 'CREATE TABLE part (id integer PRIMARY KEY);\n');
    writeFileSync(join(folder, '02-contract.sql'), 'ALTER TABLE part ADD COLUMN label text;\n');
    await vscode.workspace.getConfiguration('pgdrift').update('migrationTargets', { 'run-cmd/numbered': REH }, vscode.ConfigurationTarget.Workspace);
    try {
      const outcome = await within(run(vscode.Uri.file(folder), { mode: 'run' }), 'the folder run');
      assert.equal(outcome?.result?.outcome, 'succeeded', JSON.stringify(outcome));
      assert.deepEqual(outcome?.result?.phases.map((p) => [p.name, p.outcome]), [['01-expand', 'committed'], ['02-contract', 'committed']]);
      assert.match((outcome?.output ?? []).join('\n'), /on "run_rehearse"/);
      assert.ok(await exists(REH, 'part'));
    } finally {
      await vscode.workspace.getConfiguration('pgdrift').update('migrationTargets', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('a file written for another schema is refused: the fingerprints in the output channel, nothing runs (screenshot)', async function () {
    const uri = writeMigration('stale.sql', `-- pgdrift:fingerprint sha256:${'0'.repeat(64)}\nCREATE TABLE stale (id integer);\n`);
    const outcome = await within(run(uri, { mode: 'run', profile: DEV }), 'the refused run');
    assert.equal(outcome?.status, 'refused', JSON.stringify(outcome));
    assert.equal(outcome?.refusal, 'fingerprint-mismatch');
    const text = (outcome?.output ?? []).join('\n');
    assert.match(text, /Refused: .*no longer has the schema run-cmd\/stale\.sql was written for/, text);
    assert.match(text, new RegExp(`written for: sha256:${'0'.repeat(64)}`), text);
    assert.equal(await exists(DEV, 'stale'), false);
    await screenshot('run-refused', { settleMs: 1000 });
  });

  it('a read-only profile is refused, in a rehearsal too', async function () {
    await useProfiles([serverProfile(DEV), serverProfile(REH), serverProfile(PROD, PROD, 'production'), serverProfile(VALID), serverProfile(WANTED), { ...serverProfile('run_readonly', REH), readOnly: true }], 'the six profiles in the settings');
    const uri = writeMigration('readonly.sql', 'CREATE TABLE never (id integer);\n');
    for (const mode of ['run', 'rehearse']) {
      const outcome = await within(run(uri, { mode, profile: 'run_readonly' }), `the ${mode} on a read-only profile`);
      assert.equal(outcome?.status, 'refused', JSON.stringify(outcome));
      assert.equal(outcome?.refusal, 'read-only');
    }
    assert.equal(await exists(REH, 'never'), false);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('the journal holds every run, not the password of a profile that has one; Show Run Journal prints the newest', async function () {
    // A profile with a password, imported from a URL: the password goes to secret storage.
    const server = new URL(postgresUrl());
    const url = `postgres://${ROLE}:${encodeURIComponent(PASSWORD)}@${server.hostname}:${server.port}/${PW}?sslmode=disable`;
    const importing = vscode.commands.executeCommand('pgdrift.importProfile');
    await keys({ waitMs: 800 }, ...enter(url), { waitMs: 300 }, ...replace(PW), ...accept(9));
    await within(importing, 'the import wizard');
    const uri = writeMigration('pw.sql', PHASED);
    const outcome = await within(run(uri, { mode: 'run', profile: PW }), 'the run with a password');
    assert.equal(outcome?.result?.outcome, 'succeeded', JSON.stringify(outcome));

    assert.ok(existsSync(journal()), 'the journal exists');
    const lines = readFileSync(journal(), 'utf8').trim().split('\n');
    // Runs and rehearsals that got past the guards: 2 in the first test… 1 here; refusals are not journaled.
    assert.ok(lines.length >= 6, `${lines.length} lines`);
    for (const line of lines) {
      assert.ok(!line.includes(PASSWORD) && !line.includes(encodeURIComponent(PASSWORD)) && !line.includes('sécret'), line);
    }
    const last = JSON.parse(lines[lines.length - 1] ?? '{}') as { profile: string; file: string; mode: string; outcome: string; sha256: string };
    assert.deepEqual([last.profile, last.file, last.mode, last.outcome], [PW, 'run-cmd/pw.sql', 'run', 'succeeded']);
    assert.match(last.sha256, /^sha256:[0-9a-f]{64}$/);
    const shown = await vscode.commands.executeCommand<{ profile: string }>('pgdrift.showRunJournal', 0);
    assert.equal(shown?.profile, PW);
    // The QuickPick as a user sees it; the first item is the newest run, picked with Enter.
    const picking = vscode.commands.executeCommand<{ profile: string } | undefined>('pgdrift.showRunJournal');
    await keys({ waitMs: 1000 });
    await screenshot('run-journal', { settleMs: 300 });
    await keys({ press: 'Enter' });
    assert.equal((await within(picking, 'the journal pick'))?.profile, PW);
    await closeEditors();
  });

  it('checks each phase against the comparison\'s "to" side: object counts, and "0 differences remain" after the last', async function () {
    const compared = await within(vscode.commands.executeCommand<{ status: string }>('pgdrift.compare', VALID, WANTED), 'the comparison');
    assert.equal(compared?.status, 'compared', JSON.stringify(compared));
    const uri = writeMigration('validated.sql', PHASED);
    const outcome = await within(run(uri, { mode: 'run', profile: VALID, to: undefined }), 'the validated run');
    assert.equal(outcome?.result?.outcome, 'succeeded', JSON.stringify(outcome));
    const text = (outcome?.output ?? []).join('\n');
    assert.match(text, /Validated against run_wanted \(the comparison's "to" side\)\./, text);
    assert.match(text, /objects: tables 1 \/ 1/, text);
    assert.match(text, /0 differences remain/, text);
    await closeEditors();
  });
});
