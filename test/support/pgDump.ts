/**
 * pg_dump for a server of a given major version. pg_dump refuses to dump a server newer than
 * itself, and the output of a newer pg_dump for an older server is what users of that newer
 * client get, so the same major is preferred, then the oldest newer one. Looked for in Debian's
 * /usr/lib/postgresql/<major>/bin, in the npm-shipped servers (node_modules/pg<major>/native/bin),
 * on PATH, and in .cache/pg-client-18/bin: pg_dump 18 from Debian sid, which
 * scripts/pg-client-18.sh unpacks there (Debian 12 ships pg_dump 15 only).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface PgDump {
  path: string;
  major: number;
  version: string;
}

const ROOT = resolve(__dirname, '..', '..');

/** The wrapper scripts/pg-client-18.sh writes (run by scripts/setup.sh). */
export const PG_DUMP_18 = join(ROOT, '.cache', 'pg-client-18', 'bin', 'pg_dump');

function candidates(): string[] {
  const found = ['pg_dump', PG_DUMP_18];
  for (const dir of ['/usr/lib/postgresql', join(ROOT, 'node_modules')]) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) {
      for (const bin of [join(dir, entry, 'bin', 'pg_dump'), join(dir, entry, 'native', 'bin', 'pg_dump')]) if (existsSync(bin)) found.push(bin);
    }
  }
  return found;
}

let all: PgDump[] | undefined;

export function availablePgDumps(): PgDump[] {
  all ??= candidates().flatMap((path) => {
    const out = spawnSync(path, ['--version'], { encoding: 'utf8' });
    const version = /pg_dump \(PostgreSQL\) (\d+)(\.\d+)?/.exec(out.stdout ?? '');
    return out.status === 0 && version ? [{ path, major: Number(version[1]), version: `${version[1]}${version[2] ?? ''}` }] : [];
  });
  return all;
}

export function pgDumpFor(serverMajor: number): PgDump | undefined {
  const usable = availablePgDumps().filter((d) => d.major >= serverMajor).sort((a, b) => a.major - b.major);
  return usable.find((d) => d.major === serverMajor) ?? usable[0];
}

/** Why there is no pg_dump for a server of this major, and how to get one. */
export function missingPgDump(serverMajor: number): string {
  const found = availablePgDumps().map((d) => `${d.version} (${d.path})`).join(', ') || 'none';
  const how = serverMajor <= 18
    ? `pg_dump 18 comes from Debian sid, unpacked into ${PG_DUMP_18} by scripts/pg-client-18.sh: run scripts/setup.sh (or bash scripts/pg-client-18.sh)`
    : `install pg_dump ${serverMajor} or newer`;
  return `no pg_dump ${serverMajor} or newer on this machine (found: ${found}); ${how}`;
}

/** `pg_dump --schema-only --no-owner --no-privileges` of the database behind url, or with owners and privileges. */
export function schemaDump(dump: PgDump, url: string, options: { ownersAndPrivileges?: boolean } = {}): string {
  const args = ['--schema-only', ...(options.ownersAndPrivileges ? [] : ['--no-owner', '--no-privileges']), '-d', url];
  const out = spawnSync(dump.path, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`${dump.path} failed: ${out.stderr}`);
  return out.stdout;
}
