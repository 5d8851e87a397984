/**
 * Managing profiles in the real VS Code, typed through the same QuickInputs a user answers: edit
 * (port and database fixed, stored password kept by leaving its step empty, renamed: the secret
 * moves with the name), duplicate (the copy takes the password along), remove (the modal
 * confirmation answered with the keyboard; the secret goes with the profile), import from a URL
 * (the password goes to secret storage, sslmode becomes the TLS mode), and a port the add wizard
 * refuses until it is fixed.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import * as vscode from 'vscode';
import { EXTENSION_ID, enter, keys, postgresUrl, replace, screenshot, until } from '../harness';
import { afterFailure, pgdriftSessions, profiles, setProfiles, testConnection as test, within, workspaceFolder, type TestOutcome } from '../workspace';
import type { KeyAction } from '../support/protocol';



/** Not profiles.test.ts's role: the suites share one server. */
const ROLE = 'pgdrift_manage';
const PASSWORD = 'manage pw/7 ünïcode';

const profile = (name: string) => profiles().find((p) => p.name === name);
/** Accepts `n` steps as they are (text kept, active item picked). */
const accept = (n: number): KeyAction[] => Array.from({ length: n }, () => enter()).flat();


function settingsText(): string {
  return readFileSync(join(workspaceFolder(), '.vscode', 'settings.json'), 'utf8');
}


function assertConnected(outcome: TestOutcome | undefined, what: string): void {
  assert.equal(outcome?.status, 'connected', `${what}: ${JSON.stringify(outcome)}`);
}

