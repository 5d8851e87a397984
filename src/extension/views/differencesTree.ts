import * as vscode from 'vscode';
// Light modules only (names, kinds, the tree's grouping): the engine itself (introspection,
// planning, PGlite) loads with the first comparison, not with the views.
import { affected, isBlocking } from '../../core/hazards/accept';
import type { Hazard } from '../../core/hazards/types';
import type { ObjectId } from '../../core/model/types';
import type { Change, ChangeAction, Plan, PlannedStatement } from '../../core/plan/types';
import { kindLabel } from '../../core/render/changeKinds';
import { buildTree, causeOf, groupByKind, hazardsByChange, summaryOf, type DiffNode } from '../../core/render/diffTree';
import { displayName, kindOfId, memberName } from '../../core/render/objectName';
import type { ComparisonState, CurrentComparison } from '../compare/comparisonState';
import { ChangeSelection } from '../compare/selection';
import type { TableSync } from '../../core/data/types';
import { MARKED_TABLE_CONTEXT, referenceDataGroup, referenceDescription, rowsWritten, sqliteGroup, TABLE_CONTEXT } from './comparisonGroups';
import { setIncluded, type SelectOutcome } from './selectionControl';

/**
 * The Schema Differences view. Until a comparison has run it has no items, and VS Code shows the
 * view's welcome content instead (package.json "viewsWelcome"). After "Compare Databases…" it
 * shows the comparison's plan as structured items, grouped as `pgdrift diff` groups them:
 *
 *   production ← local: 1 table to create, 1 to alter, …, 1 data-loss warning   (summary)
 *   tables (2)                                                                   (kind)
 *     + public.invoice                                                           (object)
 *     ~ public.customer
 *         - column legacy_code   3 non-null values would be lost                 (member)
 *             ⚠ DL-02 Dropping … deletes 3 non-null values …                     (hazard)
 *
 * Descriptions carry the essence (the change's details, what the measured hazards found), tooltips
 * the change's statements and hazards. "Show Only Changes with Hazards" keeps the objects whose
 * own or members' statements have a hazard.
 *
 * Every change has a checkbox: unchecked changes are left out of Generate Migration (see
 * selectionControl.ts for what leaving out a change others need does). A table's box covers its
 * members too; an altered table's box (it has no change of its own) covers the members shown under
 * it and is checked while any of them is kept.
 */
export interface ViewNode {
  id: string;
  label: string;
  description?: string;
  tooltip?: string | vscode.MarkdownString;
  icon?: vscode.ThemeIcon;
  expanded?: boolean;
  /** Run when the item is selected: an object's DDL side by side. */
  command?: vscode.Command;
  /** The changes its checkbox includes or leaves out: its own and its members'. */
  changes?: ObjectId[];
  /** For the context menus (Mark as Reference Data…): see comparisonGroups.ts. */
  contextValue?: string;
  /** The table an item stands for, for Mark/Unmark Reference Data. */
  table?: ObjectId;
  children: ViewNode[];
}

/** What the hidden `pgdrift.differences.snapshot` command returns: the visible tree, for tests. */
export interface SnapshotNode {
  label: string;
  description?: string;
  icon?: string;
  /** The checkbox, for a node that has one. */
  checked?: boolean;
  /** What decides its context menu (e.g. pgdrift.table.referenceData for a marked table). */
  contextValue?: string;
  children: SnapshotNode[];
}

const ROOT = Symbol('root');
/** How long the plan's editor waits for the view to be filled at most. */
const FILL_TIMEOUT_MS = 3000;

export const HAZARDS_ONLY_CONTEXT = 'pgdrift.differences.hazardsOnly';

/** The settings comparisonArgs reads. */
const COMPARISON_SETTINGS = ['referenceData', 'referenceDataMaxRows', 'referenceDataDelete', 'sqliteTimeZone', 'mappingFile'];

const ACTION_ICONS: Record<ChangeAction, [string, string]> = {
  create: ['add', 'gitDecoration.addedResourceForeground'],
  drop: ['remove', 'gitDecoration.deletedResourceForeground'],
  alter: ['edit', 'gitDecoration.modifiedResourceForeground'],
  recreate: ['sync', 'gitDecoration.renamedResourceForeground'],
};

const RENAME_ICON: [string, string] = ['diff-renamed', 'gitDecoration.renamedResourceForeground'];

const SEVERITY_WORDS: Record<Hazard['severity'], [string, string]> = {
  'data-loss': ['data-loss warning', 'data-loss warnings'],
  failure: ['failure warning', 'failure warnings'],
  lock: ['lock warning', 'lock warnings'],
  compat: ['compatibility note', 'compatibility notes'],
  transaction: ['non-transactional statement', 'non-transactional statements'],
};

