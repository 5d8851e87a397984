/**
 * The dependency cascade. When an object is replaced (dropped and created, or altered in a way
 * PostgreSQL treats as a new object, like a column's type), everything that depends on its current
 * form and survives into the desired state must be dropped before and created after, or the drop
 * fails ("cannot drop … because other objects depend on it", "cannot alter type of a column used
 * by a view or rule"). pg_depend of the current database says what depends on what.
 *
 * Which edges matter depends on what is replaced:
 * - a column whose type changes: PostgreSQL rebuilds the column's own indexes and constraints
 *   (auto edges) itself, but refuses when a view, rule, policy, trigger, routine or generated
 *   column uses it (normal edges);
 * - a relation, routine or type that is dropped and created: every dependant, of any edge type.
 */
import type { Dependency, ObjectId, Table } from '../model/types';
import type { Change, Statement } from '../plan/types';
import { addColumn, dropColumn } from './columns';
import { columnId, type DiffContext } from './context';
import type { KindDiffer } from './kind';
import { alterStatement } from './kind';
import { qualify, quoteIdent } from './sql';

export type Registry = Map<ObjectId, {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  differ: KindDiffer<any>;
  from?: { id: ObjectId };
  to?: { id: ObjectId };
}>;

/** Ids some statement drops: those created again (replaced), and those gone for good. */
function droppedIds(changes: readonly Change[]): { replaced: Set<ObjectId>; gone: Set<ObjectId> } {
  const dropped = new Set<ObjectId>();
  const created = new Set<ObjectId>();
  for (const change of changes) {
    for (const s of change.statements) {
      for (const id of s.drops ?? (s.action === 'drop' ? [s.object] : [])) dropped.add(id);
      for (const id of s.creates ?? (s.action === 'create' ? [s.object] : [])) created.add(id);
    }
  }
  const replaced = new Set([...dropped].filter((id) => created.has(id)));
  return { replaced, gone: new Set([...dropped].filter((id) => !created.has(id))) };
}

export function cascadeRecreates(changes: Change[], registry: Registry, ctx: DiffContext): void {
  const { replaced, gone } = droppedIds(changes);
  const byId = new Map(changes.map((c) => [c.id, c]));
  // Something dropped for good that an unchanged object relies on (a unique key a kept foreign
  // key used, now served by another index): the object is rebuilt on what the desired state has.
  const queue = [...replaced, ...gone].sort();
  while (queue.length) {
    const cause = queue.shift() as ObjectId;
    const isColumn = cause.startsWith('column:');
    for (const edge of ctx.from.dependents.get(cause) ?? []) {
      if (isColumn && edge.type !== 'normal') continue;
      const dependant = edge.from;
      if (replaced.has(dependant) || ctx.removed.has(dependant)) continue;
      if (gone.has(cause) && byId.has(dependant)) continue;
      let statements = dependant.startsWith('column:')
        ? recreateColumnParts(dependant, cause, edge, ctx)
        : recreateObject(dependant, registry, ctx);
      if (!statements || statements.length === 0) continue;
      // Created again only once the old object is gone, or it could latch on to it once more (a
      // foreign key picks whichever unique index on the referenced columns exists).
      if (gone.has(cause)) statements = statements.map((s) => (s.action === 'create' ? { ...s, afterDropOf: [...(s.afterDropOf ?? []), cause] } : s));
      replaced.add(dependant);
      queue.push(dependant);
      const existing = byId.get(dependant);
      if (existing && existing.action !== 'drop' && existing.action !== 'create') {
        existing.action = 'recreate';
        existing.statements = statements;
        existing.cause = cause;
      } else if (!existing) {
        const entry = registry.get(dependant);
        const item = entry?.to;
        const kind = entry && item ? entry.differ.kind(item) : 'column';
        const parent = entry && item ? entry.differ.parent?.(item) : tableOfColumn(dependant, ctx);
        const change: Change = {
          id: dependant, kind, action: 'recreate', ...(parent ? { parent } : {}), cause,
          details: [`recreated because ${cause} changes`], statements,
        };
        changes.push(change);
        byId.set(dependant, change);
      }
    }
  }
}

/** Drop-and-create of a modelled object that exists on both sides, or nothing if it cannot be. */
function recreateObject(id: ObjectId, registry: Registry, ctx: DiffContext): Statement[] | undefined {
  const entry = registry.get(id);
  if (!entry?.from || !entry.to) return undefined;
  return [...entry.differ.drop(entry.from, ctx), ...entry.differ.create(entry.to, ctx)];
}

function tableOfColumn(column: ObjectId, ctx: DiffContext): ObjectId | undefined {
  return findColumn(column, ctx, 'to')?.table.id;
}

function findColumn(column: ObjectId, ctx: DiffContext, side: 'from' | 'to') {
  for (const table of ctx[side].model.tables) {
    for (const c of table.columns) if (columnId(table.id, c.name) === column) return { table, column: c };
  }
  return undefined;
}

/**
 * A column depends on another object through its default (a function, a sequence) or its
 * generation expression (other columns). A default is dropped and set again around the change; a
 * generated column is dropped and added back, which loses nothing since its values are derived.
 */
function recreateColumnParts(column: ObjectId, cause: ObjectId, edge: Dependency, ctx: DiffContext): Statement[] | undefined {
  const before = findColumn(column, ctx, 'from');
  const after = findColumn(column, ctx, 'to');
  if (!before || !after || before.column.inherited) return undefined;
  if (before.column.generated && after.column.generated) {
    return [dropColumn(before.table, before.column, ctx), ...addColumn(after.table as Table, after.column, ctx)];
  }
  if (before.column.default === undefined || edge.type !== 'normal') return undefined;
  const name = `${qualify(after.table.schema, after.table.name)} ALTER COLUMN ${quoteIdent(after.column.name)}`;
  const out: Statement[] = [alterStatement(`ALTER TABLE ${name} DROP DEFAULT`, column, { holds: [cause] })];
  if (after.column.default !== undefined) {
    out.push(alterStatement(`ALTER TABLE ${name} SET DEFAULT ${after.column.default}`, column, { needs: [cause, column] }));
  }
  return out;
}
