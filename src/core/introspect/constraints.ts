import { normaliseExpression } from './expressions';
import { ids } from '../model/ids';
import type { Constraint, ConstraintKind, ForeignKeyAction } from '../model/types';
import type { AttributeNames } from './attributes';
import { commentOf, type OidMap, type RelationsByOid } from './oidMap';
import type { CatalogQuery } from './query';
import { describedBy } from './query';

/**
 * Table constraints: primary key, unique, check, foreign key, exclusion.
 *
 * Left out: NOT NULL rows (contype 'n', PostgreSQL 18; nullability is read from the column on every
 * version), constraint triggers (contype 't', read as triggers), and the extra rows PostgreSQL adds
 * on the referencing table for each partition of a referenced partitioned table (their parent
 * constraint is on the same table, so they are an implementation detail of that one foreign key).
 */
const constraintsSql = (enforced: string, nullsNotDistinct: string) => `
  SELECT co.oid, co.conrelid AS relid, co.conname AS name, co.contype AS kind,
    pg_catalog.pg_get_constraintdef(co.oid, true) AS definition,
    co.conkey AS key_attnums,
    co.condeferrable AS deferrable, co.condeferred AS deferred, co.convalidated AS validated,
    ${enforced} AS enforced,
    (NOT co.conislocal OR co.conparentid <> 0) AS inherited,
    ${nullsNotDistinct} AS nulls_not_distinct,
    co.confrelid AS ref_relid, ref_ns.nspname AS ref_schema, ref.relname AS ref_name,
    co.confkey AS ref_attnums,
    CASE WHEN ref.relnamespace <> ALL($1::oid[]) THEN
      ARRAY(SELECT a.attname::text FROM unnest(co.confkey) WITH ORDINALITY k(attnum, ord)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.attnum ORDER BY k.ord)
    END AS ref_columns_outside,
    co.confupdtype AS on_update, co.confdeltype AS on_delete, co.confmatchtype AS match,
    d.description AS comment
  FROM pg_catalog.pg_constraint co
  ${describedBy('d', 'pg_constraint', 'co.oid')}
  JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
  LEFT JOIN pg_catalog.pg_class ref ON ref.oid = co.confrelid
  LEFT JOIN pg_catalog.pg_namespace ref_ns ON ref_ns.oid = ref.relnamespace
  LEFT JOIN pg_catalog.pg_index unique_index ON unique_index.indexrelid = co.conindid AND co.contype = 'u'
  WHERE co.contype IN ('p', 'u', 'c', 'f', 'x') AND c.relnamespace = ANY($1::oid[])
    AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint parent WHERE parent.oid = co.conparentid AND parent.conrelid = co.conrelid)`;

const NULLS_NOT_DISTINCT = `coalesce(unique_index.indnullsnotdistinct, false)`;

export const constraintsQuery: CatalogQuery = {
  what: 'constraints',
  variants: [
    { since: 180000, sql: constraintsSql('co.conenforced', NULLS_NOT_DISTINCT) },
    { since: 150000, sql: constraintsSql('true', NULLS_NOT_DISTINCT) },
    { since: 0, sql: constraintsSql('true', 'false') },
  ],
};

export interface ConstraintRow {
  oid: number;
  relid: number;
  name: string;
  kind: 'p' | 'u' | 'c' | 'f' | 'x';
  definition: string;
  key_attnums: number[] | null;
  deferrable: boolean;
  deferred: boolean;
  validated: boolean;
  enforced: boolean;
  inherited: boolean;
  nulls_not_distinct: boolean;
  ref_relid: number;
  ref_schema: string | null;
  ref_name: string | null;
  ref_attnums: number[] | null;
  /** Only for a referenced table outside the schemas read, whose columns are not in AttributeNames. */
  ref_columns_outside: string[] | null;
  on_update: string;
  on_delete: string;
  match: string;
  comment: string | null;
}

const KINDS: Record<ConstraintRow['kind'], ConstraintKind> = {
  p: 'primary key', u: 'unique', c: 'check', f: 'foreign key', x: 'exclusion',
};
const ACTIONS: Record<string, ForeignKeyAction> = {
  a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default',
};
const MATCH = { s: 'simple', f: 'full', p: 'partial' } as const;

export function buildConstraints(
  rows: ConstraintRow[],
  relations: RelationsByOid,
  attributes: AttributeNames,
  oids: OidMap,
): Constraint[] {
  const out: Constraint[] = [];
  for (const r of rows) {
    const table = relations.get(r.relid);
    if (!table) continue;
    const id = ids.constraint(table.schema, table.name, r.name);
    oids.set('pg_constraint', r.oid, id);
    const constraint: Constraint = {
      id,
      table: table.id,
      name: r.name,
      kind: KINDS[r.kind],
      definition: normaliseExpression(r.definition),
      // attnum 0 is an expression (EXCLUDE USING btree (lower(name) WITH =)): no column to name.
      columns: (r.key_attnums ?? []).filter((n) => n !== 0).map((n) => attributes.name(r.relid, n)),
      deferrable: r.deferrable,
      initiallyDeferred: r.deferred,
      validated: r.validated,
      enforced: r.enforced,
      ...commentOf(r.comment),
    };
    if (r.inherited) constraint.inherited = true;
    if (r.nulls_not_distinct) constraint.nullsNotDistinct = true;
    if (r.kind === 'f') {
      // Named, not looked up: the referenced table may be in a schema left out of the introspection.
      const referenced = r.ref_schema !== null && r.ref_name !== null ? ids.table(r.ref_schema, r.ref_name) : undefined;
      if (referenced) {
        constraint.foreignKey = {
          referencedTable: referenced,
          referencedColumns: r.ref_columns_outside ?? (r.ref_attnums ?? []).map((n) => attributes.name(r.ref_relid, n)),
          onUpdate: ACTIONS[r.on_update] ?? 'no action',
          onDelete: ACTIONS[r.on_delete] ?? 'no action',
          match: MATCH[r.match as keyof typeof MATCH] ?? 'simple',
        };
      }
    }
    out.push(constraint);
  }
  return out;
}
