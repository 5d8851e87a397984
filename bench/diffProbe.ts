/**
 * Diff and plan alone, in a fresh Node process: `node diffProbe.js <pgdrift|migra> <from URL> <to URL>`.
 * Each tool reads both databases its own way first (not timed), then the timed part is what it
 * does with the two models to produce the script's text:
 *
 * - pgdrift: comparableModels, planMigration (the diff, ordered into statements) and renderPlanSql,
 *   with the options `pgdrift diff` uses by default. The hazard analysis `pgdrift diff` runs after
 *   planning (rules, and bounded probes on the from-database) is not part of it.
 * - migra: Migration.create on the two inspected databases, add_all_changes and `sql`, as its CLI
 *   does with --unsafe.
 *
 * bench/run.ts bundles it with esbuild (@pgkit/* left in node_modules). Prints one JSON line (DiffProbeResult).
 */
import { performance } from 'node:perf_hooks';
import { createClient } from '@pgkit/client';
import { Migration, PostgreSQL } from '@pgkit/migra';
import { connectPg } from '../src/core/db/pgConnection';
import { parseConnectionUrl } from '../src/core/db/target';
import { comparableModels } from '../src/core/diff/comparable';
import { introspect, introspectTargetOf } from '../src/core/introspect';
import type { Inspection } from '../src/core/model/types';
import { planMigration } from '../src/core/plan';
import { renderPlanSql } from '../src/core/plan/render';

export interface DiffProbeResult {
  tool: 'pgdrift' | 'migra';
  diffMs: number;
  scriptBytes: number;
  maxRssBytes: number;
}

async function inspect(url: string): Promise<Inspection> {
  const connection = await connectPg(parseConnectionUrl(url));
  try {
    return await introspect(introspectTargetOf(connection));
  } finally {
    await connection.close();
  }
}

async function pgdrift(fromUrl: string, toUrl: string): Promise<{ diffMs: number; script: string }> {
  const from = await inspect(fromUrl);
  const to = await inspect(toUrl);
  const start = performance.now();
  const models = await comparableModels(
    { model: from.model, serverVersionNum: from.source.serverVersionNum },
    { model: to.model, serverVersionNum: to.source.serverVersionNum },
  );
  const plan = planMigration(models.from, models.to, {
    owners: false, privileges: false, comments: true, online: false, casts: {}, serverVersionNum: from.source.serverVersionNum,
  });
  const script = renderPlanSql(plan);
  return { diffMs: performance.now() - start, script };
}

async function migra(fromUrl: string, toUrl: string): Promise<{ diffMs: number; script: string }> {
  const clients = [createClient(fromUrl), createClient(toUrl)] as const;
  try {
    const from = await PostgreSQL.create(clients[0]);
    const to = await PostgreSQL.create(clients[1]);
    const start = performance.now();
    const m = await Migration.create(from, to, {});
    m.set_safety(false);
    m.add_all_changes();
    const script = m.sql;
    return { diffMs: performance.now() - start, script };
  } finally {
    for (const c of clients) await c.end();
  }
}

async function main(): Promise<void> {
  const [tool, fromUrl, toUrl] = process.argv.slice(2);
  if ((tool !== 'pgdrift' && tool !== 'migra') || !fromUrl || !toUrl) throw new Error('usage: diffProbe.js <pgdrift|migra> <from URL> <to URL>');
  const { diffMs, script } = tool === 'pgdrift' ? await pgdrift(fromUrl, toUrl) : await migra(fromUrl, toUrl);
  const result: DiffProbeResult = { tool, diffMs, scriptBytes: Buffer.byteLength(script), maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(`diffProbe: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
