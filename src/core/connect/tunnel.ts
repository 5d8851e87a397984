/**
 * An SSH tunnel to a database through a bastion: a local TCP port on 127.0.0.1 whose connections
 * the bastion forwards to the database's host and port (`ssh -L`). The bastion's host key is
 * verified before anything is sent: against the profile's pinned fingerprint if it has one, else
 * against known_hosts, where a different key for the host is a hard error (possible
 * man-in-the-middle) and an unknown key is trusted only when the caller's hook says so.
 */
import { constants as fsConstants } from 'node:fs';
import { access, appendFile, mkdir, readFile, stat } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client, utils, type ClientChannel, type ConnectConfig } from 'ssh2';
import { PgdriftError, messageOf } from '../errors';
import { fingerprintOf, keysForHost, keyTypeOf, knownHostsLine, knownHostsName, sameFingerprint } from './knownHosts';
import type { ProfileSecrets, SshSettings } from './profile';

export interface TunnelHooks {
  /** Called when the bastion's key is not in known_hosts and no fingerprint is configured: the
   *  extension asks the user; return true to trust it (it is then appended to known_hosts), false to refuse.
   *  Without this hook (CLI), an unknown key is an error that prints the fingerprint to configure. */
  confirmUnknownHostKey?(info: { host: string; port: number; keyType: string; fingerprint: string }): Promise<boolean>;
}

export interface Tunnel {
  readonly localHost: '127.0.0.1';
  readonly localPort: number;
  /** Ends the local server, every forwarded connection and the SSH connection; resolves when all are closed. */
  close(): Promise<void>;
  /**
   * Why the last forwarded connection failed (the bastion could not reach the destination) or why
   * the tunnel stopped (the SSH connection dropped). A database client connecting through the
   * tunnel sees only a closed socket in those cases; this says what happened and what to do.
   */
  lastError(): PgdriftError | undefined;
}

export interface TunnelOptions {
  /** How long the SSH connection, handshake and authentication may take. Default 20 s. */
  readyTimeoutMs?: number;
}

const DEFAULT_READY_TIMEOUT_MS = 20_000;
const DEFAULT_SSH_PORT = 22;

/** ssh2's host key algorithms, strongest first (ssh-dss left out, as OpenSSH does). */
const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
] as const;
type HostKeyAlgorithm = (typeof HOST_KEY_ALGORITHMS)[number];

interface Bastion {
  host: string;
  port: number;
  user: string;
  /** `user@host:port`, the way every message names the bastion. */
  where: string;
}

type HostKeyVerdict =
  | { kind: 'trusted' }
  | { kind: 'rejected'; error: PgdriftError }
  | { kind: 'unknown'; keyType: string; fingerprint: string; blob: Buffer };

type HostKeyCheck = (blob: Buffer) => HostKeyVerdict;

interface HostKeyPolicy {
  check: HostKeyCheck;
  /** Host key algorithms in the order to offer them: the types known_hosts already holds first. */
  algorithms: HostKeyAlgorithm[];
  knownHostsFile: string;
}

interface Auth {
  config: Pick<ConnectConfig, 'privateKey' | 'passphrase' | 'agent'>;
  /** "the key /path", "the SSH agent's keys", for the message when the bastion refuses them. */
  describe: string;
}

