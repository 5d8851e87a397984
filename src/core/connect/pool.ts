/**
 * Connections to profiles, shared by the extension and anything else that keeps connections
 * between commands: one small node-postgres pool per profile (through its SSH tunnel when it has
 * one), every pooled session read-only; writes only through openForWrite, which honours the
 * read-only flag and the production guard. Nothing stays open after dispose(), and a connection
 * that fails leaves no pool and no tunnel behind.
 */
import { copyFromStdin } from '../db/copyFrom';
import { Pool, type PoolClient } from 'pg';
import { ClosingClient } from '../db/closingClient';
import { MIN_SERVER_VERSION_NUM, READ_ONLY_OPTIONS, clientConfig, connectionError, noticeOf, type PgConnection } from '../db/pgConnection';
import type { QueryResult, Queryable } from '../db/queryable';
import { describeTarget, parseConnectionUrl, type ConnectionTarget } from '../db/target';
import { PgdriftError } from '../errors';
import { WriteConfirmation } from './confirm';
import { connectTarget } from './direct';
import type { Profile, ProfileSecrets } from './profile';
import { profileTarget } from './target';
import type { TunnelHooks } from './tunnel';

/** What node-postgres hands a 'notice' listener. */
type PgNotice = Parameters<typeof noticeOf>[0];

export interface ConnectionManagerOptions {
  /** For `${env:…}` in profiles; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Connections per pool; default 3 (catalog reads and probes run one or two at a time). */
  maxConnections?: number;
  /** An idle pooled connection is closed after this long; default 60 s. */
  idleTimeoutMs?: number;
}

/** A read-only way into one database. */
export interface ProfileSession extends Queryable {
  /** The profile's name, or the redacted URL. */
  readonly name: string;
  /** "host:port/database" (the real host, also through a tunnel). */
  readonly where: string;
  readonly serverVersionNum: number;
  readonly serverVersion: string;
  /**
   * One pooled connection for work that needs a single session (a transaction, a snapshot, the
   * introspection's REPEATABLE READ reads): close() gives it back to the pool. `query` on the
   * session itself may use a different connection for each statement.
   */
  connect(): Promise<PgConnection>;
}

export interface ConnectionTest {
  /** `server_version`, e.g. "15.18 (Debian 15.18-0+deb12u1)". */
  serverVersion: string;
  serverVersionNum: number;
  /** Time of one `SELECT 1` on an open connection, in milliseconds. */
  roundTripMs: number;
}

interface Entry {
  /** The settings the pool was opened with; a profile edited since gets a new pool. */
  readonly key: string;
  readonly opened: Promise<Opened>;
}

interface Opened {
  readonly session: ProfileSession;
  close(): Promise<void>;
}

export class ConnectionManager {
  private readonly entries = new Map<string, Entry>();
  private readonly env: NodeJS.ProcessEnv;
  private readonly max: number;
  private readonly idleTimeoutMs: number;

  constructor(options: ConnectionManagerOptions = {}) {
    this.env = options.env ?? process.env;
    this.max = options.maxConnections ?? 3;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  }

  /** The profile's read-only session, opened on first use and kept until close() or dispose(). */
  async session(profile: Profile, secrets: ProfileSecrets, hooks?: TunnelHooks): Promise<ProfileSession> {
    const target = profileTarget(profile, secrets, this.env);
    return this.sessionFor(profile.name, target, profile, secrets, hooks);
  }

  /** A read-only session for a URL (password in the URL or PGPASSWORD), pooled under the URL. */
  async sessionForUrl(url: string): Promise<ProfileSession> {
    return this.sessionFor(`url:${url}`, parseConnectionUrl(url, this.env));
  }

  /** Opens (or reuses) the profile's pool and measures one round trip. */
  async testConnection(profile: Profile, secrets: ProfileSecrets, hooks?: TunnelHooks): Promise<ConnectionTest> {
    const session = await this.session(profile, secrets, hooks);
    const connection = await session.connect();
    try {
      const started = process.hrtime.bigint();
      await connection.query('SELECT 1');
      const roundTripMs = Number(process.hrtime.bigint() - started) / 1e6;
      return { serverVersion: session.serverVersion, serverVersionNum: session.serverVersionNum, roundTripMs };
    } finally {
      await connection.close();
    }
  }

  /**
   * A connection that may write (no read-only default), outside the pool; the caller closes it.
   * A read-only profile always refuses. A production profile refuses unless `confirmation` came
   * from confirmWrite for this profile (the user typed its database name); each confirmation
   * opens one connection.
   */
  async openForWrite(profile: Profile, secrets: ProfileSecrets, confirmation?: WriteConfirmation, hooks?: TunnelHooks): Promise<PgConnection> {
    const target = profileTarget(profile, secrets, this.env);
    if (profile.readOnly) {
      throw new PgdriftError('write-refused', `profile "${profile.name}" is read-only: pgdrift does not write to ${describeTarget(target)} (clear "read-only" in the profile to allow it)`, { fix: 'edit-profile' });
    }
    if (profile.environment === 'production' && !WriteConfirmation.redeem(confirmation, profile.name, target.database)) {
      throw new PgdriftError('write-refused', `profile "${profile.name}" is production: writing to ${describeTarget(target)} needs a confirmation (type the database name "${target.database}")`);
    }
    return connectTarget(target, profile.ssh ? { settings: profile.ssh, secrets, ...(hooks ? { hooks } : {}) } : undefined);
  }

