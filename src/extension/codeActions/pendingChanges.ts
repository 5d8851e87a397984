/**
 * The current comparison's changes as things to insert into a SQL file: one entry per object of the
 * Schema Differences tree (a table with all its members' changes, or a member alone), ranked for the
 * text at the cursor, with the other pending changes its statements need. Loaded with the first
 * code action request, not at activation.
 */
import { createsOf, dropsOf } from '../../core/plan/graph';
import type { ObjectId } from '../../core/model/types';
import type { Change, ChangeAction, Plan, PlannedStatement } from '../../core/plan/types';
import { kindLabel } from '../../core/render/changeKinds';
import { buildTree, groupByKind, type DiffNode } from '../../core/render/diffTree';
import { displayName, parseId } from '../../core/render/objectName';
import { designates, nameChains, squeeze, type NamePart } from './sqlText';

export interface PendingEntry {
  /** The tree node's id (a change's id, or a table whose members change). */
  id: ObjectId;
  /** "create table public."Role" with 2 constraints", "drop column public."T".x". */
  label: string;
  action: ChangeAction;
  /** The node's own change and its members' changes. */
  changes: ObjectId[];
  /** Set for a member (column, constraint, …): the top-level entry it belongs to. */
  parent?: PendingEntry;
  members: PendingEntry[];
}

export interface PlanIndex {
  plan: Plan;
  /** Top-level entries in the tree's order. */
  entries: PendingEntry[];
  byChange: Map<ObjectId, PlannedStatement[]>;
  /** Position of each change's first statement in the plan. */
  order: Map<ObjectId, number>;
  creators: Map<ObjectId, Set<ObjectId>>;
  droppers: Map<ObjectId, Set<ObjectId>>;
}

const indexes = new WeakMap<Plan, PlanIndex>();

export function indexPlan(plan: Plan): PlanIndex {
  const known = indexes.get(plan);
  if (known) return known;
  const byChange = new Map<ObjectId, PlannedStatement[]>();
  const order = new Map<ObjectId, number>();
  const creators = new Map<ObjectId, Set<ObjectId>>();
  const droppers = new Map<ObjectId, Set<ObjectId>>();
  const add = (map: Map<ObjectId, Set<ObjectId>>, id: ObjectId, change: ObjectId) => {
    const set = map.get(id) ?? new Set<ObjectId>();
    set.add(change);
    map.set(id, set);
  };
  plan.statements.forEach((s, i) => {
    const list = byChange.get(s.change);
    if (list) list.push(s);
    else {
      byChange.set(s.change, [s]);
      order.set(s.change, i);
    }
    for (const id of createsOf(s)) add(creators, id, s.change);
    for (const id of dropsOf(s)) add(droppers, id, s.change);
  });
  const withStatements = plan.changes.filter((c) => byChange.has(c.id));
  const entries: PendingEntry[] = [];
  for (const [, group] of groupByKind(buildTree(withStatements))) for (const node of group) entries.push(entryOf(node, undefined));
  const index = { plan, entries, byChange, order, creators, droppers };
  indexes.set(plan, index);
  return index;
}

function entryOf(node: DiffNode, parent: PendingEntry | undefined): PendingEntry {
  const entry: PendingEntry = {
    id: node.id,
    label: '',
    action: node.action,
    changes: [],
    ...(parent ? { parent } : {}),
    members: [],
  };
  entry.members = node.children.map((child) => entryOf(child, entry));
  entry.changes = [...(node.change ? [node.change.id] : []), ...entry.members.flatMap((m) => m.changes)];
  entry.label = labelOf(node, entry.members);
  return entry;
}

/** "create table public."Role" with 2 constraints", "alter table public."T": 3 columns". */
function labelOf(node: DiffNode, members: readonly PendingEntry[]): string {
  const name = `${node.action} ${kindLabel(node.kind, 1)} ${displayName(node.id)}`;
  if (members.length === 0) return name;
  const kinds = new Map<string, number>();
  const count = (m: PendingEntry) => {
    const kind = parseId(m.id).kind;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  };
  members.forEach(count);
  const what = [...kinds].map(([kind, n]) => `${n} ${kindLabel(kind, n)}`).join(', ');
  return node.change ? `${name} with ${what}` : `${name}: ${what}`;
}

/** Every entry, top-level ones each followed by their members. */
export function allEntries(index: PlanIndex): PendingEntry[] {
  const out: PendingEntry[] = [];
  const visit = (e: PendingEntry) => {
    out.push(e);
    e.members.forEach(visit);
  };
  index.entries.forEach(visit);
  return out;
}

export function findEntry(index: PlanIndex, id: ObjectId): PendingEntry | undefined {
  return allEntries(index).find((e) => e.id === id);
}

/**
 * Whether a change is already written in a file: each of its statements appears in it, white space
 * aside. `squeezed` is the file's text through squeeze().
 */
