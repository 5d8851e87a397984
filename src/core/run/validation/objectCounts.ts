/**
 * Object counts of a schema model, by the kinds a person checks after a migration: the same
 * function counts the target (introspected) and the to-source, so "27 / 27" compares like with
 * like. The model already leaves out the system schemas, pgdrift_backup, extension members, the
 * triggers PostgreSQL creates internally for foreign keys, and identity columns' sequences.
 */
import type { SchemaModel } from '../../model/types';
import type { ObjectCount } from '../types';

type Kind = ObjectCount['kind'];

export const OBJECT_KINDS: readonly Kind[] = ['tables', 'views', 'functions', 'triggers', 'indexes', 'foreign keys', 'sequences'];

export function countObjects(model: SchemaModel): Record<Kind, number> {
  return {
    tables: model.tables.length,
    // Materialized views included.
    views: model.views.length,
    // Functions and procedures; aggregates and window functions are not what people count.
    functions: model.routines.filter((r) => r.kind === 'function' || r.kind === 'procedure').length,
    triggers: model.triggers.length,
    // Constraint indexes (primary keys, unique) included: pg_indexes lists them too.
    indexes: model.indexes.length,
    'foreign keys': model.constraints.filter((c) => c.kind === 'foreign key').length,
    sequences: model.sequences.length,
  };
}

/** The target's counts beside the to-source's, when there is one. */
export function objectCounts(actual: SchemaModel, expected?: SchemaModel): ObjectCount[] {
  const a = countObjects(actual);
  const e = expected ? countObjects(expected) : undefined;
  return OBJECT_KINDS.map((kind) => (e ? { kind, actual: a[kind], expected: e[kind] } : { kind, actual: a[kind] }));
}
