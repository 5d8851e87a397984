/**
 * The SQLite copy benchmark in bench/RESULTS.md: its section, its line under "## Targets", its row
 * of the summary table, and `--write`, which replaces all three (and `sqliteCopy` in results.json)
 * while every other figure stays as the last `npm run bench` wrote it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverLabel } from '../src/core/render/serverVersion';
import { CHECKS } from './sqliteChecks';
import type { SqliteCopyResult } from './sqliteCopy';
import { writeBenchSection } from './resultsFile';

const HEADING = '## Copying 1,000,000 SQLite rows into PostgreSQL';
const TARGET_PREFIX = '- Copying 1,000,000 SQLite rows';
/** The summary table's row starts so, whatever the figures. */
const SUMMARY_PREFIX = '| Copying 1,000,000 SQLite rows';

const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const perSecond = (rows: number): string => `${Math.round(rows).toLocaleString('en')} rows/s`;
const ratioText = (r: number | undefined): string => (r === undefined ? '—' : `${r.toFixed(2)}x`);

export function sqliteCopySummaryRow(r: SqliteCopyResult | undefined): string {
  const figure = `${SUMMARY_PREFIX} into PostgreSQL 15 (\`plan\` + \`run\`, end to end)`;
  if (!r) return `${figure} | not measured in this run | | |`;
  const base = r.baseline && r.medians.baselineMs !== undefined
    ? `${r.baseline.tool} ${sec(r.medians.baselineMs)} (${perSecond(r.rowsPerSecond.baseline!)})`
    : `no baseline: ${r.baselineSkipped ?? '—'}`;
  return `${figure} | ${sec(r.medians.totalMs)} (${perSecond(r.rowsPerSecond.endToEnd)}; \`run\` alone ${perSecond(r.rowsPerSecond.run)}) `
    + `| ${base} | ${ratioText(r.ratio)} |`;
}

export function sqliteCopyTargetLines(r: SqliteCopyResult): string[] {
  return [
    `${TARGET_PREFIX} into PostgreSQL 15 (no target set): \`pgdrift run\` ${perSecond(r.rowsPerSecond.run)}`
      + ` (median ${sec(r.medians.runMs)}), \`plan\` + \`run\` ${perSecond(r.rowsPerSecond.endToEnd)} (${sec(r.medians.totalMs)})`
      + (r.baseline && r.medians.baselineMs !== undefined
        ? `; ${r.baseline.tool} ${perSecond(r.rowsPerSecond.baseline!)} (${sec(r.medians.baselineMs)}): ${r.baseline.tool} / pgdrift ${ratioText(r.ratio)}.`
        : `; no baseline (${r.baselineSkipped ?? ''}).`),
  ];
}

const builtBeforeCopy = (r: SqliteCopyResult): number => r.samples[0]?.pgdrift.builtBeforeCopy ?? 0;

