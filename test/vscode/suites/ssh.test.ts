/**
 * SSH tunnels in the real VS Code: a private OpenSSH server (test/support/sshd.ts) started from
 * inside the extension host, a profile that reaches the suites' PostgreSQL through it, and the
 * bastion's host key as the user meets it: unknown at first (a modal shows the fingerprint; "Trust
 * and Connect" answered with the keyboard records it in known_hosts), known afterwards (no
 * question), changed (a hard error, never a question), and refused (nothing stays open).
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ownSockets, sshdAvailable, SSHD_PATH, startSshd, type TestSshd } from '../../support/sshd';
import { EXTENSION_ID, keys, postgresUrl, screenshot } from '../harness';
import { pgdriftSessions, setProfiles, useProfiles, type TestOutcome } from '../workspace';


const PROFILE = 'through the bastion';

const test = () => vscode.commands.executeCommand<TestOutcome>('pgdrift.testConnection', PROFILE);

/** The modal is shown only once the bastion presented its key: give the workbench time to draw it. */
const PROMPT_MS = 2500;

/**
 * A test connection that must not ask anything: resolves with its outcome, or fails (pressing
 * Escape to close whatever question is open) when it is still waiting after `timeoutMs`.
 */
async function testWithoutPrompt(timeoutMs = 15_000): Promise<TestOutcome | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const waiting = new Promise<'waiting'>((resolve) => {
    timer = setTimeout(() => resolve('waiting'), timeoutMs);
  });
  const running = test();
  const result = await Promise.race([running, waiting]);
  clearTimeout(timer);
  if (result === 'waiting') {
    await keys({ press: 'Escape' });
    await running.then(undefined, () => undefined);
    assert.fail(`Test Connection was still waiting after ${timeoutMs / 1000} s: was a question shown?`);
  }
  return result;
}


describe('pgdrift in VS Code: SSH tunnels and the bastion host key', function () {
  this.timeout(120_000);
  const server = new URL(postgresUrl());
  let sshd: TestSshd | undefined;
  let knownHosts = '';
  /** The `type base64` part of the bastion's host key. */
  let hostKey = '';

  before(async function () {
    // CI installs openssh-server (scripts/setup.sh); without it this suite cannot say anything.
    assert.ok(sshdAvailable, `${SSHD_PATH} not found: install Debian's openssh-server (scripts/setup.sh does) to run the SSH suite`);
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    sshd = await startSshd();
    knownHosts = join(sshd.dir, 'known_hosts');
    writeFileSync(knownHosts, '', { mode: 0o600 });
    hostKey = sshd.hostKeyLine.split(' ').slice(0, 2).join(' ');
    await useProfiles([{
      name: PROFILE,
      // As the bastion sees the database: the same machine.
      host: '127.0.0.1',
      port: Number(server.port),
      database: 'postgres',
      user: 'postgres',
      environment: 'development',
      ssh: { host: sshd.host, port: sshd.port, user: sshd.user, privateKeyFile: sshd.plainKey.file, knownHostsFile: knownHosts },
    }], 'the SSH profile in the settings');
    await vscode.commands.executeCommand('workbench.view.extension.pgdrift');
  });

  afterEach(async function () {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(async function () {
    await setProfiles(undefined);
    await sshd?.stop();
  });

  it('asks about an unknown bastion key; "Trust and Connect" records it in known_hosts and connects', async function () {
    const running = test();
    await keys({ waitMs: PROMPT_MS });
    await screenshot('ssh-unknown-host-key-prompt', { settleMs: 300 });
    // The dialog opens with its primary button ("Trust and Connect") focused.
    await keys({ press: 'Enter' });
    const outcome = await running;
    assert.equal(outcome?.status, 'connected', JSON.stringify(outcome));
    const lines = readFileSync(knownHosts, 'utf8').split('\n').filter(Boolean);
    assert.deepEqual(lines, [`[127.0.0.1]:${sshd!.port} ${hostKey}`], 'known_hosts holds the trusted key');
  });

  it('connects without asking once the key is known', async function () {
    const outcome = await testWithoutPrompt();
    assert.equal(outcome?.status, 'connected', JSON.stringify(outcome));
    assert.equal(await sshd!.waitForNoSessions(), 0, 'the tunnel of a test connection is closed');
  });

  it('a different key for the bastion in known_hosts is a host-key error, never a question', async function () {
    const stranger = sshd!.strangerKey.publicLine.split(' ').slice(0, 2).join(' ');
    writeFileSync(knownHosts, `[127.0.0.1]:${sshd!.port} ${stranger}\n`);
    const outcome = await testWithoutPrompt();
    assert.equal(outcome?.status, 'failed', JSON.stringify(outcome));
    if (outcome?.status === 'failed') {
      assert.equal(outcome.code, 'ssh-host-key', outcome.message);
      assert.match(outcome.message, /has changed/);
      assert.match(outcome.message, /man-in-the-middle/);
      assert.ok(outcome.fix === undefined || outcome.fix === 'edit-profile', `fix: ${outcome.fix}`);
    }
    await screenshot('ssh-host-key-changed-error', { settleMs: 800 });
    assert.equal(await sshd!.waitForNoSessions(), 0, 'no SSH session stays open');
    assert.equal(readFileSync(knownHosts, 'utf8'), `[127.0.0.1]:${sshd!.port} ${stranger}\n`, 'known_hosts is left as it was');
  });

  it('refusing the unknown key (Escape) fails and leaves nothing open', async function () {
    writeFileSync(knownHosts, '');
    const running = test();
    await keys({ waitMs: PROMPT_MS }, { press: 'Escape' });
    const outcome = await running;
    assert.equal(outcome?.status, 'failed', JSON.stringify(outcome));
    if (outcome?.status === 'failed') {
      assert.equal(outcome.code, 'ssh-host-key', outcome.message);
      assert.match(outcome.message, /not trusted/);
    }
    assert.equal(readFileSync(knownHosts, 'utf8'), '', 'nothing was added to known_hosts');
    assert.equal(await sshd!.waitForNoSessions(), 0, 'sshd serves no session');
    assert.equal(ownSockets().connectedTo(sshd!.port), 0, 'the extension host holds no SSH connection');
    assert.equal(await pgdriftSessions(), 0, 'no pgdrift session on the database');
  });
});
