/**
 * A SQLite --to, on stderr: what the copy moves, what the translation left out or changed, the
 * tables not copied because the target already holds rows, and each value that would not fit its
 * PostgreSQL column (by table, column and row id). Returns how many such values there are: they
 * block the plan as an unaccepted hazard does, and the run refuses them.
 */
import type { Comparison } from '../core/compare';
import { displayName } from '../core/render/objectName';
import type { CliIo } from './io';

export function reportSqlite(comparison: Pick<Comparison, 'sqlite'>, io: CliIo): number {
  const report = comparison.sqlite;
  if (!report) return 0;
  const copied = report.tables.filter((t) => t.rows > 0);
  const rows = copied.reduce((n, t) => n + t.rows, 0);
  io.stderr(`sqlite: ${report.path}, DATETIME text read in ${report.timeZone}: the plan copies ${rows.toLocaleString('en-US')} row${rows === 1 ? '' : 's'} into ${copied.length} table${copied.length === 1 ? '' : 's'}\n`);
  for (const f of report.findings) io.stderr(`sqlite: ${f.kind} ${f.table}${f.object ? `.${f.object}` : ''}: ${f.message}\n`);
  for (const t of report.skipped) io.stderr(`sqlite: ${displayName(t)} is not copied: the target already holds rows in it (the copy fills empty tables only)\n`);
  for (const t of report.leftOut) io.stderr(`sqlite: ${displayName(t.table)} is not copied (${t.rows.toLocaleString('en-US')} rows): the plan leaves out ${t.because}\n`);
  for (const m of report.misfits) io.stderr(`misfit: ${m.table}.${m.column} row ${m.row}: ${m.reason}\n`);
  const n = report.misfits.length;
  if (n) {
    io.stderr(`${report.misfitsTruncated ? 'more than ' : ''}${n} SQLite value${n === 1 ? '' : 's'} would not fit ${n === 1 ? 'its' : 'their'} PostgreSQL column: `
      + `the COPY would fail on ${n === 1 ? 'it' : 'them'}, and pgdrift run refuses the plan until ${n === 1 ? 'it is' : 'they are'} fixed in the SQLite file\n`);
  }
  return n;
}