export async function openTunnel(
  ssh: SshSettings,
  secrets: ProfileSecrets,
  destination: { host: string; port: number },
  hooks?: TunnelHooks,
  options?: TunnelOptions,
): Promise<Tunnel> {
  const port = ssh.port ?? DEFAULT_SSH_PORT;
  const bastion: Bastion = { host: ssh.host, port, user: ssh.user, where: `${ssh.user}@${ssh.host}:${port}` };
  const readyTimeoutMs = options?.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const auth = await authentication(ssh, secrets, bastion);
  const policy = await hostKeyPolicy(ssh, bastion);

  let outcome = await connectSsh(bastion, auth, policy.check, policy.algorithms, readyTimeoutMs, secrets);
  if ('unknown' in outcome) {
    const { keyType, fingerprint, blob } = outcome.unknown;
    if (!hooks?.confirmUnknownHostKey) {
      throw new PgdriftError(
        'ssh-host-key',
        `the SSH host key of bastion ${bastion.where} is not known: ${keyType} ${fingerprint}. ` +
          `Check this fingerprint with the bastion's administrator (ssh-keygen -lf on the host key file), then set ` +
          `the profile's hostKeyFingerprint to "${fingerprint}" or add the key to ${policy.knownHostsFile}`,
      );
    }
    // The user may take longer to answer than the server's login grace time, so the connection
    // that met the key is closed; after the answer a new one accepts exactly the key shown.
    const trusted = await hooks.confirmUnknownHostKey({ host: bastion.host, port: bastion.port, keyType, fingerprint });
    if (!trusted) {
      throw new PgdriftError(
        'ssh-host-key',
        `the SSH host key of bastion ${bastion.where} (${keyType} ${fingerprint}) was not trusted: no connection made`,
      );
    }
    await appendKnownHost(policy.knownHostsFile, bastion, blob);
    const exactly: HostKeyCheck = (presented) =>
      presented.equals(blob) ? { kind: 'trusted' } : { kind: 'rejected', error: changedKeyError(bastion, presented, `the key just trusted (${fingerprint})`) };
    outcome = await connectSsh(bastion, auth, exactly, policy.algorithms, readyTimeoutMs, secrets);
    if ('unknown' in outcome) throw new PgdriftError('internal', `host key check of ${bastion.where} gave no verdict`);
  }
  return startForwarding(outcome.client, bastion, destination);
}

// ---------------------------------------------------------------------------------------------
// Authentication

async function authentication(ssh: SshSettings, secrets: ProfileSecrets, bastion: Bastion): Promise<Auth> {
  const agentSocket = process.env.SSH_AUTH_SOCK;
  const wantAgent = ssh.useAgent === true || ssh.privateKeyFile === undefined;
  if (wantAgent && !agentSocket) {
    throw new PgdriftError(
      'ssh-auth-failed',
      ssh.privateKeyFile === undefined
        ? `cannot authenticate to SSH bastion ${bastion.where}: the profile names no privateKeyFile and no SSH agent runs (SSH_AUTH_SOCK is not set); set privateKeyFile or start ssh-agent and ssh-add your key`
        : `cannot authenticate to SSH bastion ${bastion.where}: useAgent is set but no SSH agent runs (SSH_AUTH_SOCK is not set); start ssh-agent and ssh-add your key, or turn useAgent off`,
    );
  }
  if (wantAgent && agentSocket) {
    const usable = await stat(agentSocket).then((s) => s.isSocket(), () => false);
    if (!usable) {
      throw new PgdriftError(
        'ssh-auth-failed',
        `cannot authenticate to SSH bastion ${bastion.where}: SSH_AUTH_SOCK names ${agentSocket}, which is not a socket (is ssh-agent still running?)`,
      );
    }
  }

  const config: Auth['config'] = {};
  const described: string[] = [];
  if (wantAgent && agentSocket) {
    config.agent = agentSocket;
    described.push("the SSH agent's keys");
  }
  if (ssh.privateKeyFile !== undefined) {
    const file = expandHome(ssh.privateKeyFile);
    const key = await readPrivateKey(file, secrets.sshPassphrase, bastion, config.agent !== undefined);
    if (key) {
      config.privateKey = key;
      if (secrets.sshPassphrase !== undefined) config.passphrase = secrets.sshPassphrase;
      described.push(`the key ${file}`);
    }
  }
  return { config, describe: described.join(' and ') };
}

/**
 * Reads and decrypts the key before connecting, so a missing or wrong passphrase is reported as
 * such rather than as a refusal by the bastion. With the agent in use too, an encrypted key whose
 * passphrase is not given is left to the agent (which usually holds it) instead of failing.
 */
async function readPrivateKey(file: string, passphrase: string | undefined, bastion: Bastion, agentToo: boolean): Promise<Buffer | undefined> {
  const prefix = `cannot authenticate to SSH bastion ${bastion.where} with the key ${file}`;
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'ENOENT' ? 'the file does not exist' : code === 'EACCES' ? 'permission denied' : messageOf(error);
    throw new PgdriftError('ssh-auth-failed', `${prefix}: ${why} (check privateKeyFile)`, { cause: error });
  }
  const parsed = passphrase === undefined ? utils.parseKey(data) : utils.parseKey(data, passphrase);
  if (!(parsed instanceof Error)) return data;
  if (/no passphrase given/i.test(parsed.message)) {
    if (agentToo) return undefined;
    throw new PgdriftError('ssh-auth-failed', `${prefix}: the key is encrypted: set its passphrase`);
  }
  if (passphrase !== undefined && /passphrase|decrypt|integrity/i.test(parsed.message)) {
    throw new PgdriftError('ssh-auth-failed', `${prefix}: the passphrase does not decrypt the key (wrong passphrase?): set the right one`);
  }
  throw new PgdriftError(
    'ssh-auth-failed',
    `${prefix}: not a private key ssh2 can read (${parsed.message}); use an OpenSSH, PEM or PuTTY private key`,
  );
}