export class DifferencesTree implements vscode.TreeDataProvider<ViewNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: ViewNode[] = [];
  private current: CurrentComparison | undefined;
  private hazardsOnly = false;
  private view: vscode.TreeView<ViewNode> | undefined;
  private checkboxes: vscode.Disposable | undefined;
  private readonly subscription: vscode.Disposable;
  /** What VS Code has not asked the children of yet, since the last rebuild: ROOT and the expanded items. */
  private unfetched = new Set<ViewNode | typeof ROOT>();
  private filledWaiters: (() => void)[] = [];
  /** The changes Generate Migration leaves out, reset by each comparison. */
  readonly selection: ChangeSelection;

  constructor(state: ComparisonState) {
    this.current = state.current;
    // A new comparison resets the selection, whose event then rebuilds the view: once, with both
    // up to date. (Rebuilding on each event built the old tree again, and VS Code fetched the
    // whole new tree twice: its tree views debounce refreshes by 200 ms, the first one leading.)
    const comparison = state.onDidChange((current) => {
      this.current = current;
      if (this.view) this.view.message = '';
    });
    // Settings a comparison reads: edited by hand, the comparison shown no longer follows them.
    const settings = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!this.current || !this.view || !COMPARISON_SETTINGS.some((s) => event.affectsConfiguration(`pgdrift.${s}`))) return;
      this.view.message = 'Settings of this comparison changed (reference data, SQLite time zone or mapping file): Refresh Comparison to apply them.';
    });
    this.selection = new ChangeSelection(state);
    this.subscription = vscode.Disposable.from(comparison, settings, this.selection.onDidChange(() => this.rebuild()), state.registerView(() => this.whenFilled()));
    void vscode.commands.executeCommand('setContext', HAZARDS_ONLY_CONTEXT, false);
  }

  /** The view showing this tree, whose description names an active filter. */
  attach(view: vscode.TreeView<ViewNode>): vscode.TreeView<ViewNode> {
    this.view = view;
    this.checkboxes?.dispose();
    this.checkboxes = view.onDidChangeCheckboxState(async (event) => {
      for (const included of [false, true]) {
        const state = included ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked;
        const ids = event.items.filter(([, s]) => s === state).flatMap(([node]) => node.changes ?? []);
        if (ids.length) await this.select(ids, included);
      }
    });
    return view;
  }

  /**
   * Includes or leaves out changes, as their checkboxes do (also the hidden command
   * `pgdrift.differences.select` for tests): ids already in the asked state are skipped.
   */
  async select(ids: readonly ObjectId[], included: boolean): Promise<SelectOutcome> {
    const changes = new Map((this.current?.comparison.plan.changes ?? []).map((c) => [c.id, c]));
    const asked = [...new Set(ids)].filter((id) => changes.has(id) && this.selection.isExcluded(id) === included);
    if (asked.length === 0) {
      this.selection.refresh();
      return { status: included ? 'included' : 'excluded', also: [], excluded: this.selection.excludedIds };
    }
    return setIncluded(this.selection, changes, asked, included);
  }

  async setHazardsOnly(on: boolean): Promise<void> {
    this.hazardsOnly = on;
    await vscode.commands.executeCommand('setContext', HAZARDS_ONLY_CONTEXT, on);
    this.rebuild();
  }

  /** The tree as shown (after the filter), labels and descriptions as the user reads them. */
  snapshot(): SnapshotNode[] {
    const convert = (n: ViewNode): SnapshotNode => ({
      label: n.label,
      ...(n.description ? { description: n.description } : {}),
      ...(n.icon ? { icon: n.icon.id } : {}),
      ...(n.changes?.length ? { checked: this.isChecked(n) } : {}),
      ...(n.contextValue ? { contextValue: n.contextValue } : {}),
      children: n.children.map(convert),
    });
    return this.roots.map(convert);
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    const item = new vscode.TreeItem(
      node.label,
      node.children.length === 0 ? vscode.TreeItemCollapsibleState.None
        : node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = node.id;
    if (node.description) item.description = node.description;
    if (node.tooltip) item.tooltip = node.tooltip;
    if (node.icon) item.iconPath = node.icon;
    if (node.command) item.command = node.command;
    if (node.contextValue) item.contextValue = node.contextValue;
    if (node.changes?.length) {
      item.checkboxState = {
        state: this.isChecked(node) ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked,
        tooltip: 'Include in the migration',
      };
    }
    return item;
  }

  /** Checked while the node's change is kept; for an altered table, while any member shown is kept. */
  private isChecked(node: ViewNode): boolean {
    return (node.changes ?? []).some((id) => !this.selection.isExcluded(id));
  }

  getChildren(node?: ViewNode): ViewNode[] {
    if (this.unfetched.delete(node ?? ROOT) && this.unfetched.size === 0) for (const filled of this.filledWaiters.splice(0)) filled();
    return node ? node.children : this.roots;
  }

  /**
   * Resolves once VS Code has asked for the children of the root and of every item shown
   * expanded (each level is a round trip to the window), at most `timeoutMs` later (the user may
   * have collapsed some), and at once when the view is not visible (VS Code then asks nothing).
   */
  whenFilled(timeoutMs = FILL_TIMEOUT_MS): Promise<void> {
    if (!this.view?.visible || this.unfetched.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.filledWaiters = this.filledWaiters.filter((w) => w !== done);
        resolve();
      }, timeoutMs);
      this.filledWaiters.push(done);
    });
  }

  dispose(): void {
    this.changed.dispose();
    this.subscription.dispose();
    this.checkboxes?.dispose();
    this.selection.dispose();
  }

  private rebuild(): void {
    this.roots = this.current ? buildView(this.current, this.hazardsOnly, this.selection) : [];
    const expanded = (nodes: readonly ViewNode[]): ViewNode[] => nodes.flatMap((n) => (n.expanded && n.children.length ? [n, ...expanded(n.children)] : []));
    this.unfetched = new Set([ROOT, ...expanded(this.roots)]);
    if (this.view) {
      const { selected, total } = this.selection.counts();
      const notes = this.current ? [
        ...(selected < total ? [`${selected} of ${total} selected`] : []),
        ...(this.hazardsOnly ? ['only changes with hazards'] : []),
      ] : [];
      this.view.description = notes.join(' · ');
    }
    this.changed.fire();
  }
}

