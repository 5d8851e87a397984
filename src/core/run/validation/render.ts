/**
 * A phase's validation as text lines, for `pgdrift run` and the extension's output channel. Lines
 * that need attention start with ERROR: fewer rows in a kept table, a failed expectation, a backup
 * whose rows no longer match its manifest. Estimated counts read "~1000".
 */
import type { BackupCount, ObjectCount, PhaseValidation, TableCount } from '../types';

export interface RenderValidationOptions {
  /** One line per table, unchanged ones too; by default unchanged tables are summed up in one line. */
  allTables?: boolean;
}

export function renderValidationLines(report: PhaseValidation, options: RenderValidationOptions = {}): string[] {
  return [
    ...tableLines(report.tables, options.allTables ?? false),
    ...(report.objects.length ? [objectLine(report.objects)] : []),
    ...report.expectations.map((e) => `${e.ok ? '' : 'ERROR '}expect ${directive(e.text)}: ${e.actual} ${e.ok ? 'ok' : 'FAILED'}`),
    ...report.backups.map(backupLine),
    ...rediffLines(report.rediff),
    ...report.notes.map((n) => `note: ${n}`),
  ];
}

/** `rows: public."TimeEntry" 120 → 118 (-2)`: a new table reads "— → 5", a dropped one "5 → —". */
export function tableLine(t: TableCount): string {
  const count = (n: number | undefined) => (n === undefined ? '—' : `${t.exact ? '' : '~'}${n}`);
  const line = `rows: ${t.table} ${count(t.before)} → ${count(t.after)}`;
  if (t.before === undefined) return `${line} (new table)`;
  if (t.after === undefined) return `${line} (dropped)`;
  if (t.decreased) return `ERROR ${line} (${t.after - t.before}): fewer rows in a kept table`;
  if (t.after === t.before) return line;
  return `${line} (${t.after > t.before ? '+' : ''}${t.after - t.before})`;
}

function tableLines(tables: TableCount[], all: boolean): string[] {
  if (all) return tables.map(tableLine);
  const unchanged = tables.filter((t) => t.before !== undefined && t.before === t.after);
  const lines = tables.filter((t) => !unchanged.includes(t)).map(tableLine);
  if (unchanged.length) {
    const estimated = unchanged.filter((t) => !t.exact).length;
    lines.push(`rows: ${unchanged.length} ${lines.length ? 'other ' : ''}table${unchanged.length === 1 ? '' : 's'} unchanged${estimated ? ` (${estimated} estimated)` : ''}`);
  }
  return lines;
}

/** `objects: tables 27 / 27, views 3 / 3, triggers 6 / 7 (≠), …`: actual / expected (the to-source). */
export function objectLine(objects: ObjectCount[]): string {
  return `objects: ${objects.map((o) => (o.expected === undefined
    ? `${o.kind} ${o.actual}`
    : `${o.kind} ${o.actual} / ${o.expected}${o.actual === o.expected ? '' : ' (≠)'}`)).join(', ')}`;
}

/** `backup pgdrift_backup."public.gone@1a2b3c4d": 2 / 2 rows`: rows now / rows the manifest recorded. */
export function backupLine(b: BackupCount): string {
  const line = `backup ${b.backup}: ${b.actual} / ${b.manifest} row${b.manifest === 1 ? '' : 's'}`;
  return b.actual === b.manifest ? line : `ERROR ${line} (the manifest recorded ${b.manifest})`;
}

function rediffLines(rediff: PhaseValidation['rediff']): string[] {
  if (!rediff) return [];
  if (rediff.remaining === 0) return ['0 differences remain'];
  return [
    `${rediff.remaining} difference${rediff.remaining === 1 ? ' remains' : 's remain'}:`,
    ...rediff.lines.map((l) => `  ${l}`),
  ];
}

/** The expectation as a query and its comparison, without the comment marker it was written with. */
function directive(text: string): string {
  return text.replace(/^\s*--\s*pgdrift:expect\s+/i, '').trim();
}
