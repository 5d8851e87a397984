import * as vscode from 'vscode';
import type { Comparison } from '../../core/compare';
import { describeOrphan } from '../../core/data';
import { displayName } from '../../core/render/objectName';
import type { ComparisonSide } from './comparisonState';
import { syncSummary } from './referenceEntries';

/**
 * What a comparison found besides the schema, as the CLI prints it on stderr: the reference-data
 * sync per table, its warnings and the rows it left out (orphans: their parent row will not be in
 * the target), and a SQLite desired state's translation report. All of it goes to the pgdrift
 * log; what the user must act on (rows left out, values that will not fit) also gets a warning
 * notification with a way to the log.
 */
export function reportComparison(comparison: Comparison, from: ComparisonSide, to: ComparisonSide, log: vscode.LogOutputChannel): void {
  const notices: string[] = [];
  const data = comparison.data;
  if (data) {
    for (const t of data.tables) log.info(`reference data: ${displayName(t.table)}: ${syncSummary(t)} (${t.expected} rows after the migrate-data phase)`);
    for (const w of data.warnings) log.warn(`reference data: ${w}`);
    for (const o of data.orphans) log.warn(`reference data: orphan: ${describeOrphan(o, comparison.to.inspection.model)}`);
    const n = data.orphans.length;
    if (n) {
      notices.push(`${n} reference-data ${n === 1 ? 'row is' : 'rows are'} left out of the plan: ${n === 1 ? 'it refers to a row' : 'they refer to rows'} ${from.label} will not have. `
        + 'Mark the referenced table as reference data too, or add the missing rows first.');
    }
  }
  const sqlite = comparison.sqlite;
  if (sqlite) {
    const copied = sqlite.tables.filter((t) => t.rows > 0);
    const rows = copied.reduce((sum, t) => sum + t.rows, 0);
    log.info(`sqlite: ${sqlite.path}, DATETIME text read in ${sqlite.timeZone}: the plan copies ${rows} rows into ${copied.length} tables`);
    for (const f of sqlite.findings) log.warn(`sqlite: not translated: ${f.kind} ${f.table}${f.object ? `.${f.object}` : ''}: ${f.message}`);
    for (const t of sqlite.skipped) log.warn(`sqlite: ${displayName(t)} is not copied: the target already holds rows in it (the copy fills empty tables only)`);
    for (const m of sqlite.misfits) log.error(`sqlite: does not fit: ${m.table}.${m.column} row ${m.row}: ${m.reason}`);
    const n = sqlite.misfits.length;
    if (n) {
      notices.push(`${sqlite.misfitsTruncated ? 'More than ' : ''}${n} ${n === 1 ? 'value' : 'values'} in ${to.label} will not fit ${n === 1 ? 'its' : 'their'} PostgreSQL ${n === 1 ? 'column' : 'columns'} `
        + `(e.g. ${sqlite.misfits[0]?.table}.${sqlite.misfits[0]?.column} row ${sqlite.misfits[0]?.row}): fix them in the SQLite file before the copy runs.`);
    }
  }
  for (const notice of notices) {
    void vscode.window.showWarningMessage(`pgdrift: ${notice}`, 'Show Log').then((choice) => {
      if (choice) log.show(true);
    });
  }
}
