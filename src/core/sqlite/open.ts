/**
 * Opening a SQLite file: SQLite compiled to WebAssembly (sql.js), so reading a SQLite database
 * needs no native module and works in any VS Code and any Node. The whole file is read into
 * memory (sql.js runs on an in-memory copy; the original file is never written). sql.js is
 * imported on first use only, so commands that never read SQLite do not load it. In the bundles
 * (dist/cli.js, dist/extension.js) esbuild.mjs copies sql-wasm.wasm beside them; unbundled (tests,
 * tsx) it is read from the installed package.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import { PgdriftError } from '../errors';

let loading: Promise<SqlJsStatic> | undefined;

export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= (async () => {
    const [module, wasmBinary] = await Promise.all([import('sql.js'), readFile(sqlJsWasmPath())]);
    // sql.js is CommonJS (module.exports = initSqlJs): the import's default is the function.
    const init = ((module as { default?: unknown }).default ?? module) as (config: { wasmBinary: ArrayBuffer }) => Promise<SqlJsStatic>;
    return init({ wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer });
  })().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

export function sqlJsWasmPath(): string {
  const bundled = join(__dirname, 'sql-wasm.wasm');
  if (existsSync(bundled)) return bundled;
  // Resolved at run time (not by the bundler): only reached when running unbundled.
  return createRequire(__filename).resolve('sql.js/dist/sql-wasm.wasm');
}

/** A SQLite database from a file's bytes. The caller closes it. */
export async function openSqlite(path: string): Promise<Database> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new PgdriftError('source-failed', `Cannot read the SQLite file ${path}: ${(error as Error).message}`);
  }
  // Every SQLite 3 database file starts with this 16-byte header string; an empty file is an
  // empty database to SQLite, which is never what a user pointing at an application's file means.
  if (bytes.subarray(0, 16).toString('latin1') !== 'SQLite format 3\u0000') {
    throw new PgdriftError('source-failed', `${path} is not a SQLite 3 database (its header does not say "SQLite format 3").`);
  }
  return openSqliteBytes(bytes);
}

export async function openSqliteBytes(bytes: Uint8Array): Promise<Database> {
  const SQL = await loadSqlJs();
  return new SQL.Database(bytes);
}

/** "sha256:…" of the file's bytes: whether a file is the one a plan read. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
