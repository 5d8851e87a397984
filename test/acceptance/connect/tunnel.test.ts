// SSH tunnels against a real OpenSSH server (test/support/sshd.ts) and a real PostgreSQL behind it:
// every way in (key file, key with passphrase, agent), every way the bastion's host key is checked
// (pinned fingerprint, known_hosts plain, listed and hashed, unknown with and without the hook), the
// ways it fails, and that nothing stays open afterwards: no local listening port, no connection to
// sshd, no session on the server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openTunnel, type Tunnel, type TunnelHooks } from '../../../src/core/connect/tunnel';
import type { ProfileSecrets, SshSettings } from '../../../src/core/connect/profile';
import { connectPg } from '../../../src/core/db/pgConnection';
import { isPgdriftError, type ErrorCode, type PgdriftError } from '../../../src/core/errors';
import { databaseOn, servers, type TestDatabase } from '../../support/servers';
import { closedPort, generateKey, ownSockets, SSHD_PATH, sshdAvailable, startSshd, type TestSshd } from '../../support/sshd';

const run = promisify(execFile);

function without<K extends keyof SshSettings>(ssh: SshSettings, key: K): SshSettings {
  const copy = { ...ssh };
  delete copy[key];
  return copy;
}

const suite = sshdAvailable ? describe : describe.skip;
const title = sshdAvailable
  ? 'SSH tunnels (real sshd, real PostgreSQL)'
  : `SSH tunnels: SKIPPED, ${SSHD_PATH} is missing (apt-get install openssh-server; scripts/setup.sh installs it)`;
if (!sshdAvailable) console.warn(`tunnel tests skipped: ${SSHD_PATH} is missing`);

