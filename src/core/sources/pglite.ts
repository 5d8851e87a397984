/**
 * An embedded PostgreSQL: PGlite (PostgreSQL 18 compiled to WebAssembly, running in this process,
 * in memory), reached through node-postgres over PGlite's own protocol adapter. The same driver as
 * for a live server means the same row shapes (int8 and numeric as strings, arrays parsed, errors
 * with SQLSTATE, position and hint), so introspection and the probes run unchanged.
 *
 * PGlite is a single-user server: one session, no background workers, no signals. SET
 * statement_timeout and lock_timeout are accepted, but nothing ever interrupts a statement (no
 * timer signal in WebAssembly) and no other session can hold a lock, so the probes' time limits
 * simply never trigger. That is harmless for a schema loaded from files: its tables hold only the
 * rows the files insert.
 */
import { Client } from 'pg';
import type { Connection, QueryResult } from '../db/queryable';
import { pgliteAssets, type PgliteAssets } from './pgliteAssets';
import { forgetTemplate, templateDataDir } from './pgliteTemplate';

export interface EmbeddedDatabase extends Connection {
  serverVersionNum: number;
  /** e.g. "18.7 (PGlite 0.5.17)". */
  serverVersion: string;
  /** Whether the session is inside a transaction block (a script's BEGIN without COMMIT). */
  inTransaction(): boolean;
}

export interface EmbeddedOptions {
  /** PGlite extension archives to load (extensions.ts). */
  archives: readonly string[];
  /** Where to keep the initialised data directory between runs; none: only for this process. */
  cacheDir?: string | undefined;
}

export async function startEmbedded(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const assets = await pgliteAssets();
  // Loaded on first use: a command that reads only live servers does not pay for PGlite's modules.
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const pg = await createFromTemplate(assets, options);
  const client = new Client(createPgConfig(pg));
  // As for a live connection: an 'error' event without a listener would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const row = (await client.query<{ num: string; version: string; full: string }>(
      "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version, version() AS full",
    )).rows[0];
    const build = /\((PGlite [^)]*)\)/.exec(row?.full ?? '')?.[1];
    let closed = false;
    return {
      serverVersionNum: Number(row?.num),
      serverVersion: `${row?.version ?? 'unknown'}${build ? ` (${build})` : ''}`,
      inTransaction: () => pg.isInTransaction(),
      async query<R extends object>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
        const result = await client.query<R>(sql, params as unknown[] | undefined);
        return { rows: result.rows, rowCount: result.rowCount };
      },
      async close() {
        if (closed) return;
        closed = true;
        await client.end().catch(() => undefined);
        await pg.close().catch(() => undefined);
      },
    };
  } catch (error) {
    await client.end().catch(() => undefined);
    await pg.close().catch(() => undefined);
    throw error;
  }
}

/** A started PGlite (its type is the one of the module loaded on demand). */
async function createFromTemplate(assets: PgliteAssets, options: EmbeddedOptions) {
  const { PGlite } = await import('@electric-sql/pglite');
  const create = async () => PGlite.create({
    pgliteWasmModule: assets.server,
    fsBundle: assets.fsBundle,
    loadDataDir: await templateDataDir(assets, options.cacheDir),
    extensions: Object.fromEntries(options.archives.map((a) => [a, assets.extensionArchive(a)])),
  });
  try {
    return await create();
  } catch {
    // A cached data directory that does not start (truncated, or written by a build with the
    // same files but another layout) is made again, once.
    await forgetTemplate(assets, options.cacheDir);
    return create();
  }
}
