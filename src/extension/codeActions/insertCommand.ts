import * as vscode from 'vscode';
import type { Hazard } from '../../core/hazards/types';
import type { ObjectId } from '../../core/model/types';
import type { PlannedStatement } from '../../core/plan/types';
import { hazardsByChange } from '../../core/render/diffTree';
import type { ComparisonState, CurrentComparison } from '../compare/comparisonState';
import { compareWithout, type MigrationSelection } from '../compare/generateMigration';
import { hazardEssence } from '../views/differencesTree';
import {
  allEntries, byPlanOrder, changeInText, changeOf, findEntry, indexPlan, rankEntries, requirementsOf, statementsFor,
  type PendingEntry, type PlanIndex,
} from './pendingChanges';
import type { InsertArgs } from './provider';
import { renderAll, renderSome } from './renderInsert';
import { contextAt, insertionAt, squeeze } from './sqlText';

/**
 * "Insert Pending Change…" and "Insert All Pending Changes": the code actions' commands, also in
 * the palette for the active SQL editor. Loaded when first run (they render with the planner).
 */

/** What the commands return (for tests): the changes inserted and where. */
export interface InsertOutcome {
  changes: string[];
  statements: number;
  range: vscode.Range;
}

const ACTION_ICONS = { create: 'add', drop: 'remove', alter: 'edit', recreate: 'sync' } as const;

/** `excluded`: the changes unchecked in the Schema Differences view, which are not offered or inserted. */
export async function insertPendingChange(state: ComparisonState, arg: unknown, excluded: ReadonlySet<ObjectId> = new Set()): Promise<InsertOutcome | undefined> {
  const current = await comparisonOrOffer(state);
  if (!current) return undefined;
  const target = await targetOf(arg);
  if (!target) return undefined;
  const { document, offset } = target;
  const index = indexPlan(current.comparison.plan);
  const text = document.getText();
  const squeezed = squeeze(text);
  const present = memoised((change: string) => changeInText(index, change, squeezed));

  const id = (arg as Partial<InsertArgs> | undefined)?.id;
  const entry = id ? findEntry(index, id) : await pickEntry(current, index, contextAt(text, offset), present, excluded);
  if (!entry) {
    if (id) void vscode.window.showErrorMessage('pgdrift: that change is no longer pending in the current comparison.');
    return undefined;
  }
  if (entry.changes.every((c) => excluded.has(c))) {
    void vscode.window.showInformationMessage(`pgdrift: ${entry.label} is unchecked in Schema Differences (left out of the migration): check it to insert it.`);
    return undefined;
  }
  const pending = entry.changes.filter((c) => !present(c) && !excluded.has(c));
  if (pending.length === 0) {
    void vscode.window.showInformationMessage(`pgdrift: ${entry.label} is already in this file.`);
    return undefined;
  }
  const changes = byPlanOrder(index, [...pending, ...requirementsOf(index, pending, present)]);
  const statements = statementsFor(index, changes, squeezed);
  const body = renderSome(statements, /check_function_bodies\s*=\s*(off|false)/i.test(text));
  return insert(document, offset, body, changes, statements);
}

/**
 * With changes unchecked in the view, the plan inserted is the one Generate Migration writes: both
 * sides compared again without them, so its probes, backups and order are those of that plan.
 */
export async function insertAllPendingChanges(state: ComparisonState, arg: unknown, selection?: MigrationSelection): Promise<InsertOutcome | undefined> {
  const current = await comparisonOrOffer(state);
  if (!current) return undefined;
  const target = await targetOf(arg);
  if (!target) return undefined;
  const plan = selection?.excluded.length ? (await compareWithout(current, selection, 'Insert all selected changes'))?.plan : current.comparison.plan;
  if (!plan) return undefined;
  if (plan.statements.length === 0) {
    void vscode.window.showInformationMessage(`pgdrift: ${current.from.label} ← ${current.to.label}: no differences, nothing to insert.`);
    return undefined;
  }
  return insert(target.document, target.offset, renderAll(plan), plan.changes.map((c) => c.id), plan.statements);
}

