/**
 * One measured introspection, in a fresh Node process: `node --expose-gc probe.js <url>`.
 * bench/run.ts bundles this file with esbuild (as the CLI is bundled) and runs it once per
 * sample, so peak RSS belongs to exactly one introspection. Prints one JSON line (ProbeResult).
 */
import { performance } from 'node:perf_hooks';
import { connectPg } from '../src/core/db/pgConnection';
import { CountingQueryable, type QueryResult, type Queryable } from '../src/core/db/queryable';
import { parseConnectionUrl } from '../src/core/db/target';
import { CATALOG_QUERIES, introspect, introspectTargetOf } from '../src/core/introspect';
import { canonicalJson } from '../src/core/model/canonicalJson';

export interface ProbeResult {
  /** introspect() from BEGIN to the normalised, fingerprinted model (connecting not included). */
  introspectMs: number;
  connectMs: number;
  queries: number;
  /** Time of each statement sent, in order, labelled by what it reads. */
  perQuery: { label: string; ms: number; rows: number }[];
  maxRssBytes: number;
  /** Heap in use right after introspect() returned, before any collection. */
  heapUsedBytes: number;
  /** Heap still in use after a full collection with the model alive: what holding the model costs. */
  heapRetainedBytes: number;
  jsonBytes: number;
  fingerprint: string;
  serverVersion: string;
  counts: Record<string, number>;
}

/** Times every query it passes on; sits under the CountingQueryable. */
class TimingQueryable implements Queryable {
  readonly log: { sql: string; ms: number; rows: number }[] = [];
  constructor(private readonly inner: Queryable) {}

  async query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    const start = performance.now();
    const result = await this.inner.query<R>(sql, params);
    this.log.push({ sql, ms: performance.now() - start, rows: result.rows.length });
    return result;
  }
}

function labelOf(sql: string): string {
  const query = CATALOG_QUERIES.find((q) => q.variants.some((v) => v.sql === sql));
  return query ? query.what : sql.replace(/\s+/g, ' ').slice(0, 48).trim();
}

async function main(): Promise<void> {
  const url = process.argv[2];
  if (!url) throw new Error('usage: probe.js <postgres URL>');
  const target = parseConnectionUrl(url);
  const t0 = performance.now();
  const connection = await connectPg(target);
  const connectMs = performance.now() - t0;
  try {
    const timing = new TimingQueryable(connection);
    const counting = new CountingQueryable(timing);
    const start = performance.now();
    const inspection = await introspect({ ...introspectTargetOf(connection), db: counting });
    const introspectMs = performance.now() - start;
    const heapUsedBytes = process.memoryUsage().heapUsed;
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('run with node --expose-gc');
    gc();
    const heapRetainedBytes = process.memoryUsage().heapUsed;
    const m = inspection.model;
    const result: ProbeResult = {
      introspectMs,
      connectMs,
      queries: counting.count,
      perQuery: timing.log.map((q) => ({ label: labelOf(q.sql), ms: q.ms, rows: q.rows })),
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      heapUsedBytes,
      heapRetainedBytes,
      // The bytes `pgdrift inspect --format json` prints; measured after the memory figures.
      jsonBytes: Buffer.byteLength(`${canonicalJson(inspection, 2)}\n`),
      fingerprint: inspection.fingerprint,
      serverVersion: inspection.source.serverVersion,
      counts: {
        schemas: m.schemas.length,
        tables: m.tables.length,
        columns: m.tables.reduce((n, t) => n + t.columns.length, 0),
        constraints: m.constraints.length,
        indexes: m.indexes.length,
        views: m.views.length,
        sequences: m.sequences.length,
        routines: m.routines.length,
        triggers: m.triggers.length,
        enums: m.enums.length,
        dependencies: m.dependencies.length,
      },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(`probe: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
