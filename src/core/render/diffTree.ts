/**
 * The readable form of a plan's changes, as the editor's tree view groups them:
 *
 *   production ← local: 1 table to create, 1 to alter, 1 column to create, 1 view to recreate
 *
 *   tables (2)
 *     + public.customer
 *         …details
 *     ~ public."Job"
 *         + column priority
 *             type: integer
 *   views (1)
 *     ± public.job_list (recreated because column public."Job".status changes)
 *
 *   4 statements: expand 2, routines 1, contract 1
 *
 * Members (columns, constraints, indexes, triggers, policies) sit under the table or view they
 * belong to (Change.parent); a table whose members change but which has no change of its own is
 * shown, and counted, as altered.
 */
import { compare } from '../model/normalise';
import { isBlocking } from '../hazards/accept';
import type { Hazard } from '../hazards/types';
import type { ObjectId } from '../model/types';
import { PHASES, type Change, type ChangeAction, type Plan } from '../plan/types';
import {
  ACTIONS, ACTION_MARKERS, ACTION_PARTICIPLES, CAUSE_VERBS, kindLabel, kindRank,
} from './changeKinds';
import { displayName, kindOfId, memberName } from './objectName';

export interface TreeLabels {
  /** The database the plan changes ("production"). */
  from: string;
  /** The database it is brought in line with ("local"). */
  to: string;
}

/** One object of the tree: a change, or a table shown only because its members change. */
export interface DiffNode {
  id: ObjectId;
  kind: string;
  action: ChangeAction;
  /** Absent for a table shown only because its members change. */
  change?: Change;
  children: DiffNode[];
}

type Node = DiffNode;

const INDENT = '  ';

export function renderDiffTree(plan: Plan, labels: TreeLabels): string {
  const roots = buildTree(plan.changes);
  const head = `${labels.from} ← ${labels.to}: ${summaryOf(roots)}`;
  if (roots.length === 0) return `${head}\n`;
  const lines = [head, ''];
  const changesById = new Map(plan.changes.map((c) => [c.id, c]));
  const hazards = hazardsByChange(plan);
  for (const [kind, group] of groupByKind(roots)) {
    lines.push(`${kindLabel(kind, 2)} (${group.length})`);
    for (const node of group) renderNode(node, 1, true, { changes: changesById, hazards }, lines);
  }
  lines.push('', statementsLine(plan));
  return `${lines.join('\n')}\n`;
}

/** "3 tables to create, 2 to alter, 1 trigger to create", or "no differences". */
export function summaryOf(roots: readonly Node[]): string {
  const counts = new Map<string, Map<ChangeAction, number>>();
  const visit = (node: Node): void => {
    const byAction = counts.get(node.kind) ?? new Map<ChangeAction, number>();
    byAction.set(node.action, (byAction.get(node.action) ?? 0) + 1);
    counts.set(node.kind, byAction);
    node.children.forEach(visit);
  };
  roots.forEach(visit);
  if (counts.size === 0) return 'no differences';
  const parts: string[] = [];
  for (const kind of [...counts.keys()].sort(byKind)) {
    const byAction = counts.get(kind) ?? new Map<ChangeAction, number>();
    let first = true;
    for (const action of ACTIONS) {
      const n = byAction.get(action);
      if (!n) continue;
      parts.push(first ? `${n} ${kindLabel(kind, n)} to ${action}` : `${n} to ${action}`);
      first = false;
    }
  }
  return parts.join(', ');
}

/** The changes as a forest: members under their table, sorted by kind then name. */
export function buildTree(changes: readonly Change[]): Node[] {
  const nodes = new Map<ObjectId, Node>();
  for (const change of changes) {
    nodes.set(change.id, { id: change.id, kind: change.kind, action: change.action, change, children: [] });
  }
  const roots: Node[] = [];
  const attach = (node: Node): void => {
    const parentId = node.change?.parent;
    if (!parentId || parentId === node.id) {
      roots.push(node);
      return;
    }
    let parent = nodes.get(parentId);
    if (!parent) {
      parent = { id: parentId, kind: kindOfId(parentId), action: 'alter', children: [] };
      nodes.set(parentId, parent);
      roots.push(parent);
    }
    parent.children.push(node);
  };
  for (const change of changes) {
    const node = nodes.get(change.id);
    if (node) attach(node);
  }
  const sortAll = (list: Node[]): void => {
    list.sort((a, b) => byKind(a.kind, b.kind) || compare(a.id, b.id));
    for (const node of list) sortAll(node.children);
  };
  sortAll(roots);
  return roots;
}

/** Top-level objects by kind, kinds in display order. */
export function groupByKind(roots: readonly Node[]): [string, Node[]][] {
  const groups = new Map<string, Node[]>();
  for (const node of roots) {
    const group = groups.get(node.kind);
    if (group) group.push(node);
    else groups.set(node.kind, [node]);
  }
  return [...groups.entries()].sort(([a], [b]) => byKind(a, b));
}

interface RenderContext {
  changes: ReadonlyMap<ObjectId, Change>;
  hazards: ReadonlyMap<ObjectId, readonly Hazard[]>;
}

function renderNode(node: Node, depth: number, top: boolean, ctx: RenderContext, lines: string[]): void {
  const pad = INDENT.repeat(depth);
  const name = top ? displayName(node.id) : `${kindLabel(node.kind, 1)} ${memberName(node.id)}`;
  lines.push(`${pad}${ACTION_MARKERS[node.action]} ${name}${causeOf(node, ctx.changes)}`);
  for (const detail of node.change?.details ?? []) lines.push(`${pad}${INDENT}${INDENT}${detail}`);
  for (const h of ctx.hazards.get(node.id) ?? []) {
    lines.push(`${pad}${INDENT}${INDENT}! ${h.code} ${h.severity}: ${h.message}${h.accepted ? ' (accepted)' : isBlocking(h) ? ' (blocking)' : ''}`);
    if (h.remedy) lines.push(`${pad}${INDENT}${INDENT}  remedy: ${h.remedy}`);
  }
  for (const child of node.children) renderNode(child, depth + 2, false, ctx, lines);
}

/** The hazards of each change's statements, in run order. */
export function hazardsByChange(plan: Plan): Map<ObjectId, Hazard[]> {
  const out = new Map<ObjectId, Hazard[]>();
  for (const s of plan.statements) {
    if (!s.hazards?.length) continue;
    const list = out.get(s.change);
    if (list) list.push(...s.hazards);
    else out.set(s.change, [...s.hazards]);
  }
  return out;
}

/** " (recreated because view public.x is recreated)", or '' for a change of its own. */
export function causeOf(node: Node, changes: ReadonlyMap<ObjectId, Change>): string {
  const cause = node.change?.cause;
  if (!cause) return '';
  const causing = changes.get(cause);
  const what = `${kindLabel(causing?.kind ?? kindOfId(cause), 1)} ${displayName(cause)}`;
  return ` (${ACTION_PARTICIPLES[node.action]} because ${what} ${CAUSE_VERBS[causing?.action ?? 'alter']})`;
}

/** "7 statements: expand 5, contract 2". */
function statementsLine(plan: Plan): string {
  const n = plan.statements.length;
  const perPhase = PHASES
    .map((phase) => [phase, plan.statements.filter((s) => s.phase === phase).length] as const)
    .filter(([, count]) => count > 0)
    .map(([phase, count]) => `${phase} ${count}`);
  return `${n} ${n === 1 ? 'statement' : 'statements'}${perPhase.length ? `: ${perPhase.join(', ')}` : ''}`;
}

function byKind(a: string, b: string): number {
  return kindRank(a) - kindRank(b) || compare(a, b);
}
