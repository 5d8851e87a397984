/**
 * `profile:NAME` on the command line: the profiles of the current directory's
 * `.vscode/settings.json` (the ones the extension shows for this workspace), the password from
 * PGPASSWORD or the password file, as libpq looks for it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lookupPgpass, readPgpassFile, type PgpassFile } from '../core/connect/pgpass';
import type { Profile, ProfileSecrets } from '../core/connect/profile';
import { PROFILES_SETTING, profilesFromSettings } from '../core/connect/settings';
import { profileTarget } from '../core/connect/target';
import { PgdriftError } from '../core/errors';
import type { ProfileResolver } from '../core/sources';
import type { CliIo } from './io';

export const SETTINGS_FILE = join('.vscode', 'settings.json');

/** Reads settings and the password file on first use only: a run without profiles reads neither. */
export function cliProfileResolver(io: CliIo): ProfileResolver {
  let profiles: Profile[] | undefined;
  let pgpass: PgpassFile | undefined | null = null;
  return (name) => {
    profiles ??= readProfiles(io);
    const profile = profiles.find((p) => p.name === name);
    if (!profile) {
      const known = profiles.length ? `known profiles: ${profiles.map((p) => p.name).join(', ')}` : `${SETTINGS_FILE} defines none under "${PROFILES_SETTING}"`;
      throw new PgdriftError('usage', `no profile named "${name}" (${known})`);
    }
    // Expanded first: .pgpass is matched against the host, database and user actually used.
    const target = profileTarget(profile, {}, io.env);
    const secrets: ProfileSecrets = {};
    // libpq's order: a password given with the connection, then PGPASSWORD, then the file.
    const fromEnv = io.env.PGPASSWORD;
    if (fromEnv) {
      secrets.password = fromEnv;
    } else {
      if (pgpass === null) {
        pgpass = readPgpassFile(io.env);
        if (pgpass?.warning) io.stderr(`pgdrift: warning: ${pgpass.warning}\n`);
      }
      const found = pgpass ? lookupPgpass(pgpass.entries, target) : undefined;
      if (found !== undefined) secrets.password = found;
    }
    if (secrets.password !== undefined) target.password = secrets.password;
    return profile.ssh ? { target, ssh: { settings: profile.ssh, secrets } } : { target };
  };
}

/** The profiles of the current directory's settings (none when there is no settings file). */
export function readProfiles(io: CliIo): Profile[] {
  const path = join(io.cwd ?? process.cwd(), SETTINGS_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') return [];
    throw new PgdriftError('usage', `cannot read ${SETTINGS_FILE}: ${code === 'EACCES' ? 'permission denied' : String(code)}`);
  }
  return profilesFromSettings(text, SETTINGS_FILE);
}
