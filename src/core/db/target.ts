import { PgdriftError } from '../errors';

export type SslMode = 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly SslMode[] = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** Where to connect. The password is kept here only in memory; it never reaches a message. */
export interface ConnectionTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  sslmode: SslMode;
  /** CA bundle (PEM) for verify-ca and verify-full (and require, as libpq does when it is given). */
  sslrootcert?: string;
  /** Client certificate and its private key (PEM), sent when the server asks for one. */
  sslcert?: string;
  sslkey?: string;
  /**
   * Where to open the TCP connection instead of host:port: the local end of an SSH tunnel. host
   * and port stay the real ones, for messages and for verify-full, which checks the certificate
   * against the real host name, not 127.0.0.1.
   */
  via?: { host: string; port: number };
  /** The profile this target was made from, named in messages about the profile's settings. */
  profile?: string;
  /** How long to wait for the server to answer the connection, in milliseconds. */
  connectTimeoutMs: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Parses `postgres://user:password@host:port/database?sslmode=…` (also `postgresql://`). Missing
 * parts take libpq's defaults: port 5432, user and database from PGUSER / PGDATABASE or "postgres",
 * password from PGPASSWORD.
 */
export function parseConnectionUrl(url: string, env: NodeJS.ProcessEnv = {}): ConnectionTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PgdriftError('usage', `not a connection URL: ${redactUrl(url)} (expected postgres://user@host:port/database)`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new PgdriftError('usage', `not a PostgreSQL URL: ${redactUrl(url)} (expected postgres:// or postgresql://)`);
  }
  const params = parsed.searchParams;
  const host = params.get('host') ?? (decodeURIComponent(parsed.hostname) || env.PGHOST || 'localhost');
  const portText = params.get('port') ?? (parsed.port || env.PGPORT || '5432');
  const port = Number(portText);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new PgdriftError('usage', `invalid port "${portText}" in ${redactUrl(url)}`);
  }
  const user = decodeURIComponent(parsed.username) || params.get('user') || env.PGUSER || 'postgres';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || params.get('dbname') || env.PGDATABASE || user;
  const password = parsed.password ? decodeURIComponent(parsed.password) : (params.get('password') ?? env.PGPASSWORD);
  const sslmodeText = params.get('sslmode') ?? env.PGSSLMODE ?? 'prefer';
  if (!SSL_MODES.includes(sslmodeText as SslMode)) {
    throw new PgdriftError('usage', `unsupported sslmode "${sslmodeText}" (use one of ${SSL_MODES.join(', ')})`);
  }
  const timeoutText = params.get('connect_timeout');
  const connectTimeoutMs = timeoutText ? Number(timeoutText) * 1000 : DEFAULT_CONNECT_TIMEOUT_MS;
  const target: ConnectionTarget = { host, port, database, user, sslmode: sslmodeText as SslMode, connectTimeoutMs };
  if (password !== undefined) target.password = password;
  const rootcert = params.get('sslrootcert') ?? env.PGSSLROOTCERT;
  if (rootcert) target.sslrootcert = rootcert;
  const cert = params.get('sslcert') ?? env.PGSSLCERT;
  if (cert) target.sslcert = cert;
  const key = params.get('sslkey') ?? env.PGSSLKEY;
  if (key) target.sslkey = key;
  return target;
}

export function isSslMode(text: string): text is SslMode {
  return (SSL_MODES as readonly string[]).includes(text);
}

export { SSL_MODES };

/** "host:port/database", the way every message names a database. */
export function describeTarget(target: Pick<ConnectionTarget, 'host' | 'port' | 'database'>): string {
  return `${target.host}:${target.port}/${target.database}`;
}

/** The URL with any password replaced, safe for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@').replace(/([?&]password=)[^&]*/i, '$1***');
}
