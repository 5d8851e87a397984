import * as vscode from 'vscode';
import type { ObjectId } from '../../core/model/types';
import type { ComparisonState } from '../compare/comparisonState';
import { contextAt, squeeze } from './sqlText';

/**
 * Code actions in SQL files that insert the current comparison's pending changes:
 *
 *   Insert pending change ▸ create table public."Role" with 2 constraints
 *   Insert pending change ▸ drop column public."OvertimeSettings"."overtimeMode"
 *   …
 *   Insert pending change…            (a QuickPick of every change)
 *   Insert all pending changes
 *
 * The objects the statement (or line) at the cursor names come first, each with its members, then
 * the objects that need them, then the others, up to MAX_ENTRIES. A change whose statements are
 * already in the file is not offered, and one that needs other pending changes says how many
 * come with it. The actions run pgdrift.insertPendingChange / pgdrift.insertAllPendingChanges,
 * which render the statements when chosen (the planner's renderer loads then, not here).
 *
 * Changes unchecked in the Schema Differences view are not offered: they are left out of the
 * migration, and the changes kept never need them (the selection stays consistent).
 *
 * The light bulb appears on its own only where an action is likely wanted (an empty file, a
 * statement or line naming a changed object); Ctrl+. and the Refactor menu always list them, and
 * without a comparison offer "Compare Databases…".
 */
export const INSERT_KIND = vscode.CodeActionKind.Refactor.append('insert');

const MAX_ENTRIES = 8;
export const ACTION_PREFIX = 'Insert pending change';

export interface InsertArgs {
  uri: vscode.Uri;
  position: vscode.Position;
  /** The Schema Differences object (a change's id, or a table whose members change); none: pick one. */
  id?: string;
}

export class PendingChangeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [INSERT_KIND],
  };

  /** The file's text without white space, per version: what "already in the file" compares. */
  private squeezed: { uri: string; version: number; text: string } | undefined;

  /** `excluded`: the changes unchecked in the Schema Differences view. */
  constructor(private readonly state: ComparisonState, private readonly excluded: () => ReadonlySet<ObjectId> = () => new Set()) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext, token: vscode.CancellationToken): Promise<vscode.CodeAction[]> {
    if (context.only && !context.only.contains(INSERT_KIND)) return [];
    // Nothing to offer where nothing can be inserted: the side-by-side DDL, a git revision.
    if (document.uri.scheme !== 'untitled' && vscode.workspace.fs.isWritableFileSystem(document.uri.scheme) !== true) return [];
    const invoked = context.triggerKind === vscode.CodeActionTriggerKind.Invoke;
    const current = this.state.current;
    if (!current) return invoked ? [compareAction()] : [];
    const m = await import('./pendingChanges.js');
    if (token.isCancellationRequested) return [];
    const index = m.indexPlan(current.comparison.plan);
    if (index.entries.length === 0) {
      if (!invoked) return [];
      const none = new vscode.CodeAction(`${ACTION_PREFIX}: none`, INSERT_KIND);
      none.disabled = { reason: `${current.from.label} ← ${current.to.label}: no differences, nothing to insert` };
      return [none];
    }
    const text = document.getText();
    const position = range.start;
    const { entries, named } = m.rankEntries(index, contextAt(text, document.offsetAt(position)));
    // Unasked, the light bulb shows only where inserting is likely wanted.
    if (!invoked && named === 0 && text.trim() !== '') return [];

    const squeezed = this.squeezedText(document);
    const memo = new Map<string, boolean>();
    const present = (change: string) => {
      let known = memo.get(change);
      if (known === undefined) memo.set(change, known = m.changeInText(index, change, squeezed));
      return known;
    };
    const left = this.excluded();
    const actions: vscode.CodeAction[] = [];
    for (const entry of entries) {
      if (actions.length >= MAX_ENTRIES) break;
      const pending = entry.changes.filter((c) => !present(c) && !left.has(c));
      if (pending.length === 0) continue;
      const required = m.requirementsOf(index, pending, present).length;
      const title = `${ACTION_PREFIX} ▸ ${entry.label}${required ? ` + ${required} required` : ''}`;
      actions.push(commandAction(title, 'pgdrift.insertPendingChange', { uri: document.uri, position, id: entry.id }));
    }
    actions.push(commandAction(`${ACTION_PREFIX}…`, 'pgdrift.insertPendingChange', { uri: document.uri, position }));
    const all = left.size ? `Insert all selected changes (${left.size} unchecked left out)` : 'Insert all pending changes';
    actions.push(commandAction(all, 'pgdrift.insertAllPendingChanges', { uri: document.uri, position }));
    return actions;
  }

  private squeezedText(document: vscode.TextDocument): string {
    const uri = document.uri.toString();
    const known = this.squeezed;
    if (known && known.uri === uri && known.version === document.version) return known.text;
    const text = squeeze(document.getText());
    this.squeezed = { uri, version: document.version, text };
    return text;
  }
}

function commandAction(title: string, command: string, args: InsertArgs): vscode.CodeAction {
  const action = new vscode.CodeAction(title, INSERT_KIND);
  action.command = { command, title, arguments: [args] };
  return action;
}

function compareAction(): vscode.CodeAction {
  const action = new vscode.CodeAction('Compare Databases… (to insert pending changes here)', INSERT_KIND);
  action.command = { command: 'pgdrift.compare', title: 'Compare Databases…' };
  return action;
}
