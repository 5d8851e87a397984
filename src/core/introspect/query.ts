/**
 * Catalog queries and how one is chosen for a server version.
 *
 * Each object kind has one query. Where a catalog column exists only from some version on
 * (pg_attribute.attcompression in 14, pg_index.indnullsnotdistinct in 15, pg_constraint.conenforced
 * in 18) the query has variants, each valid SQL for the versions it names; the newest variant whose
 * `since` is not above the server's `server_version_num` is used. Every query takes the oids of the
 * schemas to read as `$1::oid[]`, so the set of queries sent never depends on how many objects exist.
 */
import type { Queryable } from '../db/queryable';
import { PgdriftError, messageOf } from '../errors';

export interface QueryVariant {
  /** Lowest server_version_num this text runs on. */
  since: number;
  sql: string;
}

export interface CatalogQuery {
  /** What is read, for messages: "introspecting triggers on …". */
  readonly what: string;
  readonly variants: readonly QueryVariant[];
}

export function catalogQuery(what: string, sql: string): CatalogQuery {
  return { what, variants: [{ since: 0, sql }] };
}

export function variantFor(query: CatalogQuery, serverVersionNum: number): string {
  const candidates = [...query.variants].sort((a, b) => b.since - a.since);
  const chosen = candidates.find((v) => v.since <= serverVersionNum);
  if (!chosen) throw new PgdriftError('internal', `no ${query.what} query for server version ${serverVersionNum}`);
  return chosen.sql;
}

export async function runCatalogQuery<R extends object>(
  db: Queryable,
  query: CatalogQuery,
  serverVersionNum: number,
  params: readonly unknown[],
  where: string,
): Promise<R[]> {
  try {
    return (await db.query<R>(variantFor(query, serverVersionNum), params)).rows;
  } catch (error) {
    const timedOut = (error as { code?: string }).code === '57014';
    throw new PgdriftError(
      timedOut ? 'timeout' : 'query-failed',
      `introspecting ${query.what} on ${where}: ${messageOf(error)}`,
      { cause: error },
    );
  }
}

/**
 * SQL that is true when the object is not a member of an extension. Objects an extension created
 * (its functions, types, tables) are the extension's business: CREATE EXTENSION brings them back.
 * Only the schema query uses it, since its result decides what every other query reads; the other
 * kinds are filtered while building, from the extension members the dependency query returns.
 */
export function notExtensionMember(catalog: string, oidExpr: string): string {
  return `NOT EXISTS (SELECT FROM pg_catalog.pg_depend ext_dep WHERE ext_dep.classid = '${catalog}'::regclass AND ext_dep.objid = ${oidExpr} AND ext_dep.deptype = 'e')`;
}

/** A collation name as DDL spells it: unqualified for pg_catalog collations ("C", "en_US"). */
export function collationName(oidExpr: string): string {
  return `(SELECT CASE WHEN coll_ns.nspname = 'pg_catalog' THEN quote_ident(coll.collname) ELSE quote_ident(coll_ns.nspname) || '.' || quote_ident(coll.collname) END
     FROM pg_catalog.pg_collation coll JOIN pg_catalog.pg_namespace coll_ns ON coll_ns.oid = coll.collnamespace WHERE coll.oid = ${oidExpr})`;
}

/**
 * An owner name, the ACL as text (null for default privileges) and the comment read through
 * `describedBy` joined as `descAlias`. Lists are sorted in TypeScript, in code-unit order: ORDER BY
 * in SQL would follow the database's collation, and the same schema must read the same in a "C"
 * and an ICU database.
 */
export function ownershipColumns(ownerExpr: string, aclExpr: string, descAlias: string): string {
  return `pg_catalog.pg_get_userbyid(${ownerExpr}) AS owner,
    ${aclExpr}::text[] AS acl,
    ${descAlias}.description AS comment`;
}

/**
 * LEFT JOIN of an object's comment. obj_description() and col_description() are SQL functions that
 * run a query per row; joining pg_description lets the planner read it once (a 1,000-table schema
 * has ~9,000 columns).
 */
export function describedBy(alias: string, catalog: string, oidExpr: string, subIdExpr = '0'): string {
  return `LEFT JOIN pg_catalog.pg_description ${alias} ON ${alias}.objoid = ${oidExpr}
    AND ${alias}.classoid = '${catalog}'::regclass AND ${alias}.objsubid = ${subIdExpr}`;
}
