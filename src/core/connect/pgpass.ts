/**
 * libpq's password file, ~/.pgpass (or $PGPASSFILE): lines `host:port:database:username:password`,
 * the first line whose four fields match wins; `*` matches anything, `\:` and `\\` escape a colon
 * and a backslash, `#` starts a comment line. libpq ignores the file, with a warning, when group or
 * others may read it, since it holds passwords in the clear; so does pgdrift.
 */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface PgpassEntry {
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
}

/** Malformed lines (fewer than five fields) are skipped, as libpq skips them. */
export function parsePgpass(text: string): PgpassEntry[] {
  const entries: PgpassEntry[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    if (rawLine.trim() === '' || rawLine.startsWith('#')) continue;
    const fields = splitFields(rawLine);
    if (fields.length < 5) continue;
    const [host, port, database, user, ...rest] = fields as [string, string, string, string, ...string[]];
    // libpq takes everything after the fourth separator as the password (unescaped colons too).
    entries.push({ host, port, database, user, password: rest.join(':') });
  }
  return entries;
}

function splitFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      current += line[++i];
    } else if (c === ':') {
      fields.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  fields.push(current);
  return fields;
}

/**
 * libpq compares host as given; "localhost" also matches a connection over the Unix socket,
 * which pgdrift (TCP only) never makes.
 */
export function lookupPgpass(entries: readonly PgpassEntry[], want: { host: string; port: number; database: string; user: string }): string | undefined {
  const matches = (field: string, value: string) => field === '*' || field === value;
  const entry = entries.find(
    (e) => matches(e.host, want.host) && matches(e.port, String(want.port)) && matches(e.database, want.database) && matches(e.user, want.user),
  );
  return entry?.password;
}

export interface PgpassFile {
  path: string;
  entries: PgpassEntry[];
  /** Why the file was not used although it exists (its mode), for a warning on stderr. */
  warning?: string;
}

/** $PGPASSFILE or ~/.pgpass (HOME from env, as libpq uses it); undefined when there is none. */
export function readPgpassFile(env: NodeJS.ProcessEnv): PgpassFile | undefined {
  const path = env.PGPASSFILE || join(env.HOME || homedir(), '.pgpass');
  let mode: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return { path, entries: [], warning: `password file "${path}" is not a plain file` };
    mode = stat.mode;
  } catch {
    return undefined;
  }
  // libpq: "WARNING: password file has group or world access; permissions should be u=rw (0600)
  // or less". Windows has no such bits, and libpq does not check there.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    return { path, entries: [], warning: `password file "${path}" has group or world access; permissions should be u=rw (0600) or less: ignored` };
  }
  try {
    return { path, entries: parsePgpass(readFileSync(path, 'utf8')) };
  } catch {
    return { path, entries: [], warning: `password file "${path}" cannot be read: ignored` };
  }
}
