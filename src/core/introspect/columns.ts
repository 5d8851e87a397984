import { normaliseExpression } from './expressions';
import type { Column, ViewColumn } from '../model/types';
import { ids } from '../model/ids';
import { sortedStrings, type OidMap } from './oidMap';
import { collationName, describedBy, type CatalogQuery } from './query';

/**
 * Columns of tables, foreign tables, views and materialized views, in one query.
 *
 * - A default and a generation expression are both stored in pg_attrdef; attgenerated tells them
 *   apart ('s' stored, 'v' virtual from PostgreSQL 18).
 * - An identity column's options live on its internal sequence, read by sequences.ts.
 * - Collation and storage are recorded only where they differ from the type's own, so a column
 *   declared plainly reads the same everywhere.
 * - attcompression exists from PostgreSQL 14; on 13 every column uses the server default.
 */
const columnsSql = (compression: string) => `
  SELECT a.attrelid AS relid, c.relkind, a.attnum, a.attname AS name, quote_ident(a.attname) AS quoted_name,
    pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
    a.attnotnull AS not_null,
    ad.oid AS attrdef_oid,
    pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS expr,
    a.attgenerated AS generated, a.attidentity AS identity,
    CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN ${collationName('a.attcollation')} END AS collation,
    ${compression} AS compression,
    CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage END AS storage,
    NOT a.attislocal AS inherited,
    a.attacl::text[] AS acl,
    d.description AS comment
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  ${describedBy('d', 'pg_class', 'a.attrelid', 'a.attnum')}
  WHERE a.attnum > 0 AND NOT a.attisdropped
    AND c.relkind IN ('r', 'p', 'f', 'v', 'm') AND c.relnamespace = ANY($1::oid[])
  ORDER BY a.attrelid, a.attnum`;

export const columnsQuery: CatalogQuery = {
  what: 'columns',
  variants: [
    { since: 140000, sql: columnsSql("NULLIF(a.attcompression, '')::text") },
    { since: 0, sql: columnsSql('NULL::text') },
  ],
};

export interface ColumnRow {
  relid: number;
  relkind: string;
  attnum: number;
  name: string;
  quoted_name: string;
  type: string;
  not_null: boolean;
  attrdef_oid: number | null;
  expr: string | null;
  generated: '' | 's' | 'v';
  identity: '' | 'a' | 'd';
  collation: string | null;
  compression: string | null;
  storage: 'p' | 'e' | 'x' | 'm' | null;
  inherited: boolean;
  acl: string[] | null;
  comment: string | null;
}

const STORAGE = { p: 'plain', e: 'external', x: 'extended', m: 'main' } as const;

export function buildColumn(r: ColumnRow): Column {
  const column: Column = { name: r.name, type: r.type, notNull: r.not_null };
  if (r.expr !== null && r.generated === '') column.default = normaliseExpression(r.expr);
  if (r.expr !== null && r.generated !== '') column.generated = { expression: r.expr, kind: r.generated === 'v' ? 'virtual' : 'stored' };
  if (r.collation !== null) column.collation = r.collation;
  if (r.compression !== null) column.compression = r.compression === 'l' ? 'lz4' : r.compression === 'p' ? 'pglz' : r.compression;
  if (r.storage !== null) column.storage = STORAGE[r.storage];
  if (r.inherited) column.inherited = true;
  if (r.acl !== null) column.acl = sortedStrings(r.acl);
  if (r.comment !== null) column.comment = r.comment;
  return column;
}

export function buildViewColumn(r: ColumnRow): ViewColumn {
  const column: ViewColumn = { name: r.name, type: r.type };
  if (r.comment !== null) column.comment = r.comment;
  return column;
}

/**
 * Registers each column's catalog identity: (pg_class, relation, attnum) for dependencies on the
 * column itself and (pg_attrdef, oid) for its default, which is what depends on a sequence.
 */
export function registerColumn(r: ColumnRow, schema: string, relation: string, oids: OidMap): void {
  const id = ids.column(schema, relation, r.name);
  oids.set('pg_class', r.relid, id, r.attnum);
  if (r.attrdef_oid !== null) oids.set('pg_attrdef', r.attrdef_oid, id);
}
