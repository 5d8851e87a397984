import { Client, type ClientConfig } from 'pg';
import { PgdriftError, messageOf, type ErrorCode, type ErrorFix } from '../errors';
import { copyFromStdin } from './copyFrom';
import type { Connection, QueryResult } from './queryable';
import { describeTarget, type ConnectionTarget } from './target';
import { sslOptions } from './tls';

/** Oldest server the catalog queries are written for. */
export const MIN_SERVER_VERSION_NUM = 130000;

export interface PgConnection extends Connection {
  readonly target: ConnectionTarget;
  /** `server_version_num`, e.g. 150018. */
  readonly serverVersionNum: number;
  /** `server_version`, e.g. "15.18 (Debian 15.18-0+deb12u1)". */
  readonly serverVersion: string;
  /** The backend's process id: what pg_cancel_backend needs to cancel its running statement. */
  readonly processId: number;
  /** NOTICE, WARNING and INFO messages the server sends while statements run; returns the unsubscribe. */
  onNotice(listener: (notice: NoticeMessage) => void): () => void;
  /** Runs `COPY … FROM STDIN`, sending the chunks of COPY text as they come; resolves to the rows the server took. */
  copyFrom(sql: string, chunks: AsyncIterable<string>): Promise<number>;
}

/** A server message that is not an error (RAISE NOTICE, "table … does not exist, skipping"). */
export interface NoticeMessage {
  severity: string;
  message: string;
  detail?: string;
  hint?: string;
}

/**
 * Opens a `pg` connection, checks the server version, and turns every failure into a one-line
 * PgdriftError that names host and database (never the password) and says what to do.
 */
export async function connectPg(target: ConnectionTarget, options: ConnectOptions = {}): Promise<PgConnection> {
  const client = new Client({ ...clientConfig(target), ...(options.readOnly ? { options: READ_ONLY_OPTIONS } : {}) });
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
  const listeners = new Set<(notice: NoticeMessage) => void>();
  client.on('notice', (n) => {
    const notice = noticeOf(n);
    for (const l of listeners) l(notice);
  });
  return {
    target,
    serverVersionNum,
    serverVersion,
    processId: (client as unknown as { processID: number }).processID,
    onNotice(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async query<R extends object>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const result = await client.query<R>(sql, params as unknown[] | undefined);
      return { rows: result.rows, rowCount: result.rowCount, ...(result.command ? { command: result.command } : {}) };
    },
    copyFrom: (sql, chunks) => copyFromStdin(client, sql, chunks),
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}

/** node-postgres's notice (a NoticeMessage from pg-protocol) in our shape. */
export function noticeOf(n: { severity?: string | undefined; message?: string | undefined; detail?: string | undefined; hint?: string | undefined }): NoticeMessage {
  const notice: NoticeMessage = { severity: n.severity ?? 'NOTICE', message: n.message ?? '' };
  if (n.detail) notice.detail = n.detail;
  if (n.hint) notice.hint = n.hint;
  return notice;
}

export interface ConnectOptions {
  /** Every transaction of the session read-only (READ_ONLY_OPTIONS). */
  readOnly?: boolean;
}

/**
 * The startup packet's `options` parameter (libpq's PGOPTIONS): GUCs the backend sets before it
 * runs the first statement, so there is no window in which a pooled connection is writable. With
 * default_transaction_read_only every transaction, implicit or BEGIN, starts READ ONLY, and
 * PostgreSQL refuses INSERT/UPDATE/DELETE/DDL in it with SQLSTATE 25006 "cannot execute … in a
 * read-only transaction". It is a guard against accidents, not a permission: a session could SET
 * it off, which pgdrift never does. (PgBouncer refuses unknown startup parameters unless
 * `ignore_startup_parameters` lists `options`, and then drops the setting: use a direct port.)
 */
export const READ_ONLY_OPTIONS = '-c default_transaction_read_only=on';

/** node-postgres settings for a target; TLS files are read here (a clear error if they cannot be). */
export function clientConfig(target: ConnectionTarget): ClientConfig {
  const config: ClientConfig = {
    host: target.via?.host ?? target.host,
    port: target.via?.port ?? target.port,
    database: target.database,
    user: target.user,
    connectionTimeoutMillis: target.connectTimeoutMs,
    application_name: 'pgdrift',
    ssl: sslOptions(target),
  };
  if (target.password !== undefined) config.password = target.password;
  return config;
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
  // Profiles get a fix the extension offers as a button; a URL typed on the command line has none.
  const fail = (code: ErrorCode, reason: string, fix?: ErrorFix) =>
    new PgdriftError(code, scrub(`cannot connect to ${where}: ${reason}`, target), {
      cause: error,
      fix: fix === 'edit-profile' && target.profile === undefined ? undefined : fix,
    });

  if (e.code === 'ECONNREFUSED') {
    return fail('connection-refused', 'connection refused (is the server running and accepting TCP connections on that port?)', 'retry');
  }
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
    return fail('host-unreachable', `host "${target.host}" not found (check the host name)`, 'edit-profile');
  }
  if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH' || e.code === 'ETIMEDOUT' || /timeout/i.test(text)) {
    return fail('host-unreachable', `no answer within ${target.connectTimeoutMs / 1000} s (check host, port, firewall or tunnel)`, 'retry');
  }
  // The server asked for a password (SCRAM or md5) and there is none: node-postgres fails before
  // sending anything. For a profile that means its stored secret is gone.
  if (target.password === undefined && /password must be a string|client password|password.*(not|been) (set|provided)/i.test(text)) {
    if (target.profile !== undefined) {
      return new PgdriftError('authentication-failed', `no password stored for profile "${target.profile}": use Edit profile to set it (${where} asks for one)`, {
        cause: error, fix: 'edit-profile',
      });
    }
    return fail('authentication-failed', `the server asks for a password for user "${target.user}" and none was given (set PGPASSWORD or use ~/.pgpass)`);
  }
  if (e.code === '28P01' || /password must be a string|client password/i.test(text)) {
    return fail('authentication-failed', `password authentication failed for user "${target.user}" (check the password)`, 'edit-profile');
  }
  if (e.code === '28000' && /no encryption/i.test(text)) {
    return fail('tls-failed', 'the server accepts only TLS connections (use sslmode=require or stronger)', 'edit-profile');
  }
  if (e.code === '28000') {
    return fail('authentication-failed', `the server refused user "${target.user}": ${firstLine(text)}`, 'edit-profile');
  }
  if (/does not support SSL/i.test(text)) {
    return fail('tls-failed', `TLS was required (sslmode=${target.sslmode}) but the server does not offer it`, 'edit-profile');
  }
  if ((e.code && TLS_ERROR_CODES.has(e.code)) || /certificate|ssl|tls/i.test(text)) {
    return fail('tls-failed', `TLS handshake failed: ${firstLine(text)} (check sslmode and sslrootcert)`, 'edit-profile');
  }
  if (e.code === '3D000') {
    return fail('database-missing', `database "${target.database}" does not exist`, 'edit-profile');
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
