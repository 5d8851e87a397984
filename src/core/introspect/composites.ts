import { ids } from '../model/ids';
import type { CompositeAttribute, CompositeType } from '../model/types';
import { ownership, type OidMap, type OwnershipRow } from './oidMap';
import { catalogQuery, collationName, ownershipColumns, describedBy } from './query';

/**
 * Stand-alone composite types (CREATE TYPE … AS (…)). Every table also has a row type in pg_type;
 * those belong to their table and are not listed here (their pg_class entry is not relkind 'c').
 */
export const compositesQuery = catalogQuery('composite types', `
  SELECT t.oid, t.typarray, t.typrelid, n.nspname AS schema, t.typname AS name,
    coalesce((SELECT json_agg(json_build_object(
        'name', a.attname,
        'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
        'collation', CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation THEN ${collationName('a.attcollation')} END)
        ORDER BY a.attnum)
      FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
      WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '[]') AS attributes,
    ${ownershipColumns('t.typowner', 't.typacl', 'd')}
  FROM pg_catalog.pg_type t
  ${describedBy('d', 'pg_type', 't.oid')}
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
  WHERE t.typtype = 'c' AND t.typnamespace = ANY($1::oid[])`);

export interface CompositeRow extends OwnershipRow {
  oid: number;
  typarray: number;
  typrelid: number;
  schema: string;
  name: string;
  attributes: { name: string; type: string; collation: string | null }[];
}

export function buildComposites(rows: CompositeRow[], oids: OidMap): CompositeType[] {
  return rows.map((r) => {
    const id = ids.composite(r.schema, r.name);
    oids.set('pg_type', r.oid, id);
    if (r.typarray) oids.set('pg_type', r.typarray, id);
    oids.set('pg_class', r.typrelid, id);
    const attributes = r.attributes.map((a) => {
      const attribute: CompositeAttribute = { name: a.name, type: a.type };
      if (a.collation !== null) attribute.collation = a.collation;
      return attribute;
    });
    return { id, schema: r.schema, name: r.name, attributes, ...ownership(r) };
  });
}
