import * as vscode from 'vscode';
import type { Comparison, SqliteReport } from '../../core/compare';
import { describeOrphan } from '../../core/data';
import type { TableSync } from '../../core/data/types';
import { displayName } from '../../core/render/objectName';
import { REFERENCE_TABLE_CONTEXT, syncSummary } from '../compare/referenceEntries';
import type { ViewNode } from './differencesTree';

/**
 * The Schema Differences view's groups for what a comparison does besides the schema: the
 * reference-data tables (`pgdrift.referenceData`) with what their rows need, and a SQLite desired
 * state's translation report (what it left out, and the values that will not fit).
 */

export { MARKED_TABLE_CONTEXT, REFERENCE_TABLE_CONTEXT, TABLE_CONTEXT } from '../compare/referenceEntries';

/** How many items of a long list (misfits) the view shows; the log has them all. */
const LIST_LIMIT = 100;

/** "reference data: 8 to insert" for the description of a marked table among the schema changes. */
export function referenceDescription(sync: TableSync): string {
  return `reference data: ${syncSummary(sync)}`;
}

/** Rows the sync writes or deletes, over all tables. */
export function rowsWritten(tables: readonly TableSync[]): number {
  return tables.reduce((n, t) => n + t.inserted + t.updated + t.deleted, 0);
}

/** "reference data (5)": every marked table, with its rows' changes, the rows left out and the warnings. */
export function referenceDataGroup(comparison: Comparison): ViewNode | undefined {
  const data = comparison.data;
  if (!data) return undefined;
  const model = comparison.to.inspection.model;
  const children: ViewNode[] = data.tables.map((sync) => {
    const orphans = data.orphans.filter((o) => o.table === sync.table);
    const written = sync.inserted + sync.updated + sync.deleted;
    const description = [syncSummary(sync), ...(orphans.length ? [`${orphans.length} left out`] : [])].join(' · ');
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown('**Reference data** ').appendText(displayName(sync.table));
    tooltip.appendMarkdown('\n\n').appendText(`${sync.inserted} rows to insert, ${sync.updated} to update, ${sync.deleted} to delete`
      + `${sync.kept ? `, ${sync.kept} only in the target (kept)` : ''}; ${sync.expected} rows after the migrate-data phase.`);
    tooltip.appendMarkdown('\n\n').appendText('Unmark it from this item\'s context menu, or edit the setting pgdrift.referenceData.');
    return {
      id: `data/${sync.table}`,
      label: displayName(sync.table),
      description,
      tooltip,
      icon: orphans.length ? warningIcon()
        : new vscode.ThemeIcon('table', written ? new vscode.ThemeColor('gitDecoration.modifiedResourceForeground') : undefined),
      contextValue: REFERENCE_TABLE_CONTEXT,
      table: sync.table,
      expanded: orphans.length > 0,
      children: orphans.map((o, i) => messageNode(`data/${sync.table}#${i}`, describeOrphan(o, model), warningIcon())),
    };
  });
  const warnings = data.warnings.map((w, i) => messageNode(`data/warning#${i}`, w, warningIcon()));
  const rows = rowsWritten(data.tables);
  return {
    id: 'data',
    label: `reference data (${data.tables.length})`,
    description: rows ? `${rows} ${rows === 1 ? 'row' : 'rows'} to write${data.orphans.length ? `, ${data.orphans.length} left out` : ''}` : 'rows equal',
    tooltip: 'Tables marked as reference data (setting pgdrift.referenceData): their rows are made those of the desired state by INSERT … ON CONFLICT in the plan\'s migrate-data phase, parents before children.',
    icon: vscode.ThemeIcon.Folder,
    expanded: true,
    children: [...warnings, ...children],
  };
}

/**
 * "SQLite app.db": the translation's report: values that will not fit (blocking), tables not
 * copied because the target holds rows already, what the translation left out, the tables to copy.
 */
export function sqliteGroup(report: SqliteReport): ViewNode {
  const copied = report.tables.filter((t) => t.rows > 0);
  const rows = copied.reduce((n, t) => n + t.rows, 0);
  const name = report.path.split(/[\\/]/).pop() ?? report.path;
  const misfits = report.misfits.slice(0, LIST_LIMIT).map((m, i) => messageNode(`sqlite/misfit#${i}`, `${m.table}.${m.column} row ${m.row}: ${m.reason}`,
    new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'))));
  if (report.misfits.length > LIST_LIMIT || report.misfitsTruncated) {
    const more = report.misfits.length - Math.min(report.misfits.length, LIST_LIMIT);
    const text = report.misfitsTruncated ? `… ${more ? `${more} more in the pgdrift log, and ` : ''}the probe stopped at ${report.misfits.length}: there may be more`
      : `… and ${more} more (all in the pgdrift log)`;
    misfits.push(messageNode('sqlite/misfit#more', text, new vscode.ThemeIcon('ellipsis')));
  }
  const skipped = report.skipped.map((t) => messageNode(`sqlite/skipped/${t}`, `${displayName(t)} is not copied: the target already holds rows in it (the copy fills empty tables only)`, warningIcon()));
  const findings = report.findings.map((f, i) => {
    const node = messageNode(`sqlite/finding#${i}`, `${f.table}${f.object ? `.${f.object}` : ''}: ${f.message}`, new vscode.ThemeIcon('info'));
    node.description = f.kind;
    if (f.sql) node.tooltip = new vscode.MarkdownString().appendText(f.message).appendCodeblock(f.sql, 'sql');
    return node;
  });
  const tables: ViewNode = {
    id: 'sqlite/tables',
    label: `${copied.length} ${copied.length === 1 ? 'table' : 'tables'} to copy`,
    description: `${rows.toLocaleString('en-US')} rows`,
    icon: new vscode.ThemeIcon('table'),
    children: copied.map((t) => ({
      id: `sqlite/table/${t.table}`, label: t.table.startsWith('table:') ? displayName(t.table) : t.table, description: `${t.rows.toLocaleString('en-US')} rows`, children: [],
    })),
  };
  const notes = [
    ...(report.misfits.length ? [`${report.misfitsTruncated ? 'more than ' : ''}${report.misfits.length} ${report.misfits.length === 1 ? 'value does' : 'values do'} not fit`] : []),
    ...(report.skipped.length ? [`${report.skipped.length} not copied`] : []),
    ...(report.findings.length ? [`${report.findings.length} not translated`] : []),
  ];
  return {
    id: 'sqlite',
    label: `SQLite ${name}`,
    // What needs the user first: descriptions are cut at the view's width.
    description: [...notes, `DATETIME read in ${report.timeZone}`].join(' · '),
    tooltip: new vscode.MarkdownString().appendText(`${report.path}\n\nRead only, as the desired state. DATETIME text without an offset is read in ${report.timeZone} (setting pgdrift.sqliteTimeZone). `
      + 'Values that do not fit their PostgreSQL column block the plan until they are fixed in the SQLite file.'),
    icon: report.misfits.length ? new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')) : new vscode.ThemeIcon('database'),
    expanded: true,
    children: [...misfits, ...skipped, ...findings, tables],
  };
}

function messageNode(id: string, text: string, icon: vscode.ThemeIcon): ViewNode {
  return { id, label: text, tooltip: text, icon, children: [] };
}

function warningIcon(): vscode.ThemeIcon {
  return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
}
