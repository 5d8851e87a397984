import { normaliseExpression } from './expressions';
import { ids } from '../model/ids';
import type { Index } from '../model/types';
import type { AttributeNames } from './attributes';
import { commentOf, sortedStrings, type OidMap } from './oidMap';
import { describedBy, type CatalogQuery } from './query';

/**
 * Indexes on tables, partitioned tables and materialized views. Key and INCLUDE columns are read
 * from indkey (attnum 0 marks an expression); an index with expressions has each of its columns
 * printed by pg_get_indexdef(oid, k, true), which spells expressions the way the server normalised
 * them, and a plain column reads as quote_ident(name), as that function prints it.
 *
 * An index that implements a primary key, unique or exclusion constraint has no CREATE INDEX of its
 * own: the constraint creates it and pg_get_constraintdef prints its columns and INCLUDE list. Its
 * definition is not read, which spares a deparse per table on the commonest index of all, the
 * primary key's. pg_get_constraintdef leaves out the index's storage parameters (only pg_dump's
 * ALTER TABLE form prints them), so every index carries its reloptions as `options`. An index behind a primary key, unique or exclusion constraint names that constraint: it is
 * created and dropped with it. indnullsnotdistinct exists from PostgreSQL 15.
 */
const indexesSql = (nullsNotDistinct: string) => `
  SELECT ic.oid, i.indrelid AS relid, n.nspname AS schema, ic.relname AS name,
    CASE WHEN con.conname IS NULL THEN pg_catalog.pg_get_indexdef(ic.oid) END AS definition,
    am.amname AS method, i.indisunique AS is_unique, i.indisvalid AS valid, i.indisreplident AS replica_identity, ic.reloptions AS options,
    i.indkey::text AS attnums, i.indnkeyatts AS key_count,
    CASE WHEN i.indexprs IS NOT NULL THEN
      ARRAY(SELECT pg_catalog.pg_get_indexdef(ic.oid, k, true) FROM generate_series(1, i.indnatts) k ORDER BY k)
    END AS printed,
    pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
    ${nullsNotDistinct} AS nulls_not_distinct,
    con.conname AS constraint_name,
    parent_ns.nspname AS parent_schema, parent.relname AS parent_name,
    d.description AS comment
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  ${describedBy('d', 'pg_class', 'ic.oid')}
  JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
  JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
  JOIN pg_catalog.pg_am am ON am.oid = ic.relam
  LEFT JOIN pg_catalog.pg_constraint con ON con.conindid = ic.oid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
  -- An index on a partition has at most one parent: the index on the partitioned table it is attached to.
  LEFT JOIN pg_catalog.pg_inherits inh ON inh.inhrelid = ic.oid
  LEFT JOIN pg_catalog.pg_class parent ON parent.oid = inh.inhparent
  LEFT JOIN pg_catalog.pg_namespace parent_ns ON parent_ns.oid = parent.relnamespace
  WHERE t.relkind IN ('r', 'p', 'm') AND t.relnamespace = ANY($1::oid[])`;

export const indexesQuery: CatalogQuery = {
  what: 'indexes',
  variants: [
    { since: 150000, sql: indexesSql('i.indnullsnotdistinct') },
    { since: 0, sql: indexesSql('false') },
  ],
};

export interface IndexRow {
  oid: number;
  relid: number;
  schema: string;
  name: string;
  definition: string | null;
  method: string;
  options: string[] | null;
  is_unique: boolean;
  valid: boolean;
  replica_identity: boolean;
  /** int2vector as text: attnums separated by spaces. */
  attnums: string;
  key_count: number;
  printed: string[] | null;
  predicate: string | null;
  nulls_not_distinct: boolean;
  constraint_name: string | null;
  /** By name, not oid: the parent index may be in a schema left out of the introspection. */
  parent_schema: string | null;
  parent_name: string | null;
  comment: string | null;
}

export function buildIndexes(rows: IndexRow[], attributes: AttributeNames, oids: OidMap): Index[] {
  // Registered first, so an index on a partition can name its parent index in any order; only
  // indexes on relations in the model (not an extension's tables).
  for (const r of rows) if (oids.get('pg_class', r.relid)) oids.set('pg_class', r.oid, ids.index(r.schema, r.name));
  const out: Index[] = [];
  for (const r of rows) {
    const table = oids.get('pg_class', r.relid);
    if (!table) continue;
    const columns = r.printed ?? r.attnums.split(' ').map((n) => attributes.quoted(r.relid, Number(n)));
    const index: Index = {
      id: ids.index(r.schema, r.name),
      table,
      schema: r.schema,
      name: r.name,
      method: r.method,
      unique: r.is_unique,
      keys: columns.slice(0, r.key_count),
      valid: r.valid,
      ...(r.replica_identity ? { replicaIdentity: true as const } : {}),
      ...commentOf(r.comment),
    };
    if (columns.length > r.key_count) index.include = columns.slice(r.key_count);
    if (r.definition !== null) index.definition = normaliseExpression(r.definition);
    if (r.options !== null && r.options.length > 0) index.options = sortedStrings(r.options);
    if (r.predicate !== null) index.predicate = normaliseExpression(r.predicate);
    if (r.nulls_not_distinct) index.nullsNotDistinct = true;
    if (r.constraint_name !== null) index.constraint = r.constraint_name;
    if (r.parent_schema !== null && r.parent_name !== null) index.parentIndex = ids.index(r.parent_schema, r.parent_name);
    out.push(index);
  }
  return out;
}
