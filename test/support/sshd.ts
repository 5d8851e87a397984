/**
 * A private OpenSSH server for the tunnel tests: `/usr/sbin/sshd -D -e` on a free loopback port
 * with a fresh host key, keys-only authentication for the current user (root in CI), and
 * everything (keys, config, authorized_keys, pid file) in a temporary folder removed by stop().
 * Also client keys (plain, passphrase-protected, and one the server does not know), an ssh-agent
 * on demand, and what the tests need to check that nothing is left open: the server's sessions
 * and this process's own TCP sockets.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const SSHD_PATH = '/usr/sbin/sshd';
export const sshdAvailable = existsSync(SSHD_PATH);

const run = promisify(execFile);

export interface ClientKey {
  file: string;
  /** The public key line (`ssh-ed25519 AAAA… comment`). */
  publicLine: string;
}

export interface TestAgent {
  socket: string;
  stop(): Promise<void>;
}

export interface TestSshd {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  /** The temporary folder holding everything; tests may write their own files here. */
  readonly dir: string;
  /** The server's host key as `ssh-keygen -lf` prints it ("SHA256:…") and its public line. */
  readonly hostKeyFingerprint: string;
  readonly hostKeyLine: string;
  /** Authorized client keys and one that is not. */
  readonly plainKey: ClientKey;
  readonly encryptedKey: ClientKey;
  readonly passphrase: string;
  readonly strangerKey: ClientKey;
  /** Connections the server is serving now (its child processes). */
  sessionCount(): number;
  /** Waits until the server serves no connection (child processes exit shortly after a client leaves). */
  waitForNoSessions(timeoutMs?: number): Promise<number>;
  /** Kills the processes serving current connections, as a dropped network would end them. */
  killSessions(): void;
  startAgent(keys: ClientKey[]): Promise<TestAgent>;
  stop(): Promise<void>;
}

export async function generateKey(file: string, type: 'ed25519' | 'ecdsa', passphrase = ''): Promise<ClientKey> {
  await run('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-C', `pgdrift-test-${type}`, '-f', file]);
  return { file, publicLine: readFileSync(`${file}.pub`, 'utf8').trim() };
}

export async function fingerprintOfKeyFile(file: string): Promise<string> {
  const { stdout } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', file]);
  const fingerprint = stdout.split(/\s+/)[1];
  if (!fingerprint?.startsWith('SHA256:')) throw new Error(`ssh-keygen -lf ${file} printed ${stdout}`);
  return fingerprint;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A loopback port nothing listens on (free at the time of the call). */
export const closedPort = freePort;

export async function startSshd(): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'pgdrift-sshd-'));
  const children: ChildProcess[] = [];
  try {
    // sshd refuses to start without its privilege separation directory.
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const hostKeyFile = join(dir, 'ssh_host_ed25519_key');
    const passphrase = 'correct horse battery staple';
    const [hostKey, plainKey, encryptedKey, strangerKey] = await Promise.all([
      generateKey(hostKeyFile, 'ed25519'),
      generateKey(join(dir, 'client_plain'), 'ed25519'),
      generateKey(join(dir, 'client_encrypted'), 'ed25519', passphrase),
      generateKey(join(dir, 'client_stranger'), 'ed25519'),
    ]);
    const authorizedKeys = join(dir, 'authorized_keys');
    writeFileSync(authorizedKeys, `${plainKey.publicLine}\n${encryptedKey.publicLine}\n`, { mode: 0o600 });
    const user = userInfo().username;
    const port = await freePort();
    const config = join(dir, 'sshd_config');
    writeFileSync(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKeyFile}`,
        `AuthorizedKeysFile ${authorizedKeys}`,
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'PermitRootLogin prohibit-password',
        'StrictModes no',
        'AllowTcpForwarding yes',
        `AllowUsers ${user}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        'MaxStartups 50',
        'LogLevel VERBOSE',
        '',
      ].join('\n'),
    );
    const sshd = spawn(SSHD_PATH, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(sshd);
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sshd did not start within 10 s:\n${log}`)), 10_000);
      sshd.stderr?.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (/Server listening on 127\.0\.0\.1 port/.test(log)) {
          clearTimeout(timer);
          resolve();
        }
      });
      sshd.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`sshd exited with ${code}:\n${log}`));
      });
    });
    // Keep reading its log so the pipe never fills and blocks the server.
    sshd.stderr?.on('data', () => undefined);
    const sshdPid = sshd.pid ?? 0;
    const hostKeyFingerprint = await fingerprintOfKeyFile(`${hostKeyFile}.pub`);

    const sessions = () => childrenOf(sshdPid);
    return {
      host: '127.0.0.1',
      port,
      user,
      dir,
      hostKeyFingerprint,
      hostKeyLine: hostKey.publicLine,
      plainKey,
      encryptedKey,
      passphrase,
      strangerKey,
      sessionCount: () => sessions().length,
      async waitForNoSessions(timeoutMs = 5_000) {
        const until = Date.now() + timeoutMs;
        while (sessions().length > 0 && Date.now() < until) await sleep(50);
        return sessions().length;
      },
      killSessions() {
        for (const pid of sessions()) process.kill(pid, 'SIGKILL');
      },
      async startAgent(keys) {
        const socket = join(dir, `agent-${children.length}.sock`);
        const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
        children.push(agent);
        const until = Date.now() + 5_000;
        while (!existsSync(socket) && Date.now() < until) await sleep(20);
        if (!existsSync(socket)) throw new Error('ssh-agent did not create its socket within 5 s');
        for (const key of keys) await run('ssh-add', ['-q', key.file], { env: { ...process.env, SSH_AUTH_SOCK: socket }, timeout: 10_000 });
        return { socket, stop: () => stopChild(agent) };
      },
      async stop() {
        for (const pid of sessions()) process.kill(pid, 'SIGKILL');
        await Promise.all(children.map(stopChild));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(children.map(stopChild));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Process ids whose parent is `pid` (from /proc/<id>/stat; the name field may hold spaces). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

export interface OwnSockets {
  /** Ports this process listens on (TCP, IPv4 and IPv6). */
  listening: number[];
  /** Established connections of this process to this remote port. */
  connectedTo(port: number): number;
}

/** This process's TCP sockets, from its file descriptors and /proc/net/tcp{,6}. */
export function ownSockets(): OwnSockets {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // closed while listing
    }
  }
  const rows: { local: number; remote: number; state: string }[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || !inodes.has(f[9] ?? '')) continue;
      const portOf = (address: string | undefined) => parseInt(address?.split(':')[1] ?? '0', 16);
      rows.push({ local: portOf(f[1]), remote: portOf(f[2]), state: f[3] ?? '' });
    }
  }
  return {
    listening: rows.filter((r) => r.state === '0A').map((r) => r.local),
    connectedTo: (port) => rows.filter((r) => r.state === '01' && r.remote === port).length,
  };
}
