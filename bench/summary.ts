/**
 * The table at the top of bench/RESULTS.md: every figure issue 9 names, each with what it is
 * compared with and the ratio. Medians; the sections below hold the runs, spreads and method.
 * A section a quick run skipped reads "not measured in this run".
 */
import type { EndToEndResult } from './e2e';
import type { ExtensionBenchResult } from './extension';
import type { ProbeBenchResult } from './probes';
import { ratioText, scaleFigures, valueText, type PgdriftIntrospection } from './scaleReport';
import type { ScaleSize } from './scale';
import type { SourceBenchResult } from './sources';
import type { SqliteCopyResult } from './sqliteCopy';
import { sqliteCopySummaryRow } from './sqliteCopyReport';
import { median } from './stats';
import type { TreeBench } from './tree';

export interface SummaryInput {
  sizes: readonly ScaleSize[];
  pgOf: (tables: number) => PgdriftIntrospection | undefined;
  erp: EndToEndResult;
  probes?: ProbeBenchResult | undefined;
  sources?: SourceBenchResult | undefined;
  sqliteCopy?: SqliteCopyResult | undefined;
  extension?: ExtensionBenchResult | undefined;
  tree?: TreeBench | undefined;
}

const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const msText = (ms: number): string => `${ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)} ms`;
const SKIPPED = '| not measured in this run | | |';

export function summarySection(s: SummaryInput): string[] {
  const migra = (e: EndToEndResult) => e.tools.find((t) => t.tool === 'migra');
  const pg = (e: EndToEndResult) => e.tools.find((t) => t.tool === 'pgdrift');
  const erpPg = pg(s.erp);
  const erpMigra = migra(s.erp);
  const probeScan = s.probes ? median(s.probes.runs.map((r) => r.scanMs)) : 0;
  const probeTotal = s.probes ? median(s.probes.runs.map((r) => r.totalMs)) : 0;
  return [
    '## Summary',
    '',
    'Medians of this run. For the scale series and the ERP pair the ratio is @pgkit/migra / pgdrift (above 1: pgdrift is faster or smaller),'
      + ' for the SQLite copy the other tool\'s time / pgdrift\'s (above 1: pgdrift is faster);'
      + ' for the other rows it is pgdrift over the reference named beside it.',
    '',
    '| Figure | pgdrift | Compared with | Ratio |',
    '| --- | --- | --- | --- |',
    ...s.sizes.flatMap((size) => scaleFigures(size, s.pgOf(size.tables)).map((f) => `| ${size.tables.toLocaleString('en')} tables: ${f.figure} `
      + `| ${valueText(f.pgdrift.median, f.unit)} | @pgkit/migra ${valueText(f.migra.median, f.unit)} | ${ratioText(f.ratio)} |`)),
    `| ERP pair: end-to-end CLI, wall time | ${erpPg?.okRuns ? valueText(erpPg.wallMs.median, 'ms') : '—'} | @pgkit/migra ${erpMigra ? valueText(erpMigra.wallMs.median, 'ms') : '—'} `
      + `| ${ratioText(s.erp.ratios?.wallTime ?? Number.NaN)} |`,
    `| ERP pair: end-to-end CLI, peak memory (RSS) | ${erpPg?.okRuns ? valueText(erpPg.maxRssBytes.median, 'bytes') : '—'} `
      + `| @pgkit/migra ${erpMigra ? valueText(erpMigra.maxRssBytes.median, 'bytes') : '—'} | ${ratioText(s.erp.ratios?.maxRss ?? Number.NaN)} |`,
    `| Hazard probes, plan touching a ${(s.probes?.rows ?? 10_000_000).toLocaleString('en')}-row table (one \`measureHazards\` call) `
      + (s.probes ? `| ${sec(probeTotal)} | one \`SELECT count(*)\` of the table ${sec(probeScan)} | ${ratioText(probeTotal / probeScan)} |` : SKIPPED),
    `| Loading a ${(s.sources?.file.tables ?? 1000).toLocaleString('en')}-table SQL file into the embedded database `
      + (s.sources ? `| ${sec(s.sources.medians.loadMs)} | psql into PostgreSQL 15 ${sec(s.sources.medians.psqlMs)} | ${ratioText(s.sources.ratio)} |` : SKIPPED),
    sqliteCopySummaryRow(s.sqliteCopy),
    `| .vsix size ${s.extension ? `| ${(s.extension.vsix.bytes / 1024 / 1024).toFixed(2)} MiB (${s.extension.vsix.files} files) | — | — |` : SKIPPED}`,
    `| Activation time, VS Code for the Web ${s.extension ? `| ${msText(s.extension.medianActivateMs)} | — | — |` : SKIPPED}`,
    `| Schema Differences tree populated${s.tree ? `, ${s.tree.changes.toLocaleString('en')} changes` : ''} `
      + (s.tree ? `| ${sec(s.tree.medianPopulatedMs)} | CLI \`pgdrift diff\` on the same pair ${sec(s.tree.medianCliMs)} | ${ratioText(s.tree.ratio)} |` : SKIPPED),
    '',
  ];
}
