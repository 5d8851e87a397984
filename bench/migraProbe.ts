/**
 * One measured @pgkit/migra introspection, in a fresh Node process: `node migraProbe.js <url>`.
 * The same figures as bench/probe.ts for pgdrift: `PostgreSQL.create` (@pgkit/schemainspect, what
 * migra runs on each database) timed after the connection is open, the statements it sent
 * (pg-promise's `query` event, so every statement counts once), and the process's peak RSS.
 * bench/run.ts bundles it with esbuild, @pgkit/* left in node_modules as the migra CLI loads them.
 * Prints one JSON line (MigraProbeResult).
 */
import { performance } from 'node:perf_hooks';
import { createClient, sql } from '@pgkit/client';
import { PostgreSQL } from '@pgkit/migra';

export interface MigraProbeResult {
  /** PostgreSQL.create: its version query and every catalog query, and building its objects. */
  introspectMs: number;
  connectMs: number;
  queries: number;
  maxRssBytes: number;
  /** Tables (relations of kind r and p) it read: that it read the same database as pgdrift. */
  tables: number;
}

async function main(): Promise<void> {
  const url = process.argv[2];
  if (!url) throw new Error('usage: migraProbe.js <postgres URL>');
  let queries = 0;
  const client = createClient(url, { pgpOptions: { initialize: { query: () => void (queries += 1) } } });
  try {
    const t0 = performance.now();
    // Opens the pool's connection, which PostgreSQL.create then reuses: connecting is not timed, as in bench/probe.ts.
    await client.query(sql`select 1`);
    const connectMs = performance.now() - t0;
    queries = 0;
    const start = performance.now();
    const inspected = await PostgreSQL.create(client);
    const introspectMs = performance.now() - start;
    const result: MigraProbeResult = {
      introspectMs,
      connectMs,
      queries,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      tables: Object.keys(inspected.tables).length,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(`migraProbe: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