suite(title, function () {
  this.timeout(60_000);
  let sshd: TestSshd;
  let db: TestDatabase;
  let baselineListening: number[];
  let savedAgent: string | undefined;
  let fileCounter = 0;
  const server = servers[0];

  before(async function () {
    this.timeout(180_000);
    if (!server) throw new Error('no PostgreSQL server configured');
    [sshd, db] = await Promise.all([startSshd(), databaseOn(server)]);
  });
  after(async () => {
    await db?.drop();
    await sshd?.stop();
  });
  beforeEach(() => {
    // The agent is used only where a test says so, whatever the developer's shell has.
    savedAgent = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    baselineListening = ownSockets().listening;
  });
  afterEach(() => {
    if (savedAgent === undefined) delete process.env.SSH_AUTH_SOCK;
    else process.env.SSH_AUTH_SOCK = savedAgent;
  });

  const destination = () => ({ host: db.target.host, port: db.target.port });
  const knownHostsName = () => `[127.0.0.1]:${sshd.port}`;
  const tempFile = (name: string) => join(sshd.dir, `${name}-${++fileCounter}`);

  function settings(overrides: Partial<SshSettings> = {}): SshSettings {
    return {
      host: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      privateKeyFile: sshd.plainKey.file,
      hostKeyFingerprint: sshd.hostKeyFingerprint,
      ...overrides,
    };
  }

  async function selectOne(tunnel: Tunnel): Promise<number> {
    const conn = await connectPg({ ...db.target, host: tunnel.localHost, port: tunnel.localPort });
    try {
      const { rows } = await conn.query<{ one: number }>('select 1 as one');
      return rows[0]?.one ?? 0;
    } finally {
      await conn.close();
    }
  }

  async function failure(promise: Promise<unknown>, code: ErrorCode, ...patterns: RegExp[]): Promise<PgdriftError> {
    const error = await promise.then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(isPgdriftError(error), `not a PgdriftError: ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.ok(error.message.includes(`${sshd.user}@127.0.0.1:`), `message does not name the bastion: ${error.message}`);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return error;
  }

  /** No local port left listening, no TCP connection to sshd, no session on the server. */
  async function assertNothingOpen(tunnel?: Tunnel): Promise<void> {
    if (tunnel) assert.ok(!ownSockets().listening.includes(tunnel.localPort), `port ${tunnel.localPort} still listens`);
    assert.deepEqual(ownSockets().listening.sort(), [...baselineListening].sort(), 'listening ports differ from before the test');
    assert.equal(ownSockets().connectedTo(sshd.port), 0, 'a connection to sshd is still open');
    assert.equal(await sshd.waitForNoSessions(), 0, 'sshd still serves a session');
  }

  async function through(ssh: SshSettings, secrets: ProfileSecrets = {}, hooks?: TunnelHooks): Promise<void> {
    const tunnel = await openTunnel(ssh, secrets, destination(), hooks);
    try {
      assert.equal(tunnel.localHost, '127.0.0.1');
      assert.equal(await selectOne(tunnel), 1);
    } finally {
      await tunnel.close();
    }
    await assertNothingOpen(tunnel);
  }

  describe('authentication', () => {
    it('with a key file: PostgreSQL answers through the tunnel; close() leaves nothing open', async () => {
      await through(settings());
    });

    it('with a passphrase-protected key and its passphrase', async () => {
      await through(settings({ privateKeyFile: sshd.encryptedKey.file }), { sshPassphrase: sshd.passphrase });
    });

    it('with the SSH agent (no key file)', async () => {
      const agent = await sshd.startAgent([sshd.plainKey]);
      try {
        process.env.SSH_AUTH_SOCK = agent.socket;
        const noKey = without(settings(), 'privateKeyFile');
        await through(noKey);
      } finally {
        await agent.stop();
      }
    });

    it('with useAgent, an encrypted key without its passphrase is left to the agent', async () => {
      const agent = await sshd.startAgent([sshd.plainKey]);
      try {
        process.env.SSH_AUTH_SOCK = agent.socket;
        await through(settings({ privateKeyFile: sshd.encryptedKey.file, useAgent: true }));
      } finally {
        await agent.stop();
      }
    });

    it('a key the bastion does not know: authentication failure naming the bastion and what to check', async () => {
      await failure(openTunnel(settings({ privateKeyFile: sshd.strangerKey.file }), {}, destination()), 'ssh-auth-failed', /authentication failed/, /authorized_keys/);
      await assertNothingOpen();
    });

    it('an encrypted key without its passphrase: says to set it', async () => {
      await failure(openTunnel(settings({ privateKeyFile: sshd.encryptedKey.file }), {}, destination()), 'ssh-auth-failed', /the key is encrypted: set its passphrase/);
      await assertNothingOpen();
    });

    it('a wrong passphrase: says so, and never shows it', async () => {
      const wrong = 'wrong horse battery staple';
      const error = await failure(
        openTunnel(settings({ privateKeyFile: sshd.encryptedKey.file }), { sshPassphrase: wrong }, destination()),
        'ssh-auth-failed',
        /wrong passphrase/,
      );
      assert.ok(!error.message.includes(wrong) && !error.message.includes(sshd.passphrase));
      await assertNothingOpen();
    });

    it('a key file that does not exist', async () => {
      await failure(openTunnel(settings({ privateKeyFile: join(sshd.dir, 'nope') }), {}, destination()), 'ssh-auth-failed', /does not exist/);
      await assertNothingOpen();
    });

    it('no key file and no agent', async () => {
      const noKey = without(settings(), 'privateKeyFile');
      await failure(openTunnel(noKey, {}, destination()), 'ssh-auth-failed', /SSH_AUTH_SOCK is not set/);
    });

    it('no message carries key material', async () => {
      const key = readFileSync(sshd.encryptedKey.file, 'utf8').split('\n')[1] ?? '';
      const error = await failure(openTunnel(settings({ privateKeyFile: sshd.encryptedKey.file }), {}, destination()), 'ssh-auth-failed');
      assert.ok(key.length > 20 && !error.message.includes(key.slice(0, 20)));
    });
  });

  describe('host key pinned by fingerprint', () => {
    it('the right fingerprint connects (with or without base64 padding)', async () => {
      await through(settings({ hostKeyFingerprint: `${sshd.hostKeyFingerprint}=` }));
    });

    it('another fingerprint is a hard error naming both keys and a possible man-in-the-middle', async () => {
      const other = join(sshd.dir, 'client_stranger.pub');
      const { stdout } = await run('ssh-keygen', ['-lf', other]);
      const wrong = stdout.split(/\s+/)[1] ?? '';
      const error = await failure(openTunnel(settings({ hostKeyFingerprint: wrong }), {}, destination()), 'ssh-host-key', /man-in-the-middle/, /hostKeyFingerprint/);
      assert.ok(error.message.includes(sshd.hostKeyFingerprint) && error.message.includes(wrong));
      await assertNothingOpen();
    });

    it('a malformed fingerprint is a usage error', async () => {
      await failure(openTunnel(settings({ hostKeyFingerprint: 'MD5:12:34' }), {}, destination()), 'usage', /SHA256/);
    });
  });

  describe('host key from known_hosts', () => {
    const noPrompt: TunnelHooks = {
      confirmUnknownHostKey: () => Promise.reject(new Error('the hook must not be asked')),
    };
    const knownHostsWith = (content: string) => {
      const file = tempFile('known_hosts');
      writeFileSync(file, content);
      return file;
    };
    const fromKnownHosts = (file: string, overrides: Partial<SshSettings> = {}) => {
      return { ...without(settings(overrides), 'hostKeyFingerprint'), knownHostsFile: file };
    };

    it('a plain [host]:port entry', async () => {
      const file = knownHostsWith(`# comment\nsomewhere.example ${sshd.strangerKey.publicLine}\n${knownHostsName()} ${sshd.hostKeyLine}\n`);
      await through(fromKnownHosts(file), {}, noPrompt);
    });

    it('an entry in a comma list', async () => {
      const file = knownHostsWith(`bastion.example,${knownHostsName()},10.0.0.1 ${sshd.hostKeyLine}\n`);
      await through(fromKnownHosts(file), {}, noPrompt);
    });

    it('a hashed entry (ssh-keygen -H)', async () => {
      const file = knownHostsWith(`${knownHostsName()} ${sshd.hostKeyLine}\n`);
      await run('ssh-keygen', ['-H', '-f', file]);
      const hashed = readFileSync(file, 'utf8');
      assert.match(hashed, /^\|1\|/);
      assert.ok(!hashed.includes('127.0.0.1'));
      await through(fromKnownHosts(file), {}, noPrompt);
    });

    it('a different key of the same type for the host: hard error, the hook is not asked', async () => {
      const file = knownHostsWith(`${knownHostsName()} ${sshd.strangerKey.publicLine}\n`);
      await failure(openTunnel(fromKnownHosts(file), {}, destination(), noPrompt), 'ssh-host-key', /man-in-the-middle/, /ssh-keygen -R/, /line 1/);
      await assertNothingOpen();
    });

    it('a key of another type for the host: hard error', async () => {
      const ecdsa = await generateKey(tempFile('ecdsa'), 'ecdsa');
      const file = knownHostsWith(`${knownHostsName()} ${ecdsa.publicLine}\n`);
      await failure(openTunnel(fromKnownHosts(file), {}, destination(), noPrompt), 'ssh-host-key', /man-in-the-middle/, /ecdsa-sha2-nistp256/);
      await assertNothingOpen();
    });

    it('a hashed entry with a different key: hard error', async () => {
      const file = knownHostsWith(`${knownHostsName()} ${sshd.strangerKey.publicLine}\n`);
      await run('ssh-keygen', ['-H', '-f', file]);
      await failure(openTunnel(fromKnownHosts(file), {}, destination(), noPrompt), 'ssh-host-key', /man-in-the-middle/);
    });

    it('an entry for the host on port 22 only does not vouch for another port', async () => {
      const file = knownHostsWith(`127.0.0.1 ${sshd.hostKeyLine}\n`);
      await failure(openTunnel(fromKnownHosts(file), {}, destination()), 'ssh-host-key', /not known/);
    });

    it('unknown key, the hook accepts: connects and appends the key to known_hosts', async () => {
      const file = tempFile('missing-known_hosts');
      const asked: unknown[] = [];
      await through(fromKnownHosts(file), {}, {
        confirmUnknownHostKey: (info) => {
          asked.push(info);
          return Promise.resolve(true);
        },
      });
      assert.deepEqual(asked, [{ host: '127.0.0.1', port: sshd.port, keyType: 'ssh-ed25519', fingerprint: sshd.hostKeyFingerprint }]);
      const recorded = readFileSync(file, 'utf8');
      assert.equal(recorded, `${knownHostsName()} ${sshd.hostKeyLine.split(' ').slice(0, 2).join(' ')}\n`);
      // OpenSSH reads the line we wrote and recognises the host.
      const { stdout } = await run('ssh-keygen', ['-F', knownHostsName(), '-f', file]);
      assert.match(stdout, /ssh-ed25519/);
      // The next connection finds it there and asks no one.
      await through(fromKnownHosts(file), {}, noPrompt);
    });

    it('unknown key, the hook refuses: error, nothing recorded, nothing open', async () => {
      const file = knownHostsWith('');
      await failure(openTunnel(fromKnownHosts(file), {}, destination(), { confirmUnknownHostKey: () => Promise.resolve(false) }), 'ssh-host-key', /not trusted/);
      assert.equal(readFileSync(file, 'utf8'), '');
      await assertNothingOpen();
    });

    it('unknown key without a hook (CLI): the error shows the fingerprint to configure', async () => {
      const file = knownHostsWith(`otherhost ${sshd.hostKeyLine}\n`);
      const error = await failure(openTunnel(fromKnownHosts(file), {}, destination()), 'ssh-host-key', /not known/, /hostKeyFingerprint/);
      assert.ok(error.message.includes(sshd.hostKeyFingerprint), error.message);
      await assertNothingOpen();
    });
  });

  describe('failures around the tunnel', () => {
    it('bastion unreachable (nothing listens on the port)', async () => {
      const port = await closedPort();
      await failure(openTunnel(settings({ port }), {}, destination()), 'ssh-failed', /connection refused/, new RegExp(`:${port}\\b`));
      await assertNothingOpen();
    });

    it('destination port closed: PostgreSQL connect fails, lastError says why, the tunnel stays usable and closes', async () => {
      const port = await closedPort();
      const tunnel = await openTunnel(settings(), {}, { host: '127.0.0.1', port });
      try {
        await assert.rejects(connectPg({ ...db.target, host: tunnel.localHost, port: tunnel.localPort }), (e: unknown) => isPgdriftError(e));
        const reason = tunnel.lastError();
        assert.ok(reason, 'lastError() is empty');
        assert.equal(reason.code, 'ssh-failed');
        assert.match(reason.message, new RegExp(`could not open a connection to 127\\.0\\.0\\.1:${port}`));
        assert.match(reason.message, /is the database running there/);
        // The SSH connection survived the refused channel: the local port still accepts and forwards.
        assert.equal(sshd.sessionCount(), 1);
        assert.ok(ownSockets().listening.includes(tunnel.localPort));
        await assert.rejects(connectPg({ ...db.target, host: tunnel.localHost, port: tunnel.localPort }));
      } finally {
        await tunnel.close();
      }
      await assertNothingOpen(tunnel);
    });

    it('close() ends connections open through the tunnel', async () => {
      const tunnel = await openTunnel(settings(), {}, destination());
      const conn = await connectPg({ ...db.target, host: tunnel.localHost, port: tunnel.localPort });
      try {
        await tunnel.close();
        await assert.rejects(conn.query('select 1'));
      } finally {
        await conn.close();
      }
      await tunnel.close();
      await assertNothingOpen(tunnel);
    });

    it('the SSH connection drops: the local port closes, new connections fail fast, lastError says why', async () => {
      const tunnel = await openTunnel(settings(), {}, destination());
      try {
        assert.equal(await selectOne(tunnel), 1);
        sshd.killSessions();
        const until = Date.now() + 10_000;
        while (ownSockets().listening.includes(tunnel.localPort) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
        assert.ok(!ownSockets().listening.includes(tunnel.localPort), 'the local port still listens after the drop');
        assert.match(tunnel.lastError()?.message ?? '', /SSH connection to bastion .* (dropped|failed)/);
        const started = Date.now();
        await assert.rejects(connectPg({ ...db.target, host: tunnel.localHost, port: tunnel.localPort }), (e: unknown) => isPgdriftError(e) && e.code === 'connection-refused');
        assert.ok(Date.now() - started < 2_000, 'connecting after the drop took more than 2 s');
      } finally {
        await tunnel.close();
      }
      await assertNothingOpen(tunnel);
    });
  });
});
