import { ids } from '../model/ids';
import type { EnumType } from '../model/types';
import { ownership, type OidMap, type OwnershipRow } from './oidMap';
import { catalogQuery, ownershipColumns, describedBy } from './query';

/** Enum types with their labels in sort order (not oid order: ADD VALUE BEFORE/AFTER reorders). */
export const enumsQuery = catalogQuery('enum types', `
  SELECT t.oid, t.typarray, n.nspname AS schema, t.typname AS name,
    ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels,
    ${ownershipColumns('t.typowner', 't.typacl', 'd')}
  FROM pg_catalog.pg_type t
  ${describedBy('d', 'pg_type', 't.oid')}
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typtype = 'e' AND t.typnamespace = ANY($1::oid[])`);

export interface EnumRow extends OwnershipRow {
  oid: number;
  typarray: number;
  schema: string;
  name: string;
  labels: string[];
}

export function buildEnums(rows: EnumRow[], oids: OidMap): EnumType[] {
  return rows.map((r) => {
    const id = ids.enum(r.schema, r.name);
    oids.set('pg_type', r.oid, id);
    // A column of type mood[] depends on the array type, which stands for the enum itself.
    if (r.typarray) oids.set('pg_type', r.typarray, id);
    return { id, schema: r.schema, name: r.name, values: r.labels, ...ownership(r) };
  });
}
