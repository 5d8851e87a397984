/**
 * Finds and reads the SQL files of a path: the file itself, or the `.sql` files directly inside a
 * folder, in name order (code-unit order, as `LC_ALL=C ls` sorts: `010_x.sql` before `9_y.sql`, so
 * numbered migrations need zero-padded numbers). Subfolders and hidden files are not read. Every
 * problem here is the user's to fix, so it is a usage error naming the path.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { decodeSource } from '../check/source';
import { PgdriftError, messageOf } from '../errors';
import type { SqlFile } from './types';

export async function readSqlFiles(path: string): Promise<SqlFile[]> {
  const info = await stat(path).catch((error: unknown) => {
    throw new PgdriftError('usage', `${path}: ${reasonOf(error, 'no such file or folder (a database is named by a postgres:// URL)')}`);
  });
  const names = info.isDirectory() ? await sqlFilesIn(path) : [path];
  const files: SqlFile[] = [];
  for (const name of names) {
    const bytes = await readFile(name).catch((error: unknown) => {
      throw new PgdriftError('usage', `${name}: ${reasonOf(error, 'no such file')}`);
    });
    // Not UTF-8: a usage error with the line and column of the first bad byte.
    files.push({ name, text: decodeSource(bytes, name) });
  }
  return files;
}

async function sqlFilesIn(folder: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    throw new PgdriftError('usage', `${folder}: ${reasonOf(error, 'no such folder')}`);
  }
  const names = entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith('.') && /\.sql$/i.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) {
    throw new PgdriftError('usage', `${folder}: no .sql files in this folder (only files directly inside it ending in .sql are read)`);
  }
  return names.map((n) => join(folder, n));
}

/** The name a source gets in the tree's first line: the file or folder name. */
export function displayNameOf(path: string): string {
  return basename(path.replace(/[\\/]+$/, '')) || path;
}

function reasonOf(error: unknown, missing: string): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return missing;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return messageOf(error);
}
