/**
 * The scale series' figures (pgdrift beside @pgkit/migra at each generated size) and its section
 * of bench/RESULTS.md. The summary table at the top of the report takes its medians from here.
 */
import type { ScaleSize } from './scale';
import { median } from './stats';

/** pgdrift's introspection of the size's "from" database (bench/run.ts, bench/probe.ts). */
export interface PgdriftIntrospection {
  introspectMs: number[];
  queries: number;
}

export interface Spread { median: number; min: number; max: number }
export interface ScaleFigure {
  figure: string;
  unit: 'ms' | 'queries' | 'bytes';
  pgdrift: Spread;
  migra: Spread;
  /** migra / pgdrift, from the medians (NaN when a side was not measured). */
  ratio: number;
}

const spread = (xs: number[]): Spread => (xs.length
  ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) }
  : { median: Number.NaN, min: Number.NaN, max: Number.NaN });

export function scaleFigures(s: ScaleSize, pg: PgdriftIntrospection | undefined): ScaleFigure[] {
  const tool = (name: string) => s.e2e.tools.find((t) => t.tool === name);
  const e2e = (name: string, key: 'wallMs' | 'maxRssBytes'): Spread => {
    const t = tool(name);
    return t && t.okRuns > 0 ? { median: t[key].median, min: t[key].min, max: t[key].max } : spread([]);
  };
  const diff = (name: string): Spread => spread(s.diff.filter((d) => d.tool === name).map((d) => d.diffMs));
  const figures: Omit<ScaleFigure, 'ratio'>[] = [
    { figure: 'Introspection, one database', unit: 'ms', pgdrift: spread(pg?.introspectMs ?? []), migra: spread(s.migraIntrospect.runs.map((r) => r.introspectMs)) },
    { figure: 'Queries sent, one database', unit: 'queries', pgdrift: spread(pg ? [pg.queries] : []), migra: spread([(s.migraIntrospect.warmup ?? s.migraIntrospect.runs[0])?.queries ?? Number.NaN].filter((q) => !Number.isNaN(q))) },
    { figure: 'Diff + plan, in process', unit: 'ms', pgdrift: diff('pgdrift'), migra: diff('migra') },
    { figure: 'End-to-end CLI, wall time', unit: 'ms', pgdrift: e2e('pgdrift', 'wallMs'), migra: e2e('migra', 'wallMs') },
    { figure: 'End-to-end CLI, peak memory (RSS)', unit: 'bytes', pgdrift: e2e('pgdrift', 'maxRssBytes'), migra: e2e('migra', 'maxRssBytes') },
  ];
  return figures.map((f) => ({ ...f, ratio: f.migra.median / f.pgdrift.median }));
}

export function valueText(x: number, unit: ScaleFigure['unit']): string {
  if (Number.isNaN(x)) return '—';
  if (unit === 'queries') return String(x);
  if (unit === 'bytes') return `${(x / 1024 / 1024).toFixed(1)} MiB`;
  if (x >= 10000) return `${(x / 1000).toFixed(1)} s`;
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x >= 100 ? x.toFixed(0) : x.toFixed(1)} ms`;
}

export const ratioText = (r: number): string => (Number.isFinite(r) ? `${r.toFixed(r >= 10 ? 1 : 2)}x` : '—');

const spreadText = (s: Spread, unit: ScaleFigure['unit']): string =>
  s.min === s.max || unit === 'queries' ? valueText(s.median, unit) : `${valueText(s.median, unit)} (${valueText(s.min, unit)} – ${valueText(s.max, unit)})`;

export function scaleSection(sizes: readonly ScaleSize[], pgOf: (tables: number) => PgdriftIntrospection | undefined): string[] {
  return [
    '## Scale series: pgdrift beside @pgkit/migra',
    '',
    'Each size is a generated database (bench/schema.ts) and its variant (`generateVariantSchema`, about 10% of the tables changed),'
      + ' both tools measured on the same two databases in the same run. Medians (min – max); the ratio is migra / pgdrift,'
      + ' above 1 where pgdrift is faster or smaller.',
    '',
    '| Tables | Figure | pgdrift | @pgkit/migra | migra / pgdrift |',
    '| --- | --- | --- | --- | --- |',
    ...sizes.flatMap((s) => scaleFigures(s, pgOf(s.tables)).map((f) => `| ${s.tables.toLocaleString('en')} | ${f.figure} `
      + `| ${spreadText(f.pgdrift, f.unit)} | ${spreadText(f.migra, f.unit)} | ${ratioText(f.ratio)} |`)),
    '',
    '### How the scale series was taken',
    '',
    `- Measured runs per tool and figure: ${sizes.map((s) => `${s.tables.toLocaleString('en')} tables: ${s.runs}`).join('; ')}`
      + ' (fewer at 5,000 tables, where one @pgkit/migra run takes about a minute, and in a quick run), each after 1 warm-up run that is discarded,'
      + ' each in a fresh Node process.'
      + ' pgdrift\'s introspection is the "Introspection results" section\'s figure for the same database.',
    '- Introspection: pgdrift\'s `introspect()` (bench/probe.ts) against @pgkit/schemainspect\'s `PostgreSQL.create`, what migra runs on each side'
      + ' (bench/migraProbe.ts), both timed from an open connection to the finished model. Queries: every statement sent while introspecting'
      + ' (pgdrift: CountingQueryable; migra: pg-promise\'s `query` event, its version query included).',
    '- Diff + plan (bench/diffProbe.ts): both databases are read first (not timed); then pgdrift\'s comparableModels, planMigration and renderPlanSql'
      + ' with `pgdrift diff`\'s default options, against migra\'s `Migration.create` on the two inspected databases, `add_all_changes()` and `sql`'
      + ' (as its CLI with --unsafe). pgdrift\'s hazard analysis, which `pgdrift diff` runs after planning (rules, and bounded probes on the'
      + ' from-database), is not in this figure; it is in the end-to-end time.',
    '- End to end and peak memory: the sections below, per size (`/usr/bin/time` around each CLI process).',
    ...sizes.flatMap((s) => s.errors.map((e) => `- **Failed run**, ${s.tables.toLocaleString('en')} tables, ${e} (left out of the figures).`)),
    '',
  ];
}