function buildView(current: CurrentComparison, hazardsOnly: boolean, selection: ChangeSelection): ViewNode[] {
  const plan = current.comparison.plan;
  const all = buildTree(plan.changes);
  const hazards = hazardsByChange(plan);
  const statements = statementsByChange(plan);
  const changes = new Map(plan.changes.map((c) => [c.id, c]));
  const data = new Map((current.comparison.data?.tables ?? []).map((t) => [t.table, t]));
  const ctx: Context = { hazards, statements, changes, data, markable: !current.comparison.sqlite };

  const { selected, total } = selection.counts();
  const summary: ViewNode = {
    id: 'summary',
    label: summaryLabel(current, all, plan),
    ...(selected < total ? { description: `${selected} of ${total} ${total === 1 ? 'change' : 'changes'} selected` } : {}),
    icon: new vscode.ThemeIcon('git-compare'),
    tooltip: summaryTooltip(current, plan),
    children: [],
  };
  const withHazards = (node: DiffNode): DiffNode | undefined => {
    const children = node.children.map(withHazards).filter((c): c is DiffNode => c !== undefined);
    return (hazards.get(node.id)?.length ?? 0) > 0 || children.length > 0 ? { ...node, children } : undefined;
  };
  const roots = hazardsOnly ? all.map(withHazards).filter((n): n is DiffNode => n !== undefined) : all;
  const out: ViewNode[] = [summary];
  if (selected < total) out.push(selectionNode(selection.excludedIds, selected, total));
  // Before the kinds, where a long list of changes cannot hide them: the SQLite file's values that
  // will not fit, and the reference-data tables (those whose schema does not change have no item below).
  if (current.comparison.sqlite) out.push(sqliteGroup(current.comparison.sqlite));
  const reference = referenceDataGroup(current.comparison);
  if (reference) out.push(reference);
  if (hazardsOnly && roots.length === 0) {
    out.push({ id: 'no-hazards', label: 'No change has a hazard', icon: new vscode.ThemeIcon('pass'), children: [] });
  }
  for (const [kind, group] of groupByKind(roots)) {
    const id = `kind:${kind}`;
    out.push({
      id,
      label: `${kindLabel(kind, 2)} (${group.length})`,
      icon: vscode.ThemeIcon.Folder,
      expanded: true,
      children: group.map((node) => objectNode(node, true, id, ctx)),
    });
  }
  return out;
}

/** Shown while changes are left out: how many are selected, and (tooltip) which are not. */
function selectionNode(excluded: readonly ObjectId[], selected: number, total: number): ViewNode {
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown('**Left out of Generate Migration**');
  for (const id of excluded) tooltip.appendMarkdown('\n- ').appendText(`${kindLabel(kindOfId(id), 1)} ${displayName(id)}`);
  return {
    id: 'selection',
    label: `${selected} of ${total} ${total === 1 ? 'change' : 'changes'} selected`,
    description: `${excluded.length} left out of the migration`,
    icon: new vscode.ThemeIcon('checklist'),
    tooltip,
    children: [],
  };
}

