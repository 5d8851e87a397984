/**
 * How the diff renderers name, order and mark kinds of objects and actions. One table, so the tree,
 * the summary line and (later) the editor's tree view agree.
 */
import type { ChangeAction } from '../plan/types';

interface KindLabel {
  one: string;
  many: string;
}

/** In the order the tree shows them: containers and types first, then tables, then code. */
const KINDS: [string, KindLabel][] = [
  ['schema', { one: 'schema', many: 'schemas' }],
  ['extension', { one: 'extension', many: 'extensions' }],
  ['enum', { one: 'enum', many: 'enums' }],
  ['domain', { one: 'domain', many: 'domains' }],
  ['type', { one: 'composite type', many: 'composite types' }],
  ['sequence', { one: 'sequence', many: 'sequences' }],
  ['table', { one: 'table', many: 'tables' }],
  ['column', { one: 'column', many: 'columns' }],
  ['constraint', { one: 'constraint', many: 'constraints' }],
  ['index', { one: 'index', many: 'indexes' }],
  ['view', { one: 'view', many: 'views' }],
  ['materialized view', { one: 'materialized view', many: 'materialized views' }],
  ['function', { one: 'function', many: 'functions' }],
  ['procedure', { one: 'procedure', many: 'procedures' }],
  ['aggregate', { one: 'aggregate', many: 'aggregates' }],
  ['window', { one: 'window function', many: 'window functions' }],
  ['trigger', { one: 'trigger', many: 'triggers' }],
  ['policy', { one: 'policy', many: 'policies' }],
];

const RANK = new Map(KINDS.map(([kind], i) => [kind, i]));
const LABELS = new Map(KINDS);

/** Position of a kind in the display order; unknown kinds go last. */
export function kindRank(kind: string): number {
  return RANK.get(kind) ?? KINDS.length;
}

export function kindLabel(kind: string, count: number): string {
  const label = LABELS.get(kind);
  if (!label) return kind;
  return count === 1 ? label.one : label.many;
}

export const ACTIONS: readonly ChangeAction[] = ['create', 'alter', 'recreate', 'drop'];

export const ACTION_MARKERS: Record<ChangeAction, string> = {
  create: '+',
  drop: '-',
  alter: '~',
  recreate: '±',
};

/** "(recreated because …)", "(dropped because …)". */
export const ACTION_PARTICIPLES: Record<ChangeAction, string> = {
  create: 'created',
  drop: 'dropped',
  alter: 'altered',
  recreate: 'recreated',
};

/** What a causing change does, as the end of "because column public.job.status …". */
export const CAUSE_VERBS: Record<ChangeAction, string> = {
  create: 'is created',
  drop: 'is dropped',
  alter: 'changes',
  recreate: 'is recreated',
};
