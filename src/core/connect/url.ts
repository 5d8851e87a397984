/**
 * Profiles to and from libpq connection URLs. Importing a URL splits the password off as a secret
 * (it goes to SecretStorage, never to settings); exporting never writes one, so a URL copied from
 * the Databases view can be pasted into a chat or a ticket.
 */
import { parseConnectionUrl } from '../db/target';
import type { Profile, TlsSettings } from './profile';

export interface ImportedProfile {
  profile: Profile;
  /** The URL's password, to be stored as the profile's secret. */
  password?: string;
}

/**
 * `postgres://user:pw@host:port/db?sslmode=…&sslrootcert=…&sslcert=…&sslkey=…&connect_timeout=…`.
 * Only the URL is read, not PGUSER or PGPASSWORD: an imported profile must not depend on the
 * environment of the window that imported it. Throws a 'usage' PgdriftError for what is not a
 * PostgreSQL URL (its message never contains the password).
 */
export function profileFromUrl(url: string, name: string): ImportedProfile {
  const target = parseConnectionUrl(url, {});
  const profile: Profile = {
    name,
    host: target.host.replace(/^\[(.*)\]$/, '$1'),
    port: target.port,
    database: target.database,
    user: target.user,
  };
  const tls: TlsSettings = { mode: target.sslmode };
  if (target.sslrootcert !== undefined) tls.caFile = target.sslrootcert;
  if (target.sslcert !== undefined) tls.certFile = target.sslcert;
  if (target.sslkey !== undefined) tls.keyFile = target.sslkey;
  // prefer without files is the default: leave it out, as the settings would.
  if (tls.mode !== 'prefer' || Object.keys(tls).length > 1) profile.tls = tls;
  if (new URL(url).searchParams.has('connect_timeout')) profile.connectTimeoutSeconds = target.connectTimeoutMs / 1000;
  return target.password === undefined ? { profile } : { profile, password: target.password };
}

/** The profile as a URL without a password; `${env:…}` references are kept as written. */
export function profileToUrl(profile: Profile): string {
  const params = new URLSearchParams();
  const tls = profile.tls;
  if (tls && tls.mode !== 'prefer') params.set('sslmode', tls.mode);
  if (tls?.caFile) params.set('sslrootcert', tls.caFile);
  if (tls?.certFile) params.set('sslcert', tls.certFile);
  if (tls?.keyFile) params.set('sslkey', tls.keyFile);
  if (profile.connectTimeoutSeconds !== undefined) params.set('connect_timeout', String(profile.connectTimeoutSeconds));
  const query = params.toString();
  const user = encodeURIComponent(profile.user);
  return `postgres://${user}@${urlHost(profile.host)}:${profile.port ?? 5432}/${encodeURIComponent(profile.database)}${query ? `?${query}` : ''}`;
}

/** An IPv6 address in brackets; anything but a plain name percent-encoded (e.g. `${env:HOST}`). */
function urlHost(host: string): string {
  if (host.includes(':') && /^[0-9a-f:.]+$/i.test(host)) return `[${host}]`;
  return /^[a-z0-9.-]+$/i.test(host) ? host : encodeURIComponent(host);
}
