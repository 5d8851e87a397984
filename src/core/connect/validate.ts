/**
 * Checks of profile fields, one function per field so the extension's QuickInput steps can
 * validate as the user types, and `validateProfile` for settings read from settings.json (which a
 * user edits by hand). Each returns a message to show, or undefined when the value is fine.
 */
import { isSslMode } from '../db/target';
import { ENVIRONMENTS, type Environment, type Profile, type SshSettings, type TlsSettings } from './profile';

export function validateName(name: string, takenNames: readonly string[] = []): string | undefined {
  if (name.trim() === '') return 'a profile needs a name';
  if (name !== name.trim()) return 'the name must not start or end with a space';
  if (takenNames.includes(name)) return `a profile named "${name}" exists already`;
  return undefined;
}

export function validateHost(host: string): string | undefined {
  if (host.trim() === '') return 'the host must not be empty (use localhost for this machine)';
  if (/\s/.test(host)) return 'the host must not contain spaces';
  return undefined;
}

/** Accepts a number or the text typed into an input box. */
export function validatePort(port: number | string): string | undefined {
  const text = String(port).trim();
  const n = Number(text);
  if (text === '' || !/^\d+$/.test(text) || n < 1 || n > 65535) return 'the port must be a whole number from 1 to 65535 (PostgreSQL uses 5432)';
  return undefined;
}

export function validateDatabase(database: string): string | undefined {
  return database.trim() === '' ? 'the database name must not be empty' : undefined;
}

export function validateUser(user: string): string | undefined {
  return user.trim() === '' ? 'the user name must not be empty' : undefined;
}

export function validateEnvironment(environment: string): string | undefined {
  return ENVIRONMENTS.includes(environment as Environment) ? undefined : `the environment must be one of ${ENVIRONMENTS.join(', ')}`;
}

export function validateConnectTimeout(seconds: number | string): string | undefined {
  const n = Number(String(seconds).trim());
  return Number.isFinite(n) && n > 0 && n <= 3600 ? undefined : 'the connect timeout must be a number of seconds from 1 to 3600';
}

/** verify-ca and verify-full need the CA that signs the server's certificate; cert and key go together. */
export function validateTls(tls: TlsSettings): string | undefined {
  if (!isSslMode(tls.mode)) return `unknown TLS mode "${tls.mode}" (use disable, prefer, require, verify-ca or verify-full)`;
  // Without a CA file Node.js would check against its built-in public CAs, which no private
  // PostgreSQL certificate chains to; libpq likewise insists on a root certificate.
  if ((tls.mode === 'verify-ca' || tls.mode === 'verify-full') && !tls.caFile?.trim()) {
    return `TLS mode ${tls.mode} needs the CA certificate file that signed the server's certificate`;
  }
  if (Boolean(tls.certFile?.trim()) !== Boolean(tls.keyFile?.trim())) {
    return 'a client certificate needs both the certificate file and its key file';
  }
  return undefined;
}

export function validateSsh(ssh: SshSettings): string | undefined {
  if (!ssh.host?.trim()) return 'the SSH host must not be empty';
  if (!ssh.user?.trim()) return 'the SSH user must not be empty';
  if (ssh.port !== undefined) {
    const port = validatePort(ssh.port);
    if (port) return `SSH: ${port}`;
  }
  return undefined;
}

/**
 * Every check of one profile as read from settings (any JSON value): the first problem, prefixed
 * with the profile's name, or undefined. `otherNames` are the names of the profiles before it.
 */
export function validateProfile(value: unknown, otherNames: readonly string[] = []): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a profile must be an object';
  const p = value as Partial<Record<keyof Profile, unknown>>;
  if (typeof p.name !== 'string') return 'a profile needs a "name"';
  const problem = firstProblem(p, otherNames);
  return problem === undefined ? undefined : `profile "${p.name}": ${problem}`;
}

function firstProblem(p: Partial<Record<keyof Profile, unknown>>, otherNames: readonly string[]): string | undefined {
  for (const field of ['host', 'database', 'user'] as const) {
    if (typeof p[field] !== 'string') return `"${field}" must be a string`;
  }
  if (p.tls !== undefined && (typeof p.tls !== 'object' || p.tls === null)) return '"tls" must be an object';
  if (p.ssh !== undefined && (typeof p.ssh !== 'object' || p.ssh === null)) return '"ssh" must be an object';
  if (p.readOnly !== undefined && typeof p.readOnly !== 'boolean') return '"readOnly" must be true or false';
  return (
    validateName(p.name as string, otherNames) ??
    validateHost(p.host as string) ??
    (p.port === undefined ? undefined : typeof p.port !== 'number' ? '"port" must be a number' : validatePort(p.port)) ??
    validateDatabase(p.database as string) ??
    validateUser(p.user as string) ??
    (p.environment === undefined ? undefined : validateEnvironment(String(p.environment))) ??
    (p.connectTimeoutSeconds === undefined ? undefined : validateConnectTimeout(p.connectTimeoutSeconds as number)) ??
    (p.tls === undefined ? undefined : validateTls(p.tls as TlsSettings)) ??
    (p.ssh === undefined ? undefined : validateSsh(p.ssh as SshSettings))
  );
}