  /** Closes the pool and tunnel of one profile (edited or removed); the next session reopens them. */
  async close(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) return;
    this.entries.delete(name);
    await entry.opened.then((opened) => opened.close(), () => undefined);
  }

  /** Closes every pool and tunnel; waits for connections still being opened. */
  async dispose(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((name) => this.close(name)));
  }

  private async sessionFor(name: string, target: ConnectionTarget, profile?: Profile, secrets?: ProfileSecrets, hooks?: TunnelHooks): Promise<ProfileSession> {
    const key = JSON.stringify([target, profile?.ssh ?? null, secrets?.sshPassphrase ?? null]);
    const existing = this.entries.get(name);
    if (existing?.key === key) return (await existing.opened).session;
    if (existing) await this.close(name);
    const opened = this.openPool(name, target, profile, secrets, hooks);
    const entry: Entry = { key, opened };
    this.entries.set(name, entry);
    try {
      return (await opened).session;
    } catch (error) {
      // A failure is not cached: the next attempt (after Edit profile, or Retry) starts afresh.
      if (this.entries.get(name) === entry) this.entries.delete(name);
      throw error;
    }
  }

  private async openPool(name: string, target: ConnectionTarget, profile?: Profile, secrets?: ProfileSecrets, hooks?: TunnelHooks): Promise<Opened> {
    // Reads the TLS files before a tunnel exists: a missing CA file leaves nothing to close.
    clientConfig(target);
    const tunnel = profile?.ssh && secrets ? await this.tunnelFor(profile, secrets, target, hooks) : undefined;
    const reached = tunnel ? { ...target, via: tunnel.via } : target;
    const pool = new Pool({
      ...clientConfig(reached),
      options: READ_ONLY_OPTIONS,
      Client: ClosingClient,
      max: this.max,
      idleTimeoutMillis: this.idleTimeoutMs,
    });
    // An idle pooled connection can die (server restart, tunnel dropped); without a listener the
    // pool's 'error' event would crash the extension host. The next query opens a new one.
    pool.on('error', () => undefined);
    const close = async () => {
      await pool.end().catch(() => undefined);
      await tunnel?.close();
    };
    try {
      const server = await readServer(pool, reached);
      return { session: makeSession(name, pool, reached, server), close };
    } catch (error) {
      await close();
      throw error;
    }
  }

  private async tunnelFor(profile: Profile, secrets: ProfileSecrets, target: ConnectionTarget, hooks?: TunnelHooks) {
    if (!profile.ssh) throw new PgdriftError('internal', 'tunnelFor without ssh settings');
    // The bastion resolves and reaches the database host; the name is the one the profile gives.
    // ssh2 and its crypto are loaded only when a profile has a tunnel: most runs never need them.
    const { openTunnel } = await import('./tunnel.js');
    const tunnel = await openTunnel(profile.ssh, secrets, { host: target.host, port: target.port }, hooks);
    return { via: { host: tunnel.localHost, port: tunnel.localPort }, close: () => tunnel.close() };
  }
}

interface Server {
  versionNum: number;
  version: string;
}

/** The first connection: proves the settings work and reads the version the catalog queries need. */
async function readServer(pool: Pool, target: ConnectionTarget): Promise<Server> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw connectionError(target, error);
  }
  try {
    const { rows } = await client.query<{ num: string; version: string }>(
      "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version",
    );
    const versionNum = Number(rows[0]?.num);
    const version = rows[0]?.version ?? 'unknown';
    if (!(versionNum >= MIN_SERVER_VERSION_NUM)) {
      throw new PgdriftError('unsupported-version', `${describeTarget(target)} runs PostgreSQL ${version.split(' ')[0]}; pgdrift supports PostgreSQL 13 to 18`);
    }
    return { versionNum, version };
  } finally {
    client.release();
  }
}

function makeSession(name: string, pool: Pool, target: ConnectionTarget, server: Server): ProfileSession {
  return {
    name,
    where: describeTarget(target),
    serverVersionNum: server.versionNum,
    serverVersion: server.version,
    query: (sql, params) => runQuery(pool, sql, params),
    async connect() {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw connectionError(target, error);
      }
      let released = false;
      const unsubscribe: (() => void)[] = [];
      return {
        target,
        serverVersionNum: server.versionNum,
        serverVersion: server.version,
        processId: (client as unknown as { processID: number }).processID,
        onNotice(listener) {
          const forward = (n: PgNotice) => listener(noticeOf(n));
          client.on('notice', forward);
          const off = () => void client.off('notice', forward);
          unsubscribe.push(off);
          return off;
        },
        query: (sql, params) => runQuery(client, sql, params),
        copyFrom: (sql, chunks) => copyFromStdin(client, sql, chunks),
        async close() {
          if (released) return;
          released = true;
          for (const off of unsubscribe) off();
          client.release();
        },
      };
    },
  };
}

async function runQuery<R extends object>(on: Pool | PoolClient, sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
  const result = await on.query<R>(sql, params as unknown[] | undefined);
  return { rows: result.rows, rowCount: result.rowCount, ...(result.command ? { command: result.command } : {}) };
}