// ---------------------------------------------------------------------------------------------
// Host key verification

async function hostKeyPolicy(ssh: SshSettings, bastion: Bastion): Promise<HostKeyPolicy> {
  const knownHostsFile = expandHome(ssh.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts'));
  const pinned = ssh.hostKeyFingerprint;
  if (pinned !== undefined) {
    if (!/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(pinned.trim())) {
      throw new PgdriftError(
        'usage',
        `the hostKeyFingerprint of SSH bastion ${bastion.where} is not a SHA256 fingerprint: write it as ssh-keygen -lf prints it, "SHA256:" followed by 43 base64 characters`,
      );
    }
    return {
      knownHostsFile,
      algorithms: [...HOST_KEY_ALGORITHMS],
      check: (blob) => {
        if (sameFingerprint(fingerprintOf(blob), pinned)) return { kind: 'trusted' };
        return { kind: 'rejected', error: changedKeyError(bastion, blob, `the profile's hostKeyFingerprint (${pinned.trim()})`, 'update hostKeyFingerprint') };
      },
    };
  }

  let text = '';
  try {
    text = await readFile(knownHostsFile, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') {
      throw new PgdriftError('ssh-host-key', `cannot read known_hosts file ${knownHostsFile} to verify SSH bastion ${bastion.where}: ${messageOf(error)}`, {
        cause: error,
      });
    }
  }
  const known = keysForHost(text, bastion.host, bastion.port);
  const accepted = known.filter((k) => !k.revoked);
  return {
    knownHostsFile,
    algorithms: preferKnownTypes(accepted.map((k) => k.keyType)),
    check: (blob) => {
      const revoked = known.find((k) => k.revoked && k.blob.equals(blob));
      if (revoked) {
        return {
          kind: 'rejected',
          error: new PgdriftError(
            'ssh-host-key',
            `the SSH host key of bastion ${bastion.where} (${keyTypeOf(blob)} ${fingerprintOf(blob)}) is marked @revoked in ${knownHostsFile} line ${revoked.line}: refusing to connect; ask the bastion's administrator for its current key`,
          ),
        };
      }
      if (accepted.some((k) => k.blob.equals(blob))) return { kind: 'trusted' };
      if (accepted.length > 0) {
        const where = accepted.map((k) => `line ${k.line} (${k.keyType})`).join(', ');
        const fix = `remove the old entry (ssh-keygen -R '${knownHostsName(bastion.host, bastion.port)}' -f ${knownHostsFile})`;
        return { kind: 'rejected', error: changedKeyError(bastion, blob, `the key in ${knownHostsFile} ${where}`, fix) };
      }
      return { kind: 'unknown', keyType: keyTypeOf(blob), fingerprint: fingerprintOf(blob), blob };
    },
  };
}

function changedKeyError(bastion: Bastion, blob: Buffer, expected: string, fix = 'connect again'): PgdriftError {
  return new PgdriftError(
    'ssh-host-key',
    `the SSH host key of bastion ${bastion.where} has changed: it presented ${keyTypeOf(blob)} ${fingerprintOf(blob)}, ` +
      `which is not ${expected}. Someone may be intercepting the connection (man-in-the-middle attack); no connection was made. ` +
      `If the bastion's key really changed, confirm the new fingerprint with its administrator, then ${fix}`,
  );
}

/**
 * OpenSSH asks first for the host key types it already knows for a host, so a bastion with
 * several keys presents the recorded one rather than one that would look like a changed key.
 */
function preferKnownTypes(knownTypes: string[]): HostKeyAlgorithm[] {
  const algorithmsOf = (keyType: string): HostKeyAlgorithm[] =>
    keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : HOST_KEY_ALGORITHMS.filter((a) => a === keyType);
  const first = knownTypes.flatMap(algorithmsOf);
  return [...new Set([...first, ...HOST_KEY_ALGORITHMS])];
}

async function appendKnownHost(file: string, bastion: Bastion, blob: Buffer): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    let prefix = '';
    const exists = await access(file, fsConstants.F_OK).then(() => true, () => false);
    if (exists) {
      const current = await readFile(file, 'utf8');
      if (current.length > 0 && !current.endsWith('\n')) prefix = '\n';
    }
    await appendFile(file, `${prefix}${knownHostsLine(bastion.host, bastion.port, blob)}\n`, { mode: 0o600 });
  } catch (error) {
    throw new PgdriftError('ssh-host-key', `cannot record the host key of SSH bastion ${bastion.where} in ${file}: ${messageOf(error)}`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------
// The SSH connection

type ConnectOutcome = { client: Client } | { unknown: { keyType: string; fingerprint: string; blob: Buffer } };

/** Connects and authenticates; on any failure the client and its socket are closed before it settles. */
function connectSsh(
  bastion: Bastion,
  auth: Auth,
  check: HostKeyCheck,
  algorithms: HostKeyAlgorithm[],
  readyTimeoutMs: number,
  secrets: ProfileSecrets,
): Promise<ConnectOutcome> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let verdict: HostKeyVerdict | undefined;
    let agentError: Error | undefined;
    let settled = false;

    const fail = (outcome: ConnectOutcome | PgdriftError) => {
      if (settled) return;
      settled = true;
      client.removeListener('ready', onReady);
      // ssh2 may report more errors while it tears down; they change nothing now.
      client.on('error', () => undefined);
      const done = () => (outcome instanceof PgdriftError ? reject(outcome) : resolve(outcome));
      waitClosed(client).then(done, done);
    };
    const hostKeyFailure = (): ConnectOutcome | PgdriftError | undefined => {
      if (verdict?.kind === 'rejected') return verdict.error;
      if (verdict?.kind === 'unknown') return { unknown: { keyType: verdict.keyType, fingerprint: verdict.fingerprint, blob: verdict.blob } };
      return undefined;
    };
    const onReady = () => {
      if (settled) return;
      settled = true;
      resolve({ client });
    };

    client.once('ready', onReady);
    client.on('error', (error: Error & { level?: string; code?: string }) => {
      if (error.level === 'agent') {
        // An agent that cannot sign is skipped; ssh2 goes on with the next method.
        agentError = error;
        return;
      }
      fail(hostKeyFailure() ?? connectionError(bastion, auth, error, readyTimeoutMs, agentError, secrets));
    });
    client.on('close', () => {
      if (settled) return;
      fail(
        hostKeyFailure() ??
          new PgdriftError('ssh-failed', `SSH bastion ${bastion.where} closed the connection during the handshake (check host, port and that sshd runs there)`),
      );
    });

    const config: ConnectConfig = {
      host: bastion.host,
      port: bastion.port,
      username: bastion.user,
      readyTimeout: readyTimeoutMs,
      // A bastion that stops answering (network gone) is noticed within about 45 s.
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
      algorithms: { serverHostKey: algorithms },
      hostVerifier: (key: Buffer) => {
        verdict = check(key);
        return verdict.kind === 'trusted';
      },
      ...auth.config,
    };
    try {
      client.connect(config);
    } catch (error) {
      fail(new PgdriftError('ssh-failed', `cannot connect to SSH bastion ${bastion.where}: ${scrub(messageOf(error), secrets)}`, { cause: error }));
    }
  });
}

