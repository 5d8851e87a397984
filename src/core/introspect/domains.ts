import { normaliseExpression } from './expressions';
import { ids } from '../model/ids';
import type { DomainCheck, DomainType } from '../model/types';
import { ownership, type OidMap, type OwnershipRow } from './oidMap';
import { catalogQuery, collationName, ownershipColumns, describedBy } from './query';

/**
 * Domains with their CHECK constraints. NOT NULL is read from typnotnull: from PostgreSQL 17 a
 * domain's NOT NULL is also a pg_constraint row (contype 'n'), which would otherwise count twice.
 */
export const domainsQuery = catalogQuery('domains', `
  SELECT t.oid, t.typarray, n.nspname AS schema, t.typname AS name,
    pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base_type,
    t.typnotnull AS not_null,
    pg_catalog.pg_get_expr(t.typdefaultbin, 0) AS default_expr,
    CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN ${collationName('t.typcollation')} END AS collation,
    coalesce((SELECT json_agg(json_build_object(
        'oid', c.oid, 'name', c.conname, 'definition', pg_catalog.pg_get_constraintdef(c.oid, true), 'validated', c.convalidated)
        ORDER BY c.conname)
      FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'), '[]') AS checks,
    ${ownershipColumns('t.typowner', 't.typacl', 'd')}
  FROM pg_catalog.pg_type t
  ${describedBy('d', 'pg_type', 't.oid')}
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
  WHERE t.typtype = 'd' AND t.typnamespace = ANY($1::oid[])`);

export interface DomainRow extends OwnershipRow {
  oid: number;
  typarray: number;
  schema: string;
  name: string;
  base_type: string;
  not_null: boolean;
  default_expr: string | null;
  collation: string | null;
  checks: (DomainCheck & { oid: number })[];
}

export function buildDomains(rows: DomainRow[], oids: OidMap): DomainType[] {
  return rows.map((r) => {
    const id = ids.domain(r.schema, r.name);
    oids.set('pg_type', r.oid, id);
    if (r.typarray) oids.set('pg_type', r.typarray, id);
    const checks = r.checks.map(({ oid, name, definition, validated }) => {
      oids.set('pg_constraint', oid, id);
      return { name, definition, validated };
    });
    const domain: DomainType = { id, schema: r.schema, name: r.name, baseType: r.base_type, notNull: r.not_null, checks, ...ownership(r) };
    if (r.default_expr !== null) domain.default = normaliseExpression(r.default_expr);
    if (r.collation !== null) domain.collation = r.collation;
    return domain;
  });
}
