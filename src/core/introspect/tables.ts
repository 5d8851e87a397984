import { ids } from '../model/ids';
import type { Table, TableKind } from '../model/types';
import { ownership, sortedStrings, type OidMap, type OwnershipRow } from './oidMap';
import { catalogQuery, ownershipColumns, describedBy } from './query';

/**
 * Tables, partitioned tables, partitions and foreign tables (their columns come from columns.ts).
 * relispartition separates a partition (whose parent is in pg_inherits too) from classic
 * inheritance children. Storage parameters given as toast.* in CREATE TABLE … WITH live on the
 * TOAST table; they are read back with that prefix, as pg_dump prints them.
 */
export const tablesQuery = catalogQuery('tables', `
  SELECT c.oid, c.reltype, n.nspname AS schema, c.relname AS name, c.relkind AS kind,
    c.relpersistence = 'u' AS unlogged,
    c.relrowsecurity AS row_security, c.relforcerowsecurity AS force_row_security,
    c.reloptions AS options, toast.reloptions AS toast_options,
    c.relreplident AS replica_identity,
    CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
    CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
    coalesce((SELECT json_agg(json_build_object('schema', pn.nspname, 'name', pc.relname) ORDER BY i.inhseqno)
      FROM pg_catalog.pg_inherits i
      JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
      JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
      WHERE i.inhrelid = c.oid), '[]') AS parents,
    ${ownershipColumns('c.relowner', 'c.relacl', 'd')}
  FROM pg_catalog.pg_class c
  ${describedBy('d', 'pg_class', 'c.oid')}
  LEFT JOIN pg_catalog.pg_class toast ON toast.oid = c.reltoastrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'f') AND c.relnamespace = ANY($1::oid[])`);

export interface TableRow extends OwnershipRow {
  oid: number;
  /** The table's row type: a domain, a column or a function argument can use it. */
  reltype: number;
  schema: string;
  name: string;
  kind: 'r' | 'p' | 'f';
  unlogged: boolean;
  row_security: boolean;
  force_row_security: boolean;
  options: string[] | null;
  toast_options: string[] | null;
  replica_identity: 'd' | 'n' | 'f' | 'i';
  partition_key: string | null;
  partition_bound: string | null;
  /** Parents by name, not oid: a parent in a schema left out of the introspection is still named. */
  parents: { schema: string; name: string }[];
}

const KINDS: Record<TableRow['kind'], TableKind> = { r: 'table', p: 'partitioned table', f: 'foreign table' };
const REPLICA_IDENTITY = { n: 'nothing', f: 'full', i: 'index' } as const;

/** Tables without columns. */
export function buildTables(rows: TableRow[], oids: OidMap): Map<number, Table> {
  for (const r of rows) {
    const id = ids.table(r.schema, r.name);
    oids.set('pg_class', r.oid, id);
    // Whatever uses the row type (CREATE DOMAIN d AS t, a function taking t) depends on the table.
    oids.set('pg_type', r.reltype, id);
  }
  const tables = new Map<number, Table>();
  for (const r of rows) {
    const table: Table = {
      id: ids.table(r.schema, r.name),
      schema: r.schema,
      name: r.name,
      kind: KINDS[r.kind],
      columns: [],
      rowSecurity: r.row_security,
      forceRowSecurity: r.force_row_security,
      ...ownership(r),
    };
    if (r.unlogged) table.unlogged = true;
    if (r.partition_key !== null) table.partitionKey = r.partition_key;
    const parents = r.parents.map((p) => ids.table(p.schema, p.name));
    if (r.partition_bound !== null && parents[0]) {
      table.partitionOf = { parent: parents[0], bound: r.partition_bound };
    } else if (parents.length > 0) {
      table.inherits = parents;
    }
    const options = sortedStrings([...(r.options ?? []), ...(r.toast_options ?? []).map((o) => `toast.${o}`)]);
    if (options.length > 0) table.options = options;
    if (r.replica_identity !== 'd') table.replicaIdentity = REPLICA_IDENTITY[r.replica_identity];
    tables.set(r.oid, table);
  }
  return tables;
}