/** Resolves once the client's socket is closed (or at once if it never opened). */
function waitClosed(client: Client): Promise<void> {
  return new Promise((resolve) => {
    const socket = (client as unknown as { _sock?: Socket })._sock;
    if (!socket || socket.destroyed) {
      client.end();
      resolve();
      return;
    }
    socket.once('close', () => resolve());
    client.end();
    socket.destroy();
  });
}

function connectionError(
  bastion: Bastion,
  auth: Auth,
  error: Error & { level?: string; code?: string },
  readyTimeoutMs: number,
  agentError: Error | undefined,
  secrets: ProfileSecrets,
): PgdriftError {
  const text = scrub(firstLine(error.message), secrets);
  const make = (code: 'ssh-failed' | 'ssh-auth-failed', reason: string) =>
    new PgdriftError(code, `cannot connect to SSH bastion ${bastion.where}: ${reason}`, { cause: error });
  if (error.level === 'client-authentication') {
    const agentNote = agentError ? ` (the SSH agent failed: ${scrub(firstLine(agentError.message), secrets)})` : '';
    return make(
      'ssh-auth-failed',
      `authentication failed: the bastion refused ${auth.describe || 'every key offered'} for user "${bastion.user}"${agentNote}; ` +
        `check the user name and that the public key is in that user's authorized_keys on the bastion`,
    );
  }
  if (error.code === 'ECONNREFUSED') return make('ssh-failed', 'connection refused (is sshd running there, and is the port right?)');
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN' || error.level === 'client-dns') {
    return make('ssh-failed', `host "${bastion.host}" not found (check the bastion's host name)`);
  }
  if (error.level === 'client-timeout' || error.code === 'ETIMEDOUT') {
    return make('ssh-failed', `no SSH handshake within ${readyTimeoutMs / 1000} s (check host, port and firewall)`);
  }
  if (error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH') return make('ssh-failed', `host unreachable (${error.code}): check the network or VPN`);
  if (error.code === 'ECONNRESET') return make('ssh-failed', 'the connection was reset (is that port an SSH server?)');
  return make('ssh-failed', text);
}