export function changeInText(index: PlanIndex, change: ObjectId, squeezed: string): boolean {
  const statements = index.byChange.get(change) ?? [];
  return statements.length > 0 && statements.every((s) => squeezed.includes(squeeze(s.sql)));
}

/**
 * The other pending changes the given ones need, transitively: those that create what a statement
 * needs, and those that drop what a statement must run after the drop of. Changes for which
 * `present` is true (already in the file) are not required. In plan order.
 */
export function requirementsOf(index: PlanIndex, changes: readonly ObjectId[], present: (change: ObjectId) => boolean): ObjectId[] {
  const chosen = new Set(changes);
  const required = new Set<ObjectId>();
  const queue = [...changes];
  const consider = (providers: Set<ObjectId> | undefined) => {
    for (const p of providers ?? []) {
      if (chosen.has(p) || required.has(p) || present(p)) continue;
      required.add(p);
      queue.push(p);
    }
  };
  while (queue.length) {
    const change = queue.pop() as ObjectId;
    for (const s of index.byChange.get(change) ?? []) {
      for (const id of s.needs ?? []) consider(index.creators.get(id));
      for (const id of s.afterDropOf ?? []) consider(index.droppers.get(id));
    }
  }
  return byPlanOrder(index, [...required]);
}

export function byPlanOrder(index: PlanIndex, changes: readonly ObjectId[]): ObjectId[] {
  return [...changes].sort((a, b) => (index.order.get(a) ?? 0) - (index.order.get(b) ?? 0));
}

/**
 * The statements to insert for these changes, in plan order. A backup (phase backup) writes into
 * the backup schema and its manifest, which the plan creates once, with the first backup's change:
 * those set-up statements come along when another change's backup is inserted without them.
 */
export function statementsFor(index: PlanIndex, changes: readonly ObjectId[], squeezed: string): PlannedStatement[] {
  const set = new Set(changes);
  const chosen = index.plan.statements.filter((s) => set.has(s.change));
  const needsBackupSetup = chosen.some((s) => s.phase === 'backup' && !s.object.startsWith('schema:'));
  return index.plan.statements.filter((s) => set.has(s.change)
    || (needsBackupSetup && s.phase === 'backup' && s.object.startsWith('schema:') && !squeezed.includes(squeeze(s.sql))));
}

/** How much the text at the cursor has to do with an entry: 0 nothing, higher first. */
export function relevance(entry: PendingEntry, chains: readonly NamePart[][]): number {
  const top = entry.parent ?? entry;
  const { parts } = parseId(top.id);
  const schema = parts[0] ?? '';
  const name = parts[1] ?? parts[0] ?? '';
  const mentioned = chains.some((chain) => chain.some((part, i) => designates(part, name)
    && (i === 0 || designates(chain[i - 1] as NamePart, schema))));
  if (mentioned && entry.parent) {
    const member = parseId(entry.id).parts.at(-1) ?? '';
    return chains.some((chain) => chain.some((part) => designates(part, member))) ? 3 : 2;
  }
  if (mentioned) return 4;
  return 0;
}

/** Tables named at the cursor that other entries' statements need (a foreign key to "Role"). */
function needsMentioned(entry: PendingEntry, mentioned: ReadonlySet<ObjectId>, index: PlanIndex): boolean {
  return entry.changes.some((c) => (index.byChange.get(c) ?? []).some((s) => (s.needs ?? []).some((id) => mentioned.has(id))));
}

/**
 * The entries in the order the code actions offer them: objects named in the text at the cursor
 * (the statement or line), each followed by its members (those named too first); then the objects
 * whose statements need one of those; then all others, in the tree's order. Members of objects not
 * named are reached through their object or the full list.
 */
export function rankEntries(index: PlanIndex, contextText: string): { entries: PendingEntry[]; named: number } {
  const chains = nameChains(contextText);
  const named = index.entries.filter((e) => relevance(e, chains) > 0);
  const mentioned = new Set<ObjectId>(named.map((e) => e.id));
  const out: PendingEntry[] = [];
  for (const e of named) {
    out.push(e);
    const members = e.members.map((m, i) => ({ m, score: relevance(m, chains), i }));
    members.sort((a, b) => b.score - a.score || a.i - b.i);
    out.push(...members.map(({ m }) => m));
  }
  const rest = index.entries.filter((e) => !mentioned.has(e.id));
  const needing = rest.filter((e) => needsMentioned(e, mentioned, index));
  out.push(...needing, ...rest.filter((e) => !needing.includes(e)));
  return { entries: out, named: named.length };
}

/** The change of an id, for descriptions. */
export function changeOf(index: PlanIndex, id: ObjectId): Change | undefined {
  return index.plan.changes.find((c) => c.id === id);
}
