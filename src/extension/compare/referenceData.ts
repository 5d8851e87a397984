import * as vscode from 'vscode';
import type { DataSyncOptions } from '../../core/data/types';
import type { ObjectId } from '../../core/model/types';
import type { ComparisonState } from './comparisonState';
import { entryFor, entryNames, syncSummary } from './referenceEntries';


/**
 * Reference data in the editor: the tables whose rows every comparison makes equal (as `pgdrift
 * plan --data`), kept in the setting `pgdrift.referenceData` (`schema.table` entries) with
 * `pgdrift.referenceDataMaxRows` and `pgdrift.referenceDataDelete` beside it. The Schema
 * Differences view marks and unmarks tables, and "Choose Reference Data Tables…" lists the
 * desired state's tables (also those whose schema does not change, which the view does not show);
 * each edits the setting and compares the same sides again.
 */
export const REFERENCE_DATA_SETTING = 'referenceData';

const config = () => vscode.workspace.getConfiguration('pgdrift', vscode.workspace.workspaceFolders?.[0]?.uri);

/** The setting's entries, as written (trimmed, empty ones dropped). */
export function referenceDataEntries(): string[] {
  const value = config().get<unknown>(REFERENCE_DATA_SETTING);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter(Boolean) : [];
}

/** What the comparison asks of the engine (CompareArgs.data), or undefined when no table is marked. */
export function referenceDataOptions(): DataSyncOptions | undefined {
  const tables = referenceDataEntries();
  if (tables.length === 0) return undefined;
  const max = config().get<number>('referenceDataMaxRows');
  return {
    tables,
    deleteMissing: config().get<boolean>('referenceDataDelete') === true,
    ...(typeof max === 'number' && Number.isFinite(max) && max >= 0 ? { maxRows: Math.floor(max) } : {}),
  };
}

/** A table id from what a command was given: a Schema Differences item (`table`), or the id itself. */
function tableOf(arg: unknown): ObjectId | undefined {
  if (typeof arg === 'string') return arg.startsWith('table:') ? arg : undefined;
  const table = (arg as { table?: unknown } | undefined)?.table;
  return typeof table === 'string' ? table : undefined;
}

/**
 * "Mark as Reference Data" / "Unmark Reference Data" on a table of the Schema Differences view:
 * the setting gains or loses the table, and the same sides are compared again (the outcome is
 * the comparison's).
 */
export async function markReferenceData(arg: unknown, mark: boolean): Promise<unknown> {
  const id = tableOf(arg);
  if (!id) {
    void vscode.window.showErrorMessage('pgdrift: choose a table in the Schema Differences view to mark or unmark as reference data.');
    return undefined;
  }
  const entries = referenceDataEntries();
  const others = entries.filter((e) => !entryNames(e, id));
  await writeEntries(mark ? [...others, entryFor(id)] : others);
  return vscode.commands.executeCommand('pgdrift.differences.refresh');
}

/**
 * "Choose Reference Data Tables…": the desired state's tables from the current comparison, the
 * marked ones checked. Given a list of table names (scripts, tests), that list becomes the setting
 * without the picker. Compares again when the list changed.
 */
export async function chooseReferenceData(state: ComparisonState, arg?: unknown): Promise<unknown> {
  if (Array.isArray(arg)) {
    await writeEntries(arg.map(String));
    return vscode.commands.executeCommand('pgdrift.differences.refresh');
  }
  const current = state.current;
  if (!current) {
    const choice = await vscode.window.showInformationMessage(
      'pgdrift: compare first: the tables to choose from are those of the desired state (to). Or list them in the setting pgdrift.referenceData.',
      'Compare Databases', 'Open Settings');
    if (choice === 'Compare Databases') await vscode.commands.executeCommand('pgdrift.compare');
    if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', `pgdrift.${REFERENCE_DATA_SETTING}`);
    return undefined;
  }
  if (current.comparison.sqlite) {
    void vscode.window.showInformationMessage(`pgdrift: ${current.to.label} is a SQLite file: the plan copies all of its rows, so there is no reference data to choose.`);
    return undefined;
  }
  const model = current.comparison.to.inspection.model;
  const keyed = new Set(model.constraints.filter((c) => c.kind === 'primary key').map((c) => c.table));
  const synced = new Map((current.comparison.data?.tables ?? []).map((t) => [t.table, t]));
  const entries = referenceDataEntries();
  type Item = vscode.QuickPickItem & { id: ObjectId };
  const items: Item[] = model.tables
    .filter((t) => t.kind !== 'foreign table' && !t.partitionOf)
    .map((t) => {
      const sync = synced.get(t.id);
      return {
        id: t.id,
        label: entryFor(t.id),
        ...(sync ? { description: `reference data: ${syncSummary(sync)}` } : !keyed.has(t.id) ? { description: 'no primary key: its rows cannot be matched' } : {}),
        picked: entries.some((e) => entryNames(e, t.id)),
      };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`pgdrift: ${current.to.label} has no tables.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    ignoreFocusOut: true,
    title: `Reference data: tables whose rows ${current.from.label} should get from ${current.to.label}`,
    placeHolder: 'Check the small tables the application needs (roles, permissions, lookup lists); matched by primary key',
  });
  if (!picked) return undefined;
  // Entries naming tables the desired state does not have stay: they belong to other comparisons.
  const others = entries.filter((e) => !items.some((i) => entryNames(e, i.id)));
  const kept = entries.filter((e) => picked.some((p) => entryNames(e, p.id)));
  const added = picked.filter((p) => !entries.some((e) => entryNames(e, p.id))).map((p) => entryFor(p.id));
  const next = [...others, ...kept, ...added];
  if (next.length === entries.length && next.every((e) => entries.includes(e))) return undefined;
  await writeEntries(next);
  return vscode.commands.executeCommand('pgdrift.differences.refresh');
}

/** Where the list is written: where it is set now (a folder's settings, the workspace's), else the workspace. */
async function writeEntries(entries: readonly string[]): Promise<void> {
  const inspected = config().inspect<string[]>(REFERENCE_DATA_SETTING);
  const target = inspected?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder
    : vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config().update(REFERENCE_DATA_SETTING, entries.length ? [...entries] : undefined, target);
}