interface Context {
  hazards: ReadonlyMap<ObjectId, readonly Hazard[]>;
  statements: ReadonlyMap<ObjectId, readonly PlannedStatement[]>;
  changes: ReadonlyMap<ObjectId, Change>;
  /** The reference-data tables' syncs, by table id. */
  data: ReadonlyMap<ObjectId, TableSync>;
  /** Whether tables can be marked as reference data (not when the desired state is a SQLite file, whose rows are all copied). */
  markable: boolean;
}

function objectNode(node: DiffNode, top: boolean, parentId: string, ctx: Context): ViewNode {
  const id = `${parentId}/${node.id}`;
  const hazards = ctx.hazards.get(node.id) ?? [];
  const label = top ? displayName(node.id) : `${kindLabel(node.kind, 1)} ${memberName(node.id)}`;
  // What would be lost or fail first: descriptions are cut at the view's width.
  const essence = [
    ...hazards.map(hazardEssence).filter((e): e is string => e !== undefined),
    ...(node.change?.details ?? []),
  ];
  const cause = causeOf(node, ctx.changes).trim().replace(/^\((.*)\)$/, '$1');
  if (cause) essence.push(cause);
  if (!node.change) essence.unshift('members change');
  // A table the desired state has can be marked as reference data; a marked one says what its rows need.
  const table = top && node.kind === 'table' && node.action !== 'drop' && ctx.markable ? node.id : undefined;
  const sync = table ? ctx.data.get(table) : undefined;
  if (sync) essence.unshift(referenceDescription(sync));
  // A rename (declared in the mapping file) is an ALTER … RENAME: its own icon, as in git's views.
  const renamed = node.change?.details.some((d) => d.startsWith('renamed from ')) === true;
  const [icon, colour] = renamed ? RENAME_ICON : ACTION_ICONS[node.action];
  const children: ViewNode[] = [
    ...hazards.map((h, i) => hazardNode(h, `${id}#${i}`)),
    ...node.children.map((child) => objectNode(child, false, id, ctx)),
  ];
  return {
    id,
    label,
    ...(essence.length ? { description: essence.join(' · ') } : {}),
    icon: new vscode.ThemeIcon(icon, new vscode.ThemeColor(colour)),
    tooltip: objectTooltip(node, label, hazards, ctx),
    expanded: hasHazards(node, ctx) && children.length > 0,
    command: { command: 'pgdrift.showObjectDiff', title: 'Show Object DDL Side by Side', arguments: [node.id] },
    changes: changesUnder(node),
    ...(table ? { table, contextValue: sync ? MARKED_TABLE_CONTEXT : TABLE_CONTEXT } : {}),
    children,
  };
}

/** The node's own change and its members' (as shown: the hazard filter may hide some). */
function changesUnder(node: DiffNode): ObjectId[] {
  return [...(node.change ? [node.change.id] : []), ...node.children.flatMap(changesUnder)];
}

function hasHazards(node: DiffNode, ctx: Context): boolean {
  return (ctx.hazards.get(node.id)?.length ?? 0) > 0 || node.children.some((c) => hasHazards(c, ctx));
}

