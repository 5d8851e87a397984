import type { SchemaModel } from './types';

/** Counts of each object kind, the figures the summary and the validation checks print. */
export interface ModelCounts {
  schemas: number;
  extensions: number;
  tables: number;
  partitions: number;
  foreignTables: number;
  columns: number;
  views: number;
  materializedViews: number;
  functions: number;
  procedures: number;
  aggregates: number;
  triggers: number;
  indexes: number;
  primaryKeys: number;
  foreignKeys: number;
  uniqueConstraints: number;
  checkConstraints: number;
  exclusionConstraints: number;
  sequences: number;
  enums: number;
  domains: number;
  compositeTypes: number;
  policies: number;
}

export function countModel(model: SchemaModel): ModelCounts {
  const constraints = (kind: string) => model.constraints.filter((c) => c.kind === kind).length;
  const routines = (...kinds: string[]) => model.routines.filter((r) => kinds.includes(r.kind)).length;
  return {
    schemas: model.schemas.length,
    extensions: model.extensions.length,
    // "Tables" are ordinary and partitioned tables, partitions included: what pg_class counts.
    tables: model.tables.filter((t) => t.kind !== 'foreign table').length,
    partitions: model.tables.filter((t) => t.partitionOf).length,
    foreignTables: model.tables.filter((t) => t.kind === 'foreign table').length,
    columns: model.tables.reduce((n, t) => n + t.columns.length, 0),
    views: model.views.filter((v) => !v.materialized).length,
    materializedViews: model.views.filter((v) => v.materialized).length,
    functions: routines('function', 'window'),
    procedures: routines('procedure'),
    aggregates: routines('aggregate'),
    triggers: model.triggers.length,
    indexes: model.indexes.length,
    primaryKeys: constraints('primary key'),
    foreignKeys: constraints('foreign key'),
    uniqueConstraints: constraints('unique'),
    checkConstraints: constraints('check'),
    exclusionConstraints: constraints('exclusion'),
    sequences: model.sequences.length,
    enums: model.enums.length,
    domains: model.domains.length,
    compositeTypes: model.composites.length,
    policies: model.policies.length,
  };
}