// ---------------------------------------------------------------------------------------------
// Forwarding

async function startForwarding(client: Client, bastion: Bastion, destination: { host: string; port: number }): Promise<Tunnel> {
  const sockets = new Set<Socket>();
  const channels = new Set<ClientChannel>();
  let stopped = false;
  let lastError: PgdriftError | undefined;
  let clientClosed = false;
  const clientClosedPromise = new Promise<void>((resolve) => client.once('close', () => resolve()));

  const server: Server = createServer((socket) => {
    socket.on('error', () => undefined);
    if (stopped) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    client.forwardOut('127.0.0.1', socket.remotePort ?? 0, destination.host, destination.port, (error, channel) => {
      if (error) {
        lastError = new PgdriftError(
          'ssh-failed',
          `SSH bastion ${bastion.where} could not open a connection to ${destination.host}:${destination.port}: ${firstLine(error.message)} ` +
            `(is the database running there, and can the bastion reach that host and port?)`,
          { cause: error },
        );
        socket.destroy();
        return;
      }
      if (stopped || socket.destroyed) {
        channel.close();
        return;
      }
      channels.add(channel);
      channel.once('close', () => {
        channels.delete(channel);
        socket.destroy();
      });
      channel.on('error', () => socket.destroy());
      socket.once('close', () => channel.close());
      socket.pipe(channel).pipe(socket);
    });
  });

  const stop = () => {
    stopped = true;
    if (server.listening) server.close();
    for (const socket of sockets) socket.destroy();
    for (const channel of channels) channel.close();
  };

  // Any error after the handshake ends the connection; 'close' follows and stops the tunnel.
  client.on('error', (error) => {
    if (!stopped) lastError = new PgdriftError('ssh-failed', `the SSH connection to bastion ${bastion.where} failed: ${firstLine(error.message)}; reconnect`, { cause: error });
  });
  client.once('close', () => {
    clientClosed = true;
    if (!stopped) {
      lastError ??= new PgdriftError('ssh-failed', `the SSH connection to bastion ${bastion.where} dropped; reconnect`);
      stop();
    }
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
  } catch (error) {
    stop();
    await waitClosed(client);
    throw new PgdriftError('ssh-failed', `cannot open a local port for the SSH tunnel through ${bastion.where}: ${messageOf(error)}`, { cause: error });
  }
  server.on('error', () => undefined);
  const address = server.address();
  if (address === null || typeof address === 'string') {
    stop();
    await waitClosed(client);
    throw new PgdriftError('internal', 'the SSH tunnel\'s local server has no TCP address');
  }

  let closing: Promise<void> | undefined;
  return {
    localHost: '127.0.0.1',
    localPort: address.port,
    lastError: () => lastError,
    close() {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
        stop();
        if (!clientClosed) client.end();
        await Promise.all([serverClosed, clientClosedPromise]);
      })();
      return closing;
    },
  };
}

// ---------------------------------------------------------------------------------------------

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/** ssh2's messages should never hold the passphrase; this makes sure of it. */
function scrub(text: string, secrets: ProfileSecrets): string {
  const secret = secrets.sshPassphrase;
  return secret && secret.length >= 4 ? text.split(secret).join('***') : text;
}