function hazardNode(h: Hazard, id: string): ViewNode {
  // As the migration file's diagnostics grade them: only what blocks is an error (a failure) or a
  // warning (data loss); a hazard accepted, handled by a remedy or proved harmless by its probe
  // ("all 63 rows hold NULL") is information, like locks and rewrites.
  const blocking = isBlocking(h);
  const icon = blocking && h.severity === 'failure' ? new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'))
    : blocking ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
      : new vscode.ThemeIcon('info');
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${h.code}** ${h.severity}${stateOf(h)}\n\n`);
  tooltip.appendText(h.message);
  if (h.remedy) tooltip.appendMarkdown('\n\n*Remedy:* ').appendText(h.remedy);
  if (h.evidence?.samples?.length) tooltip.appendMarkdown('\n\n*Samples:* ').appendText(h.evidence.samples.join(', '));
  return {
    id,
    label: `${h.code} ${h.message}`,
    description: `${h.severity}${stateOf(h)}`,
    icon,
    tooltip,
    children: [],
  };
}

function stateOf(h: Hazard): string {
  return h.accepted ? ' (accepted)' : isBlocking(h) ? ' (blocking)' : '';
}

/** What a measured hazard found, in a few words: "3 non-null values would be lost", "all NULL: nothing lost". */
export function hazardEssence(h: Hazard): string | undefined {
  const n = affected(h);
  const e = h.evidence;
  if (n === undefined) {
    if (h.severity !== 'data-loss' && h.severity !== 'failure') return undefined;
    return e?.unknown ? `${h.code} not measured (${e.unknown})` : `${h.code} not measured`;
  }
  const capped = [e?.rows, e?.values, e?.nulls, e?.failing, e?.conflicts].some((c) => c?.value === n && c.capped);
  const count = (one: string, many: string) => `${capped ? 'at least ' : ''}${n} ${n === 1 ? one : many}`;
  switch (h.code) {
    case 'DL-02': case 'DL-04':
      return n === 0 ? 'all NULL: nothing lost' : `${count('non-null value', 'non-null values')} would be lost`;
    case 'DL-01': case 'DL-06':
      return n === 0 ? 'empty: nothing lost' : `${count('row', 'rows')} would be lost`;
    case 'DL-05':
      return n === 0 ? 'twins agree: nothing lost' : `${count('conflicting value', 'conflicting values')}`;
    case 'FL-01':
      return n === 0 ? 'empty table: no failure' : `fails on ${count('row', 'rows')}`;
    case 'FL-02':
      return n === 0 ? 'no NULLs: no failure' : `${count('NULL', 'NULLs')} make it fail`;
    default:
      if (n === 0) return h.severity === 'failure' ? 'no row fails' : 'nothing affected';
      return h.severity === 'failure' ? `fails on ${count('row', 'rows')}` : `${count('value', 'values')} changed`;
  }
}

function objectTooltip(node: DiffNode, label: string, hazards: readonly Hazard[], ctx: Context): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${node.action}** `).appendText(`${top(node, label)}`);
  for (const detail of node.change?.details ?? []) md.appendMarkdown('\n- ').appendText(detail);
  const sql = (ctx.statements.get(node.id) ?? []).map((s) => `${s.sql};`).join('\n');
  if (sql) md.appendMarkdown('\n\n').appendCodeblock(sql, 'sql');
  for (const h of hazards) md.appendMarkdown(`\n\n$(warning) **${h.code}** ${h.severity}${stateOf(h)}: `).appendText(h.message);
  md.supportThemeIcons = true;
  return md;
}

function top(node: DiffNode, label: string): string {
  return node.change?.parent ? `${label} of ${displayName(node.change.parent)}` : `${kindLabel(node.kind, 1)} ${label}`;
}

function statementsByChange(plan: Plan): Map<ObjectId, PlannedStatement[]> {
  const out = new Map<ObjectId, PlannedStatement[]>();
  for (const s of plan.statements) {
    const list = out.get(s.change);
    if (list) list.push(s);
    else out.set(s.change, [s]);
  }
  return out;
}

/** "<from> ← <to>: <the CLI's summary>, 2 data-loss warnings, 1 lock warning". */
function summaryLabel(current: CurrentComparison, roots: readonly DiffNode[], plan: Plan): string {
  const parts = [summaryOf(roots)];
  const data = current.comparison.data;
  if (data) {
    const rows = rowsWritten(data.tables);
    if (parts[0] === 'no differences') parts[0] = 'no schema differences';
    parts.push(`reference data: ${rows ? `${rows} ${rows === 1 ? 'row' : 'rows'} to write` : 'rows equal'}`);
  }
  const bySeverity = new Map<Hazard['severity'], number>();
  for (const s of plan.statements) for (const h of s.hazards ?? []) bySeverity.set(h.severity, (bySeverity.get(h.severity) ?? 0) + 1);
  for (const severity of Object.keys(SEVERITY_WORDS) as Hazard['severity'][]) {
    const n = bySeverity.get(severity);
    if (n) parts.push(`${n} ${SEVERITY_WORDS[severity][n === 1 ? 0 : 1]}`);
  }
  return `${current.from.label} ← ${current.to.label}: ${parts.join(', ')}`;
}

function summaryTooltip(current: CurrentComparison, plan: Plan): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown('**from** (the database to change): ').appendText(current.from.label);
  md.appendMarkdown('\n\n**to** (the desired state): ').appendText(current.to.label);
  const data = current.comparison.data;
  if (data) md.appendMarkdown('\n\n**reference data**: ').appendText(`${data.tables.length} tables, ${rowsWritten(data.tables)} rows to write`);
  md.appendMarkdown(`\n\n${plan.changes.length} changes, ${plan.statements.length} statements; compared ${current.at.toLocaleString()}`);
  return md;
}
