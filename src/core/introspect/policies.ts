import { normaliseExpression } from './expressions';
import { ids } from '../model/ids';
import type { Policy } from '../model/types';
import { commentOf, sortedStrings, type OidMap, type RelationsByOid } from './oidMap';
import { catalogQuery, describedBy } from './query';

/** Row-level security policies. Role oid 0 in polroles means PUBLIC. */
export const policiesQuery = catalogQuery('policies', `
  SELECT pol.oid, pol.polrelid AS relid, pol.polname AS name, pol.polcmd AS command, pol.polpermissive AS permissive,
    ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r)::text END
      FROM unnest(pol.polroles) r) AS roles,
    pg_catalog.pg_get_expr(pol.polqual, pol.polrelid, true) AS using_expr,
    pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid, true) AS with_check,
    d.description AS comment
  FROM pg_catalog.pg_policy pol
  ${describedBy('d', 'pg_policy', 'pol.oid')}
  JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid
  WHERE c.relnamespace = ANY($1::oid[])`);

export interface PolicyRow {
  oid: number;
  relid: number;
  name: string;
  command: '*' | 'r' | 'a' | 'w' | 'd';
  permissive: boolean;
  roles: string[];
  using_expr: string | null;
  with_check: string | null;
  comment: string | null;
}

const COMMANDS = { '*': 'all', r: 'select', a: 'insert', w: 'update', d: 'delete' } as const;

export function buildPolicies(rows: PolicyRow[], relations: RelationsByOid, oids: OidMap): Policy[] {
  const out: Policy[] = [];
  for (const r of rows) {
    const table = relations.get(r.relid);
    if (!table) continue;
    const id = ids.policy(table.schema, table.name, r.name);
    oids.set('pg_policy', r.oid, id);
    const policy: Policy = {
      id,
      table: table.id,
      name: r.name,
      command: COMMANDS[r.command],
      permissive: r.permissive,
      roles: sortedStrings(r.roles),
      ...commentOf(r.comment),
    };
    if (r.using_expr !== null) policy.using = normaliseExpression(r.using_expr);
    if (r.with_check !== null) policy.withCheck = normaliseExpression(r.with_check);
    out.push(policy);
  }
  return out;
}
