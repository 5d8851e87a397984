/**
 * A profile and its secrets as the ConnectionTarget node-postgres connects to: `${env:…}`
 * expanded, libpq's defaults filled in (port 5432, sslmode prefer, 10 s connect timeout), the
 * profile's name kept for messages. Nothing is opened here, so every error (an unset variable)
 * comes before a socket or a tunnel exists.
 */
import { DEFAULT_CONNECT_TIMEOUT_MS, type ConnectionTarget } from '../db/target';
import { expandProfile } from './expand';
import type { Profile, ProfileSecrets } from './profile';

export function profileTarget(profile: Profile, secrets: ProfileSecrets, env: NodeJS.ProcessEnv): ConnectionTarget {
  const expanded = expandProfile(profile, env);
  const tls = profile.tls;
  const target: ConnectionTarget = {
    host: expanded.host,
    port: profile.port ?? 5432,
    database: expanded.database,
    user: expanded.user,
    sslmode: tls?.mode ?? 'prefer',
    connectTimeoutMs: profile.connectTimeoutSeconds === undefined ? DEFAULT_CONNECT_TIMEOUT_MS : profile.connectTimeoutSeconds * 1000,
    profile: profile.name,
  };
  // An empty password is no password: SecretStorage returns '' for a cleared field.
  if (secrets.password) target.password = secrets.password;
  if (tls?.caFile) target.sslrootcert = tls.caFile;
  if (tls?.certFile) target.sslcert = tls.certFile;
  if (tls?.keyFile) target.sslkey = tls.keyFile;
  return target;
}