describe('pgdrift in VS Code: editing, duplicating, removing and importing profiles', function () {
  this.timeout(120_000);
  const server = new URL(postgresUrl());
  const port = Number(server.port);

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const admin = new Client({ connectionString: postgresUrl() });
    await admin.connect();
    try {
      await admin.query(`DROP ROLE IF EXISTS ${ROLE}`);
      await admin.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD.replace(/'/g, "''")}'`);
    } finally {
      await admin.end();
    }
    await setProfiles(undefined);
    await vscode.commands.executeCommand('workbench.view.extension.pgdrift');
  });

  afterEach(async function () {
    await afterFailure(this.currentTest);
  });

  after(async function () {
    await setProfiles(undefined);
  });

  it('edits a profile from the palette: port and database fixed, the stored password kept, renamed with its secret', async function () {
    // Added with a port nothing listens on and a database that does not exist, and the password.
    const adding = vscode.commands.executeCommand('pgdrift.addProfile');
    await keys({ waitMs: 800 }, ...enter('manage'), ...replace(server.hostname), ...replace('1'), ...enter('not_there'), ...enter(ROLE), ...enter(PASSWORD), ...accept(5));
    // The command resolves once the profile and its secret are stored.
    await within(adding, 'the add wizard');
    assert.ok(profile('manage'), 'the profile "manage" in the settings');
    const before = await test('manage');
    assert.equal(before?.status, 'failed', JSON.stringify(before));
    if (before?.status === 'failed') assert.equal(before.code, 'connection-refused', before.message);
    await vscode.commands.executeCommand('notifications.clearAll');

    // Edit it: rename, fix port and database, leave the password step empty (keep the stored one).
    const editing = vscode.commands.executeCommand('pgdrift.editProfile', 'manage');
    await keys({ waitMs: 800 }, ...replace('manage (renamed)'), ...enter(), ...replace(server.port), ...replace('postgres'), ...enter());
    // The password step says an empty answer keeps the stored password.
    await screenshot('edit-profile-password-step', { settleMs: 600 });
    await keys(...accept(6));
    // Resolves once the settings are written and the secret has moved to the new name.
    await within(editing, 'the edit wizard');
    const edited = profile('manage (renamed)');
    assert.deepEqual(edited, { name: 'manage (renamed)', host: server.hostname, port, database: 'postgres', user: ROLE, environment: 'development' });
    assert.equal(profile('manage'), undefined, 'the old name is gone');
    assert.ok(!settingsText().includes(PASSWORD), 'no password in settings.json');

    // The password went along with the name.
    assertConnected(await test('manage (renamed)'), 'the renamed profile with the kept password');
  });

  it('duplicates a profile: "<name> (copy)" connects with the copied password', async function () {
    const duplicating = vscode.commands.executeCommand('pgdrift.duplicateProfile', 'manage (renamed)');
    // Every step keeps what the original holds; an empty password step takes the original's.
    await keys({ waitMs: 800 }, ...accept(11));
    await within(duplicating, 'the duplicate wizard');
    const copy = profile('manage (renamed) (copy)');
    assert.deepEqual(copy, { ...profile('manage (renamed)'), name: 'manage (renamed) (copy)' });
    assertConnected(await test('manage (renamed) (copy)'), 'the copy');
  });

  it('removes a profile after a modal confirmation answered with the keyboard; its secret is deleted', async function () {
    const removing = vscode.commands.executeCommand('pgdrift.removeProfile', 'manage (renamed)');
    await keys({ waitMs: 1000 });
    await screenshot('remove-profile-confirmation', { settleMs: 300 });
    // The dialog opens with its primary button ("Remove") focused: Enter presses it.
    await keys({ press: 'Enter' });
    await within(removing, 'the remove command');
    await until(() => (profile('manage (renamed)') === undefined ? true : undefined), 'the profile gone from the settings');
    assert.ok(profile('manage (renamed) (copy)'), 'the copy stays');

    // The same name again, without a password: the old secret must not come back with it.
    const copy = profile('manage (renamed) (copy)');
    assert.ok(copy);
    await setProfiles([...profiles(), { ...copy, name: 'manage (renamed)' }]);
    await until(() => profile('manage (renamed)'), 'the re-added profile');
    const again = await test('manage (renamed)');
    assert.equal(again?.status, 'failed', `the re-added profile must not find the deleted password: ${JSON.stringify(again)}`);
    if (again?.status === 'failed') {
      assert.match(again.message, /no password stored for profile "manage \(renamed\)"/);
      assert.equal(again.fix, 'edit-profile');
    }
    // The copy has its own secret.
    assertConnected(await test('manage (renamed) (copy)'), 'the copy after the original was removed');
    assert.equal(await pgdriftSessions(), 0, 'no pgdrift connection stays open');
  });

  it('imports a profile from a URL: sslmode becomes the TLS mode, the password goes to secret storage', async function () {
    const url = `postgres://${ROLE}:${encodeURIComponent(PASSWORD)}@${server.hostname}:${port}/postgres?sslmode=disable`;
    const importing = vscode.commands.executeCommand('pgdrift.importProfile');
    await keys({ waitMs: 800 }, ...enter(url));
    // The wizard opens filled in from the URL: name it, keep the rest. TLS "disable" has no
    // client-certificate step.
    await keys({ waitMs: 300 }, ...replace('imported'), ...accept(4));
    await screenshot('import-profile-password-step', { settleMs: 600 });
    await keys(...accept(5));
    await within(importing, 'the import wizard');
    const imported = profile('imported');
    assert.deepEqual(imported, { name: 'imported', host: server.hostname, port, database: 'postgres', user: ROLE, environment: 'development', tls: { mode: 'disable' } });
    const text = settingsText();
    assert.ok(!text.includes(PASSWORD) && !text.includes(encodeURIComponent(PASSWORD)), 'the password is not in settings.json');
    assertConnected(await test('imported'), 'the imported profile');
  });

  it('refuses port 99999 in the add wizard until it is fixed', async function () {
    const adding = vscode.commands.executeCommand('pgdrift.addProfile');
    await keys({ waitMs: 800 }, ...enter('validated'), ...replace(server.hostname), ...replace('99999'));
    await screenshot('add-profile-port-invalid', { settleMs: 600 });
    // Enter was refused: still on the port step, so the fix goes into the port, and the rest follows.
    await keys(...replace(server.port), ...enter('postgres'), ...enter(ROLE), ...enter(PASSWORD), ...accept(5));
    await within(adding, 'the add wizard');
    const added = profile('validated');
    assert.deepEqual(added, { name: 'validated', host: server.hostname, port, database: 'postgres', user: ROLE, environment: 'development' });
    assertConnected(await test('validated'), 'the profile with the fixed port');
  });
});