async function insert(document: vscode.TextDocument, offset: number, body: string, changes: string[], statements: readonly PlannedStatement[]): Promise<InsertOutcome | undefined> {
  const insertion = insertionAt(document.getText(), offset, body);
  const start = document.positionAt(insertion.offset);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, start, insertion.text);
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage('pgdrift: the statements could not be inserted (the file changed or is read-only).');
    return undefined;
  }
  const range = new vscode.Range(start, document.positionAt(insertion.offset + insertion.text.length));
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
  if (editor) {
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.Default);
  }
  return { changes, statements: statements.length, range };
}

async function comparisonOrOffer(state: ComparisonState): Promise<CurrentComparison | undefined> {
  if (state.current) return state.current;
  const choice = await vscode.window.showInformationMessage('pgdrift: no comparison yet: the pending changes come from comparing two databases.', 'Compare Databases');
  if (choice) await vscode.commands.executeCommand('pgdrift.compare');
  return undefined;
}

/** The document and offset of the code action, or the active editor's cursor from the palette. */
async function targetOf(arg: unknown): Promise<{ document: vscode.TextDocument; offset: number } | undefined> {
  const given = arg as Partial<InsertArgs> | undefined;
  if (given?.uri instanceof vscode.Uri) {
    const document = await vscode.workspace.openTextDocument(given.uri);
    const position = given.position ? document.validatePosition(new vscode.Position(given.position.line, given.position.character)) : new vscode.Position(0, 0);
    return { document, offset: document.offsetAt(position) };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showErrorMessage('pgdrift: open a SQL file first: the pending changes are inserted at its cursor.');
    return undefined;
  }
  return { document: editor.document, offset: editor.document.offsetAt(editor.selection.active) };
}

interface EntryItem extends vscode.QuickPickItem {
  entry?: PendingEntry;
}

/** Every object and member, those named at the cursor first, described as the Schema Differences view describes them. */
async function pickEntry(
  current: CurrentComparison, index: PlanIndex, contextText: string, present: (change: string) => boolean, excluded: ReadonlySet<ObjectId>,
): Promise<PendingEntry | undefined> {
  const hazards = hazardsByChange(current.comparison.plan);
  const { entries, named } = rankEntries(index, contextText);
  const offered = (e: PendingEntry) => !e.changes.every((c) => excluded.has(c));
  const near = entries.slice(0, countNamed(entries, named)).filter(offered);
  const nearSet = new Set(near);
  const item = (entry: PendingEntry): EntryItem => {
    const pending = entry.changes.filter((c) => !present(c) && !excluded.has(c));
    const required = pending.length ? requirementsOf(index, pending, present).length : 0;
    const own = changeOf(index, entry.id);
    const essence = [
      ...(hazards.get(entry.id) ?? []).map((h: Hazard) => hazardEssence(h)).filter((e): e is string => e !== undefined),
      ...(own?.details ?? []),
    ];
    if (pending.length === 0) essence.unshift('already in this file');
    else if (required) essence.unshift(`+ ${required} required`);
    return {
      label: `${entry.parent ? '    ' : ''}$(${ACTION_ICONS[entry.action]}) ${entry.label}`,
      ...(essence.length ? { description: essence.join(' · ') } : {}),
      entry,
    };
  };
  const items: EntryItem[] = [];
  if (near.length) {
    items.push({ label: 'named at the cursor', kind: vscode.QuickPickItemKind.Separator });
    items.push(...near.map(item));
    items.push({ label: 'all pending changes', kind: vscode.QuickPickItemKind.Separator });
  }
  items.push(...allEntries(index).filter((e) => !nearSet.has(e) && offered(e)).map(item));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Insert pending change (${current.from.label} ← ${current.to.label})`,
    placeHolder: 'The change is inserted at the cursor with the pending changes it needs',
    matchOnDescription: true,
  });
  return picked?.entry;
}

/** How many of the ranked entries belong to the objects named at the cursor (they come first, each with its members). */
function countNamed(entries: readonly PendingEntry[], named: number): number {
  let tops = 0;
  let i = 0;
  for (; i < entries.length; i++) {
    const e = entries[i] as PendingEntry;
    if (!e.parent) {
      tops += 1;
      if (tops > named) break;
    }
  }
  return i;
}

function memoised(f: (change: string) => boolean): (change: string) => boolean {
  const known = new Map<string, boolean>();
  return (change) => {
    let value = known.get(change);
    if (value === undefined) known.set(change, value = f(change));
    return value;
  };
}
