/**
 * Writes a file so that it is never seen half-written: the text goes to a temporary file in the
 * same folder (same file system, so the rename is atomic), is flushed to disk, then renamed over
 * the destination. A missing folder is an error, not created: a typo in a path should not grow a
 * directory tree.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { PgdriftError, messageOf } from '../core/errors';

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const target = resolve(path);
  const folder = dirname(target);
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new PgdriftError('usage', `cannot write ${path}: the folder ${folder} does not exist (create it first)`);
  }
  const temp = join(folder, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new PgdriftError('usage', `cannot write ${path}: ${describeFsError(error)}`, { cause: error });
  }
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'ENOSPC') return 'no space left on the device';
  return messageOf(error);
}