export function sqliteCopySection(r: SqliteCopyResult): string[] {
  const b = r.baseline;
  const rows = Object.entries(r.file.rows).map(([t, n]) => `${t} ${n.toLocaleString('en')}`).join(', ');
  const rps = (ms: number) => perSecond(r.file.totalRows / (ms / 1000));
  return [
    HEADING,
    '',
    `Measured on ${r.date} at commit ${r.commit}${r.srcModified ? ', with uncommitted changes in src/,' : ''} by bench/sqliteCopy.ts.`
      + ` The SQLite file (bench/sqliteData.ts, built with sql.js${r.file.buildMs !== undefined ? ` in ${sec(r.file.buildMs)}` : ', cached from an earlier run'}):`
      + ` ${mib(r.file.bytes)}, ${r.file.totalRows.toLocaleString('en')} rows (${rows}); INTEGER PRIMARY KEYs, foreign keys,`
      + ` DATETIME text in local time (${r.file.zone}), BOOLEAN 0/1, DECIMAL, REAL and TEXT. Each sample copies it into a fresh empty`
      + ` database of ${serverLabel(r.serverVersion)} (private cluster on loopback, fsync off).`,
    '',
    `| Sample | pgdrift \`plan\` | pgdrift \`run\` | of which migrate-data (COPY) | \`plan\` + \`run\` | \`run\` rows/s | ${b ? `${b.tool} | ${b.tool} rows/s | ` : ''}ran first |`,
    `| --- | --- | --- | --- | --- | --- | ${b ? '--- | --- | ' : ''}--- |`,
    ...r.samples.map((s, i) => `| ${i + 1} | ${sec(s.pgdrift.plan.wallMs)} | ${sec(s.pgdrift.run.wallMs)} | ${sec(s.pgdrift.phasesMs['migrate-data'] ?? Number.NaN)} `
      + `| ${sec(s.pgdrift.totalMs)} | ${rps(s.pgdrift.run.wallMs)} `
      + `| ${b ? `${s.baseline ? sec(s.baseline.wallMs) : '—'} | ${s.baseline ? rps(s.baseline.wallMs) : '—'} | ` : ''}${s.first === 'baseline' ? b?.tool ?? '—' : 'pgdrift'} |`),
    `| **median of ${r.samples.length}** | ${sec(r.medians.planMs)} | ${sec(r.medians.runMs)} | ${sec(r.medians.copyPhaseMs)} | **${sec(r.medians.totalMs)}** | **${perSecond(r.rowsPerSecond.run)}** `
      + `| ${b && r.medians.baselineMs !== undefined ? `**${sec(r.medians.baselineMs)}** | **${perSecond(r.rowsPerSecond.baseline!)}** | ` : ''} |`,
    '',
    `pgdrift moves **${perSecond(r.rowsPerSecond.run)}** in \`run\`, **${perSecond(r.rowsPerSecond.endToEnd)}** counting \`plan\` too;`
      + (b && r.medians.baselineMs !== undefined
        ? ` ${b.tool} ${perSecond(r.rowsPerSecond.baseline!)}. ${b.tool}'s time over pgdrift's \`plan\` + \`run\`: **${ratioText(r.ratio)}**`
          + ` (${r.ratio! >= 1 ? 'pgdrift is faster' : `pgdrift takes ${(1 / r.ratio!).toFixed(2)}x as long`}).`
        : ` no baseline was measured: ${r.baselineSkipped ?? ''}.`)
      + ` Peak RSS (median): \`plan\` ${mib(r.medians.planRssBytes)}, \`run\` ${mib(r.medians.runRssBytes)}`
      + `${b && r.medians.baselineRssBytes !== undefined ? `, ${b.tool} ${mib(r.medians.baselineRssBytes)}` : ''}.`,
    '',
    `Inside \`run\`, the migrate-data phase (the ${r.samples[0]?.pgdrift.copyStatements ?? 0} COPY statements and the identity resets) took a median of`
      + ` ${sec(r.medians.copyPhaseMs)}: ${perSecond(r.rowsPerSecond.copyPhase)} while copying; the other ${sec(r.medians.runMs - r.medians.copyPhaseMs)}`
      + ' are the process start, the guards before the run (fingerprint, hazard check of the plan), the expand phase and the validation after each phase.'
      + (builtBeforeCopy(r) > 0
        ? ` The plan creates ${builtBeforeCopy(r)} indexes and constraints (keys, unique, check, foreign keys) in its expand phase, before the COPY`
          + ' statements, so PostgreSQL maintains them row by row while copying'
          + (b?.tool === 'pgloader' ? '; pgloader builds its indexes after the rows are in and adds the foreign keys last.' : '.')
        : ''),
    '',
    '- pgdrift: `node dist/cli.js plan --from URL --to sqlite:FILE --sqlite-time-zone '
      + `${r.file.zone} -o plan.sql\` (reads the file with sql.js, translates the schema and loads the translation into the embedded PostgreSQL to compare it with the target,`
      + ` surveys every row once (counts, misfits, time ranges), writes the plan; exit 2), then \`node dist/cli.js run plan.sql --target URL\` (creates the tables, streams the rows with \`COPY … FROM STDIN\`,`
      + ` ${r.samples[0]?.pgdrift.copyStatements ?? 0} COPY statements, resets the identities, validates counts and time ranges). Each a fresh Node process,`
      + ' timed from spawn to exit; peak RSS from `/usr/bin/time`.',
    ...(b
      ? [`- ${b.tool} (${b.version}): \`${b.command}\` (${b.what}), timed the same way, into a database whose TimeZone is set to ${r.file.zone}`
        + ' so that PostgreSQL reads the DATETIME text as the same instants pgdrift writes.'
        + (b.note ? ` It replaces pgloader here: ${b.note}.` : '')
        + (b.tool === 'pgloader'
          ? ' With its default casts pgloader makes REAL a 4-byte `real` (SQLite\'s REAL is 8 bytes), VARCHAR(60) `text`, and leaves out'
            + ' NOT NULL and CHECK constraints; pgdrift creates double precision, character varying(60), NOT NULL and the CHECKs, so its'
            + ' tables hold the same rows under more rules.'
          : '')]
      : [`- No baseline: ${r.baselineSkipped ?? ''}.`]),
    `- Every copy was checked against the file before its figure counted (bench/sqliteChecks.ts, ${CHECKS.length} values):`
      + ' row counts per table, booleans counted true, non-null foreign keys, a sum, and the earliest and latest DATETIME of'
      + ` three tables read back as wall-clock time in ${r.file.zone}. All matched; each database was dropped after its check.`,
    `- The tools take turns (the baseline first in every other sample). 1-minute load average ${r.loadAverageBefore} before this section started`
      + `${r.loadAverageAfter !== undefined ? `, ${r.loadAverageAfter} after it (this benchmark's own work included)` : ''};`
      + ' the machine has 2 cores, and PostgreSQL, the copying process and (for pgloader) its worker threads share them.',
    '',
  ];
}

/** `--write`: this section, its target line and its summary row in bench/RESULTS.md, and `sqliteCopy` in results.json. */
export function writeSqliteCopySection(root: string, r: SqliteCopyResult): void {
  writeBenchSection(root, {
    heading: HEADING, targetPrefixes: [TARGET_PREFIX], section: sqliteCopySection(r), targetLines: sqliteCopyTargetLines(r), jsonKey: 'sqliteCopy', value: r,
  });
  const path = join(root, 'bench', 'RESULTS.md');
  if (!existsSync(path)) return;
  // The summary's sentence on ratios, as a full run now writes it (bench/summary.ts).
  const lines = readFileSync(path, 'utf8')
    .replace('(above 1: pgdrift is faster or smaller); for the other rows',
      '(above 1: pgdrift is faster or smaller), for the SQLite copy the other tool\'s time / pgdrift\'s (above 1: pgdrift is faster); for the other rows')
    .split('\n');
  const row = sqliteCopySummaryRow(r);
  const at = lines.findIndex((l) => l.startsWith(SUMMARY_PREFIX));
  if (at >= 0) lines[at] = row;
  else {
    // After the summary table's last row.
    const summary = lines.indexOf('## Summary');
    let end = lines.findIndex((l, i) => i > summary && l.startsWith('| '));
    while (end >= 0 && lines[end + 1]?.startsWith('| ')) end++;
    if (summary >= 0 && end >= 0) lines.splice(end + 1, 0, row);
  }
  writeFileSync(path, lines.join('\n'));
}
