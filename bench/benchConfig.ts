/**
 * What one `npm run bench` measures, from the environment:
 *
 * - PGDRIFT_BENCH_SIZES=100,1000: the generated sizes (default 100, 1,000 and 5,000 tables);
 * - PGDRIFT_BENCH_QUICK=1: fewer runs, and the slow sections (hazard probes on 10 million rows,
 *   loading the SQL file, copying 1 million SQLite rows, the extension in VS Code for the Web) skipped;
 * - PGDRIFT_BENCH_ONLY=sqlite: only the SQLite copy (bench/sqliteCopy.ts), one sample with
 *   PGDRIFT_BENCH_QUICK=1, three otherwise.
 *
 * A reduced run (either switch) writes its report into bench/tmp, never over bench/RESULTS.md
 * and bench/results.json, which hold the figures of a full run.
 */
import { join } from 'node:path';

export const DEFAULT_SIZES: readonly number[] = [100, 1000, 5000];
/** At and above this size, @pgkit/migra takes long enough that the comparisons measure fewer runs. */
const LARGE = 5000;

export interface BenchConfig {
  sizes: number[];
  quick: boolean;
  /** Not the full benchmark: written to bench/tmp. */
  reduced: boolean;
  /** Where RESULTS.md and results.json go. */
  outDir: string;
  /** Measured introspections per database (fresh process each), and CLI `inspect` runs. */
  runs: number;
  cliRuns: number;
  /** Measured runs per tool of the comparisons (end to end, diff+plan, migra's introspection) at a size. */
  compareRuns: (tables: number) => number;
  /** Hazard probes, SQL-file loading, the SQLite copy, the extension and the tree view. */
  slowSections: boolean;
  /** One section alone instead of the whole benchmark. */
  only?: 'sqlite';
  /** Samples of the SQLite copy (each tool copies the file once per sample). */
  sqliteSamples: number;
}

export function benchConfig(root: string, env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const sizes = env.PGDRIFT_BENCH_SIZES
    ? env.PGDRIFT_BENCH_SIZES.split(',').map((s) => Number(s.trim()))
    : [...DEFAULT_SIZES];
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 20)) {
    throw new Error(`PGDRIFT_BENCH_SIZES="${env.PGDRIFT_BENCH_SIZES}": expected table counts of at least 20, comma-separated`);
  }
  const quick = env.PGDRIFT_BENCH_QUICK === '1';
  const only = env.PGDRIFT_BENCH_ONLY || undefined;
  if (only !== undefined && only !== 'sqlite') throw new Error(`PGDRIFT_BENCH_ONLY="${only}": expected sqlite`);
  const reduced = quick || only !== undefined || sizes.join() !== DEFAULT_SIZES.join();
  return {
    sizes,
    quick,
    reduced,
    outDir: reduced ? join(root, 'bench', 'tmp') : join(root, 'bench'),
    runs: quick ? 3 : 5,
    cliRuns: quick ? 1 : 3,
    compareRuns: (tables) => (quick || tables >= LARGE ? 3 : 5),
    slowSections: !quick,
    ...(only ? { only } : {}),
    sqliteSamples: quick ? 1 : 3,
  };
}
