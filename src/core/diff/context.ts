/**
 * What every per-kind differ can look at: both models, indexed by id, the options, and which
 * tables, views and columns the comparison removes (whose sub-objects go with them).
 */
import { quoteIdent } from '../model/ids';
import type { Dependency, ObjectId, SchemaModel } from '../model/types';
import type { DiffOptions } from './options';

export interface ModelIndex {
  readonly model: SchemaModel;
  /** Every object with an id, by id (tables, views, routines, constraints, …; columns not included). */
  readonly objects: ReadonlyMap<ObjectId, unknown>;
  /** pg_depend edges by dependent: what each object needs. */
  readonly dependsOn: ReadonlyMap<ObjectId, readonly Dependency[]>;
  /** pg_depend edges by referenced object: what would break without it. */
  readonly dependents: ReadonlyMap<ObjectId, readonly Dependency[]>;
  /** The index a primary key, unique or exclusion constraint owns, by the constraint's table and name. */
  readonly constraintIndexes: ReadonlyMap<string, ObjectId>;
}

export interface DiffContext {
  readonly from: ModelIndex;
  readonly to: ModelIndex;
  readonly options: DiffOptions;
  /** Relations (tables, views) and columns present in from and absent from to. */
  readonly removed: ReadonlySet<ObjectId>;
}

/** Every object of the model that has an id of its own (columns are part of their table). */
export function modelObjects(model: SchemaModel): { id: ObjectId }[][] {
  return [model.schemas, model.extensions, model.enums, model.domains, model.composites, model.sequences,
    model.tables, model.constraints, model.indexes, model.views, model.routines, model.triggers, model.policies];
}

/** Models are never changed once built, so one index per model serves every pass of a comparison. */
const indexes = new WeakMap<SchemaModel, ModelIndex>();

export function indexModel(model: SchemaModel): ModelIndex {
  const known = indexes.get(model);
  if (known) return known;
  const index = buildIndex(model);
  indexes.set(model, index);
  return index;
}

function buildIndex(model: SchemaModel): ModelIndex {
  const objects = new Map<ObjectId, unknown>();
  for (const list of modelObjects(model)) for (const item of list) objects.set(item.id, item);
  const constraintIndexes = new Map<string, ObjectId>();
  for (const index of model.indexes) if (index.constraint !== undefined) constraintIndexes.set(constraintKey(index.table, index.constraint), index.id);
  return { model, objects, dependsOn: group(model.dependencies, 'from'), dependents: group(model.dependencies, 'to'), constraintIndexes };
}

export function constraintKey(table: ObjectId, name: string): string {
  return `${table}\u0000${name}`;
}

function group(edges: readonly Dependency[], key: 'from' | 'to'): Map<ObjectId, Dependency[]> {
  const out = new Map<ObjectId, Dependency[]>();
  for (const edge of edges) {
    const list = out.get(edge[key]);
    if (list) list.push(edge);
    else out.set(edge[key], [edge]);
  }
  return out;
}

/** The ids the given objects need, as pg_depend recorded them, minus the objects themselves. */
export function requirementsOf(index: ModelIndex, ...objects: ObjectId[]): ObjectId[] {
  const own = new Set(objects);
  const out = new Set<ObjectId>();
  for (const id of objects) for (const d of index.dependsOn.get(id) ?? []) if (!own.has(d.to)) out.add(d.to);
  return [...out].sort();
}

/** Relations and columns that exist in from but not in to. */
export function removedRelationsAndColumns(from: SchemaModel, to: SchemaModel): Set<ObjectId> {
  const kept = new Set<ObjectId>();
  for (const t of to.tables) {
    kept.add(t.id);
    for (const c of t.columns) kept.add(columnId(t.id, c.name));
  }
  for (const v of to.views) kept.add(v.id);
  const out = new Set<ObjectId>();
  for (const t of from.tables) {
    if (!kept.has(t.id)) out.add(t.id);
    for (const c of t.columns) {
      const id = columnId(t.id, c.name);
      if (!kept.has(id)) out.add(id);
    }
  }
  for (const v of from.views) if (!kept.has(v.id)) out.add(v.id);
  return out;
}

/** `column:"s"."t"."c"` from `table:"s"."t"` and the column name (the id form of model/ids.ts). */
export function columnId(tableId: ObjectId, column: string): ObjectId {
  return `column:${tableId.slice('table:'.length)}.${quoteIdent(column)}`;
}
