/**
 * Opening a source from what the user typed: a URL (`postgres://` or `postgresql://`) or
 * `profile:NAME` (resolved by the caller: the CLI reads .vscode/settings.json) is a live server,
 * `sqlite:PATH` a SQLite file, anything else a path to a SQL file or a folder of them. resolveSource checks it (URL
 * syntax; files found, read, decoded and parsed, their extensions available) without connecting or
 * starting anything, so both sides of a comparison can be checked before either is opened.
 */
import type { SshRoute } from '../connect/direct';
import { parseConnectionUrl, type ConnectionTarget } from '../db/target';
import { stat } from 'node:fs/promises';
import { PgdriftError, messageOf } from '../errors';
import { checkTimeZone } from '../sqlite/timeZone';
import { extensionArchives } from './extensions';
import { openFilesSource, type FilesSourceOptions } from './files';
import { openLiveSource } from './live';
import { parseScript, type Script } from './script';
import { readSqlFiles } from './sqlFiles';
import { SQLITE_PREFIX, openSqliteSource, sqliteSpecOf, type SqliteSpec } from './sqlite';
import type { Source, SourceSpec } from './types';

export type { Source, SourceSpec, SqlFile } from './types';
export { SQLITE_PREFIX, type SqliteSnapshot } from './sqlite';

export interface SourceOptions extends FilesSourceOptions {
  /** PGUSER, PGPASSWORD and friends, for URLs. */
  env: NodeJS.ProcessEnv;
  /** Resolves `profile:NAME`; without it a profile is a usage error. */
  profiles?: ProfileResolver;
  /** `sqlite:PATH`: the zone its DATETIME text was written in (default UTC). */
  sqliteTimeZone?: string;
}

/** A profile by name as a target (expanded, its password found) and its SSH route, if any. */
export type ProfileResolver = (name: string) => { target: ConnectionTarget; ssh?: SshRoute };

export const PROFILE_PREFIX = 'profile:';

/**
 * Anything with a scheme is a URL, so `mysql://…` is refused as "not a PostgreSQL URL" (with its
 * password hidden) rather than looked for as a file.
 */
export function isConnectionUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

export async function resolveSource(text: string, env: NodeJS.ProcessEnv, profiles?: ProfileResolver, sqliteTimeZone?: string): Promise<SourceSpec> {
  if (text.startsWith(SQLITE_PREFIX)) return checkedSqliteSpec(sqliteSpecOf(text, sqliteTimeZone));
  if (text.startsWith(PROFILE_PREFIX)) {
    if (!profiles) throw new PgdriftError('usage', `${text}: connection profiles are not available here`);
    return { kind: 'live', ...profiles(text.slice(PROFILE_PREFIX.length)) };
  }
  if (isConnectionUrl(text)) return { kind: 'live', target: parseConnectionUrl(text, env) };
  const scripts: Script[] = [];
  for (const file of await readSqlFiles(text)) scripts.push(await parseScript(file));
  return { kind: 'files', path: text, scripts, archives: extensionArchives(scripts) };
}

export function openResolved(spec: SourceSpec, options: FilesSourceOptions = {}): Promise<Source> {
  if (spec.kind === 'live') return openLiveSource(spec.target, spec.ssh);
  return spec.kind === 'sqlite' ? openSqliteSource(spec, options) : openFilesSource(spec, options);
}

export async function openSource(text: string, options: SourceOptions): Promise<Source> {
  return openResolved(await resolveSource(text, options.env, options.profiles, options.sqliteTimeZone), options);
}

/** The file is there and the zone is known before anything is opened (a typo costs no connection). */
async function checkedSqliteSpec(spec: SqliteSpec): Promise<SqliteSpec> {
  try {
    checkTimeZone(spec.timeZone);
  } catch {
    throw new PgdriftError('usage', `unknown time zone "${spec.timeZone}": give an IANA name such as Africa/Johannesburg or UTC`);
  }
  const info = await stat(spec.path).catch((error: unknown) => {
    const code = (error as { code?: string }).code;
    throw new PgdriftError('usage', `${spec.path}: ${code === 'ENOENT' ? 'no such SQLite file' : code === 'EACCES' ? 'permission denied' : messageOf(error)}`);
  });
  if (!info.isFile()) throw new PgdriftError('usage', `${spec.path} is not a file (sqlite: needs a SQLite database file)`);
  return spec;
}
