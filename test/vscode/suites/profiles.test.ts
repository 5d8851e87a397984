/**
 * Profiles in the real VS Code: the add flow typed through its QuickInput steps as a user would,
 * the password kept out of settings and used from SecretStorage, Test Connection against a real
 * PostgreSQL whose other roles must give a password, the Databases view with three environments,
 * Copy URL, and the bad-input cases (wrong password, a deleted secret, an unknown host, an unset
 * variable), each answered with what failed and, where the profile is the fix, "Edit Profile".
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import * as vscode from 'vscode';
import { EXTENSION_ID, enter, keys, postgresUrl, replace, screenshot, until } from '../harness';
import { profiles, setProfiles, testConnection as test, useProfiles, workspaceFolder } from '../workspace';



const ROLE = 'pgdrift_app';
const PASSWORD = 'correct horse 42';


describe('pgdrift in VS Code: database profiles', function () {
  this.timeout(120_000);
  const server = new URL(postgresUrl());

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const admin = new Client({ connectionString: postgresUrl() });
    await admin.connect();
    try {
      await admin.query(`DROP ROLE IF EXISTS ${ROLE}`);
      await admin.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'`);
    } finally {
      await admin.end();
    }
    await setProfiles(undefined);
    await vscode.commands.executeCommand('workbench.view.extension.pgdrift');
  });

  after(async function () {
    await setProfiles(undefined);
  });

  it('adds a profile through the multi-step input; the password goes to secret storage, not to settings', async function () {
    void vscode.commands.executeCommand('pgdrift.addProfile');
    await keys({ waitMs: 800 }, ...enter('local (dev)'), ...replace(server.hostname), ...replace(server.port), ...enter('postgres'), ...enter(ROLE), ...enter(PASSWORD));
    // The environment step: shown to the user, then development (the default) accepted.
    await screenshot('add-profile-environment-step', { settleMs: 600 });
    await keys(...enter(), ...enter(), ...enter(), ...enter(), ...enter());
    const added = await until(() => profiles().find((p) => p.name === 'local (dev)'), 'the new profile in the workspace settings');
    assert.deepEqual(added, { name: 'local (dev)', host: server.hostname, port: Number(server.port), database: 'postgres', user: ROLE, environment: 'development' });
    const text = readFileSync(join(workspaceFolder(), '.vscode', 'settings.json'), 'utf8');
    assert.ok(text.includes('local (dev)'), 'the profile is in .vscode/settings.json');
    assert.ok(!text.includes(PASSWORD), 'the password is not in .vscode/settings.json');

    // The stored password is what lets the role in (scram-sha-256 for every role but postgres).
    const outcome = await test('local (dev)');
    assert.equal(outcome?.status, 'connected', JSON.stringify(outcome));
    if (outcome?.status === 'connected') {
      const admin = new Client({ connectionString: postgresUrl() });
      await admin.connect();
      const version = (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v;
      await admin.end();
      assert.equal(outcome.serverVersion, version);
      assert.ok(outcome.roundTripMs > 0 && outcome.roundTripMs < 5000, `round trip ${outcome.roundTripMs} ms`);
    }
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('shows development, staging and production profiles in the Databases view', async function () {
    const base = { host: server.hostname, port: Number(server.port), database: 'postgres', user: ROLE };
    await useProfiles([
      ...profiles(),
      { name: 'staging', ...base, database: 'erp_staging', environment: 'staging' },
      { name: 'production', ...base, host: 'db.internal.example', database: 'erp', environment: 'production', readOnly: true },
    ], 'three profiles');
    await vscode.commands.executeCommand('workbench.view.extension.pgdrift');
    await vscode.commands.executeCommand('notifications.clearAll');
    const shot = await screenshot('databases-view-three-environments', { settleMs: 1000 });
    if (shot) assert.ok(readFileSync(shot).length > 10_000, 'the screenshot has content');
  });

  it('copies the URL without the password', async function () {
    await vscode.commands.executeCommand('pgdrift.copyProfileUrl', 'local (dev)');
    const url = await vscode.env.clipboard.readText();
    assert.equal(url, `postgres://${ROLE}@${server.hostname}:${server.port}/postgres`);
    assert.ok(!url.includes(encodeURIComponent(PASSWORD)) && !url.includes(PASSWORD));
  });

  it('a wrong password says so, offers to edit the profile, and leaves no connection open', async function () {
    const base = profiles().find((p) => p.name === 'local (dev)');
    assert.ok(base);
    await setProfiles([...profiles(), { ...base, name: 'no secret' }]);
    // "no secret" has no password stored (a deleted secret looks the same).
    const missing = await test('no secret');
    assert.equal(missing?.status, 'failed');
    if (missing?.status === 'failed') {
      assert.match(missing.message, /password/i);
      assert.equal(missing.fix, 'edit-profile');
      assert.ok(!missing.message.includes(PASSWORD));
    }
    const admin = new Client({ connectionString: postgresUrl() });
    await admin.connect();
    try {
      // A wrong password: the role's password changes under the stored one.
      await admin.query(`ALTER ROLE ${ROLE} PASSWORD 'changed elsewhere'`);
      const wrong = await test('local (dev)');
      assert.equal(wrong?.status, 'failed');
      if (wrong?.status === 'failed') {
        assert.equal(wrong.code, 'authentication-failed');
        assert.match(wrong.message, new RegExp(`password authentication failed for user "${ROLE}"`));
        assert.equal(wrong.fix, 'edit-profile');
        assert.ok(!wrong.message.includes(PASSWORD));
      }
      await screenshot('test-connection-wrong-password', { settleMs: 800 });
      const open = await admin.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'pgdrift'");
      assert.equal(Number(open.rows[0]?.n), 0, 'no pgdrift connection stays open');
    } finally {
      await admin.query(`ALTER ROLE ${ROLE} PASSWORD '${PASSWORD}'`);
      await admin.end();
    }
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('an unknown host and an unset variable say what failed', async function () {
    const base = profiles().find((p) => p.name === 'local (dev)');
    assert.ok(base);
    await setProfiles([
      ...profiles(),
      { ...base, name: 'nowhere', host: 'no-such-host.invalid' },
      { ...base, name: 'from env', host: '${env:PGDRIFT_TEST_UNSET_HOST}' },
    ]);
    const nowhere = await test('nowhere');
    assert.equal(nowhere?.status, 'failed');
    if (nowhere?.status === 'failed') {
      assert.equal(nowhere.code, 'host-unreachable');
      assert.match(nowhere.message, /no-such-host\.invalid/);
      assert.equal(nowhere.fix, 'edit-profile');
    }
    const unset = await test('from env');
    assert.equal(unset?.status, 'failed');
    if (unset?.status === 'failed') {
      assert.match(unset.message, /PGDRIFT_TEST_UNSET_HOST.*not set/);
      assert.equal(unset.fix, 'edit-profile');
    }
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
