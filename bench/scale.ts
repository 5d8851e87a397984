/**
 * One size of the scale series: pgdrift beside @pgkit/migra on the generated database of `tables`
 * tables and its variant, in the same cluster and run. pgdrift's introspection of the "from"
 * database is measured with the others (bench/run.ts, bench/probe.ts); here:
 *
 * 1. migra's introspection of the same database (bench/migraProbe.ts), 1 warm-up and `runs`
 *    measured, each in a fresh process;
 * 2. diff+plan in process on the two models (bench/diffProbe.ts), both tools taking turns;
 * 3. the end-to-end CLI comparison (bench/e2e.ts), which also gives the peak memory.
 */
import { runEndToEnd, type EndToEndContext, type EndToEndResult } from './e2e';
import type { DiffProbeResult } from './diffProbe';
import type { MigraProbeResult } from './migraProbe';
import { variantSummary } from './schema';

export interface ScaleSize {
  tables: number;
  runs: number;
  /** Successful runs only; a run that failed (migra out of memory, say) is in `errors`. */
  migraIntrospect: { warmup?: MigraProbeResult; runs: MigraProbeResult[] };
  /** Measured diff+plan runs in the order taken (warm-ups left out). */
  diff: DiffProbeResult[];
  /** Probe runs that failed: "migra introspection: …", "diff+plan migra: …". */
  errors: string[];
  e2e: EndToEndResult;
}

export interface ScaleContext {
  /** The end-to-end context without what depends on the pair. */
  e2e: Omit<EndToEndContext, 'pair' | 'tables' | 'variant' | 'variantGenerationMs' | 'fromDb' | 'toDb' | 'runs'>;
  /** Runs `node <script> args…` in a fresh process and returns its stdout. */
  runProbe: (script: 'migraProbe' | 'diffProbe', args: string[]) => Promise<string>;
}

export const fromDbOf = (tables: number): string => `gen_${tables}`;
export const variantDbOf = (tables: number): string => `gen_${tables}_variant`;
export const pairLabel = (tables: number): string => `generated, ${tables.toLocaleString('en')} tables`;

export async function runScaleSize(ctx: ScaleContext, tables: number, runs: number, variantGenerationMs: number): Promise<ScaleSize> {
  const { url, log } = ctx.e2e;
  const from = url(fromDbOf(tables));
  const to = url(variantDbOf(tables));
  const errors: string[] = [];
  // A failed run is kept as an error, so one tool's failure still leaves the other's figures.
  const attempt = async <T>(what: string, script: 'migraProbe' | 'diffProbe', args: string[]): Promise<T | undefined> => {
    try {
      return JSON.parse(await ctx.runProbe(script, args)) as T;
    } catch (error) {
      errors.push(`${what}: ${(error instanceof Error ? error.message : String(error)).split('\n').slice(-1)[0]}`);
      log(`bench: ${tables} tables: ${errors.at(-1)}`);
      return undefined;
    }
  };
  const warmup = await attempt<MigraProbeResult>('migra introspection', 'migraProbe', [from]);
  const migraRuns: MigraProbeResult[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await attempt<MigraProbeResult>('migra introspection', 'migraProbe', [from]);
    if (r) migraRuns.push(r);
  }
  log(`bench: ${tables} tables: migra introspection ${migraRuns.map((r) => r.introspectMs.toFixed(0)).join(', ')} ms, ${(warmup ?? migraRuns[0])?.queries} queries`);

  const tools = ['pgdrift', 'migra'] as const;
  const diffProbe = (tool: (typeof tools)[number]) => attempt<DiffProbeResult>(`diff+plan ${tool}`, 'diffProbe', [tool, from, to]);
  for (const tool of tools) await diffProbe(tool);
  const diff: DiffProbeResult[] = [];
  for (let i = 0; i < runs; i++) {
    // Taking turns, who goes first swapping each round, as the end-to-end runs do.
    for (const tool of i % 2 === 0 ? tools : [...tools].reverse()) {
      const r = await diffProbe(tool);
      if (r) diff.push(r);
    }
  }
  log(`bench: ${tables} tables: diff+plan ${tools.map((t) => `${t} ${diff.filter((d) => d.tool === t).map((d) => d.diffMs.toFixed(0)).join(', ')} ms`).join('; ')}`);

  const e2e = await runEndToEnd({
    ...ctx.e2e,
    pair: pairLabel(tables),
    tables,
    variant: variantSummary(tables),
    variantGenerationMs,
    fromDb: fromDbOf(tables),
    toDb: variantDbOf(tables),
    runs,
  });
  return { tables, runs, migraIntrospect: { ...(warmup ? { warmup } : {}), runs: migraRuns }, diff, errors, e2e };
}
