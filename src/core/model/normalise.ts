import type { SchemaModel } from './types';

/**
 * Puts every unordered collection of the model in id order. Ordered data keeps its meaning-bearing
 * order: columns by position, enum labels by sort order, index keys by key position.
 */
export function normaliseModel(model: SchemaModel): SchemaModel {
  return {
    schemas: byId(model.schemas),
    extensions: byId(model.extensions),
    enums: byId(model.enums),
    domains: byId(model.domains),
    composites: byId(model.composites),
    sequences: byId(model.sequences),
    tables: byId(model.tables),
    constraints: byId(model.constraints),
    indexes: byId(model.indexes),
    views: byId(model.views),
    routines: byId(model.routines),
    triggers: byId(model.triggers),
    policies: byId(model.policies),
    dependencies: [...model.dependencies].sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to)),
  };
}

function byId<T extends { id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compare(a.id, b.id));
}

/** Code-unit order, not locale order: the same on every machine. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
