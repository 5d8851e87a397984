/**
 * An initialised, empty data directory to start embedded databases from. Running initdb inside
 * WebAssembly costs about three times the CPU of unpacking a data directory it made before, so it
 * runs once: its result (a 4.5 MB tar.gz) is kept for the rest of the process and, when a cache
 * folder is given, as `pglite-<build>.tar.gz` there for later runs. The file name carries a hash
 * of the PGlite build, so an upgraded PGlite never starts from an older build's directory; a file
 * that cannot be used is replaced. Nothing of a user's schema is ever in it: it is dumped before
 * any statement runs.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PgliteAssets } from './pgliteAssets';

const templates = new Map<string, Promise<Blob>>();

export function templateDataDir(assets: PgliteAssets, cacheDir: string | undefined): Promise<Blob> {
  const key = `${assets.buildId}:${cacheDir ?? ''}`;
  let template = templates.get(key);
  if (!template) {
    template = cachedOrNew(assets, cacheDir).catch((error: unknown) => {
      templates.delete(key);
      throw error;
    });
    templates.set(key, template);
  }
  return template;
}

/** The cached file is not trusted: it is used only if a database starts from it. */
export async function forgetTemplate(assets: PgliteAssets, cacheDir: string | undefined): Promise<void> {
  templates.delete(`${assets.buildId}:${cacheDir ?? ''}`);
  if (cacheDir) await rm(cacheFile(assets, cacheDir), { force: true }).catch(() => undefined);
}

async function cachedOrNew(assets: PgliteAssets, cacheDir: string | undefined): Promise<Blob> {
  if (cacheDir) {
    const bytes = await readFile(cacheFile(assets, cacheDir)).catch(() => undefined);
    if (bytes) return new Blob([bytes], { type: 'application/x-gzip' });
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = await PGlite.create({ pgliteWasmModule: assets.server, initdbWasmModule: await assets.initdb(), fsBundle: assets.fsBundle });
  let template: Blob;
  try {
    template = await pg.dumpDataDir('gzip');
  } finally {
    await pg.close();
  }
  if (cacheDir) await keep(template, cacheFile(assets, cacheDir));
  return template;
}

/** Written to a temporary name and renamed, so a concurrent run never reads half a file. */
async function keep(template: Blob, file: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(temporary, Buffer.from(await template.arrayBuffer()));
    await rename(temporary, file);
  } catch {
    // A cache that cannot be written (read-only home, full disk) only costs time.
    await rm(temporary, { force: true }).catch(() => undefined);
  }
}

function cacheFile(assets: PgliteAssets, cacheDir: string): string {
  return join(cacheDir, `pglite-${assets.buildId}.tar.gz`);
}
