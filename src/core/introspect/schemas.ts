import { ids } from '../model/ids';
import type { Schema } from '../model/types';
import { ownership, type OidMap, type OwnershipRow } from './oidMap';
import { catalogQuery, describedBy, notExtensionMember, ownershipColumns } from './query';

/**
 * User schemas. This query runs first and alone takes no parameter: its oids, filtered by the
 * options, become the `$1` of every other query. pg_toast and pg_temp_N are per-backend internals;
 * pgdrift_backup holds the data a plan saved before destroying it (hazards/remedies.ts), which is
 * no part of either schema.
 */
export const schemasQuery = catalogQuery('schemas', `
  SELECT n.oid, n.nspname AS name,
    ${ownershipColumns('n.nspowner', 'n.nspacl', 'd')}
  FROM pg_catalog.pg_namespace n
  ${describedBy('d', 'pg_namespace', 'n.oid')}
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgdrift_backup')
    AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
    AND ${notExtensionMember('pg_namespace', 'n.oid')}
  ORDER BY n.nspname`);

export interface SchemaRow extends OwnershipRow {
  oid: number;
  name: string;
}

export function buildSchemas(rows: SchemaRow[], oids: OidMap): Schema[] {
  return rows.map((r) => {
    const id = ids.schema(r.name);
    oids.set('pg_namespace', r.oid, id);
    return { id, name: r.name, ...ownership(r) };
  });
}
