import { readFileSync } from 'node:fs';
import { Client, type ClientConfig } from 'pg';
import { PgdriftError, messageOf, type ErrorCode } from '../errors';
import type { Connection, QueryResult } from './queryable';
import { describeTarget, type ConnectionTarget } from './target';

/** Oldest server the catalog queries are written for. */
export const MIN_SERVER_VERSION_NUM = 130000;

export interface PgConnection extends Connection {
  readonly target: ConnectionTarget;
  /** `server_version_num`, e.g. 150018. */
  readonly serverVersionNum: number;
  /** `server_version`, e.g. "15.18 (Debian 15.18-0+deb12u1)". */
  readonly serverVersion: string;
}

/**
 * Opens a `pg` connection, checks the server version, and turns every failure into a one-line
 * PgdriftError that names host and database (never the password) and says what to do.
 */
export async function connectPg(target: ConnectionTarget): Promise<PgConnection> {
  const client = new Client(clientConfig(target));
  // An idle connection can still die (server restart, network); without a listener the
  // 'error' event would crash the process instead of failing the next query.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectionError(target, error);
  }
  const versionRows = await client.query<{ num: string; version: string }>(
    "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version",
  );
  const row = versionRows.rows[0];
  const serverVersionNum = Number(row?.num);
  const serverVersion = row?.version ?? 'unknown';
  if (!(serverVersionNum >= MIN_SERVER_VERSION_NUM)) {
    await client.end().catch(() => undefined);
    throw new PgdriftError(
      'unsupported-version',
      `${describeTarget(target)} runs PostgreSQL ${serverVersion.split(' ')[0]}; pgdrift supports PostgreSQL 13 to 18`,
    );
  }
  return {
    target,
    serverVersionNum,
    serverVersion,
    async query<R extends object>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const result = await client.query<R>(sql, params as unknown[] | undefined);
      return { rows: result.rows, rowCount: result.rowCount };
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}

function clientConfig(target: ConnectionTarget): ClientConfig {
  const config: ClientConfig = {
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    connectionTimeoutMillis: target.connectTimeoutMs,
    application_name: 'pgdrift',
    ssl: sslConfig(target),
  };
  if (target.password !== undefined) config.password = target.password;
  return config;
}

function sslConfig(target: ConnectionTarget): ClientConfig['ssl'] {
  switch (target.sslmode) {
    // node-postgres cannot fall back from TLS to plain text the way libpq's "prefer" does, so
    // "prefer" connects without TLS; ask for "require" or stronger to insist on encryption.
    case 'disable':
    case 'prefer':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full': {
      const ca = target.sslrootcert ? readFileSync(target.sslrootcert, 'utf8') : undefined;
      return {
        rejectUnauthorized: true,
        ...(ca ? { ca } : {}),
        // verify-ca checks the chain only; verify-full also checks that the name matches.
        ...(target.sslmode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
      };
    }
  }
}

interface ErrorLike {
  code?: string;
  message?: string;
}

const TLS_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'EPROTO',
]);

/** Classifies a connection failure; exported for the tests that provoke each one on a real server. */
export function connectionError(target: ConnectionTarget, error: unknown): PgdriftError {
  const where = describeTarget(target);
  const e = (error ?? {}) as ErrorLike;
  const text = messageOf(error);
  const fail = (code: ErrorCode, reason: string) =>
    new PgdriftError(code, scrub(`cannot connect to ${where}: ${reason}`, target), { cause: error });

  if (e.code === 'ECONNREFUSED') {
    return fail('connection-refused', 'connection refused (is the server running and accepting TCP connections on that port?)');
  }
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
    return fail('host-unreachable', `host "${target.host}" not found (check the host name)`);
  }
  if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH' || e.code === 'ETIMEDOUT' || /timeout/i.test(text)) {
    return fail('host-unreachable', `no answer within ${target.connectTimeoutMs / 1000} s (check host, port, firewall or tunnel)`);
  }
  if (e.code === '28P01' || /password must be a string|client password/i.test(text)) {
    return fail('authentication-failed', `password authentication failed for user "${target.user}" (check the password)`);
  }
  if (e.code === '28000' && /no encryption/i.test(text)) {
    return fail('tls-failed', 'the server accepts only TLS connections (use sslmode=require or stronger)');
  }
  if (e.code === '28000') {
    return fail('authentication-failed', `the server refused user "${target.user}": ${firstLine(text)}`);
  }
  if (/does not support SSL/i.test(text)) {
    return fail('tls-failed', `TLS was required (sslmode=${target.sslmode}) but the server does not offer it`);
  }
  if ((e.code && TLS_ERROR_CODES.has(e.code)) || /certificate|ssl|tls/i.test(text)) {
    return fail('tls-failed', `TLS handshake failed: ${firstLine(text)} (check sslmode and sslrootcert)`);
  }
  if (e.code === '3D000') {
    return fail('database-missing', `database "${target.database}" does not exist`);
  }
  return fail('query-failed', firstLine(text));
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/** Defensive: whatever a driver put in its message, the password never leaves this module. */
function scrub(message: string, target: ConnectionTarget): string {
  if (!target.password) return message;
  return message.split(target.password).join('***');
}
