/**
 * Reads a database's schema into the model.
 *
 * Everything is read inside one READ ONLY transaction (REPEATABLE READ, so every query sees the
 * same snapshot) with a statement and lock timeout, by a fixed list of catalog queries: the number
 * of queries never depends on how many objects exist. search_path is pinned to pg_catalog for the
 * transaction, which makes format_type, pg_get_expr, pg_get_viewdef and friends qualify every user
 * object with its schema: the text no longer depends on the connecting role's search_path.
 */
import type { PgConnection } from '../db/pgConnection';
import type { Queryable } from '../db/queryable';
import { describeTarget } from '../db/target';
import { PgdriftError, messageOf } from '../errors';
import { fingerprintOf } from '../model/fingerprint';
import type { Inspection } from '../model/types';
import { buildModel, type CatalogRows } from './build';
import { columnsQuery } from './columns';
import { compositesQuery } from './composites';
import { constraintsQuery } from './constraints';
import { dependenciesQuery } from './dependencies';
import { domainsQuery } from './domains';
import { enumsQuery } from './enums';
import { extensionsQuery } from './extensions';
import { indexesQuery } from './indexes';
import { introspectOptions, type IntrospectOptions } from './options';
import { policiesQuery } from './policies';
import { runCatalogQuery, type CatalogQuery } from './query';
import { routinesQuery } from './routines';
import { schemasQuery, type SchemaRow } from './schemas';
import { sequencesQuery } from './sequences';
import { tablesQuery } from './tables';
import { triggersQuery } from './triggers';
import { viewsQuery } from './views';

export { introspectOptions, type IntrospectOptions } from './options';

/** Every catalog query, in the order they are sent (the schema query first, then these). */
export const CATALOG_QUERIES: readonly CatalogQuery[] = [
  schemasQuery, extensionsQuery, enumsQuery, domainsQuery, compositesQuery, tablesQuery, columnsQuery,
  sequencesQuery, constraintsQuery, indexesQuery, viewsQuery, routinesQuery, triggersQuery, policiesQuery,
  dependenciesQuery,
];

export interface IntrospectTarget {
  db: Queryable;
  /** "host:port/database" or a file name: used in messages. */
  where: string;
  database: string;
  /** The server's version, when the caller has read it already (connectPg does). */
  server?: { versionNum: number; version: string };
}

/** The target for a live connection, which already knows its server's version. */
export function introspectTargetOf(connection: PgConnection): IntrospectTarget {
  return {
    db: connection,
    where: describeTarget(connection.target),
    database: connection.target.database,
    server: { versionNum: connection.serverVersionNum, version: connection.serverVersion },
  };
}

export async function introspect(target: IntrospectTarget, partial: Partial<IntrospectOptions> = {}): Promise<Inspection> {
  const options = introspectOptions(partial);
  const { versionNum, version, rows } = await readCatalog(target, options);
  const model = buildModel(rows);
  return {
    source: { serverVersion: version, serverVersionNum: versionNum, database: target.database },
    fingerprint: fingerprintOf(model),
    model,
  };
}

/** Sends the catalog queries in one read-only transaction and returns their rows. */
async function readCatalog(
  { db, where, server }: IntrospectTarget,
  options: IntrospectOptions,
): Promise<{ versionNum: number; version: string; rows: CatalogRows }> {
  await begin(db, options, where);
  try {
    const { versionNum, version } = server ?? (await readVersion(db));
    const read = <R extends object>(query: CatalogQuery, params: readonly unknown[]) =>
      runCatalogQuery<R>(db, query, versionNum, params, where);

    const schemas = selectSchemas(await read<SchemaRow>(schemasQuery, []), options);
    const p = [schemas.map((r) => r.oid)];
    // One after the other on one connection: they must share the transaction's snapshot, and
    // sending them as one multi-statement round trip measured only a few per cent faster.
    const rows: CatalogRows = {
      schemas,
      extensions: await read(extensionsQuery, []),
      enums: await read(enumsQuery, p),
      domains: await read(domainsQuery, p),
      composites: await read(compositesQuery, p),
      tables: await read(tablesQuery, p),
      columns: await read(columnsQuery, p),
      sequences: await read(sequencesQuery, p),
      constraints: await read(constraintsQuery, p),
      indexes: await read(indexesQuery, p),
      views: await read(viewsQuery, p),
      routines: await read(routinesQuery, p),
      triggers: await read(triggersQuery, p),
      policies: await read(policiesQuery, p),
      dependencies: await read(dependenciesQuery, []),
    };
    await db.query('COMMIT');
    return { versionNum, version, rows };
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function readVersion(db: Queryable): Promise<{ versionNum: number; version: string }> {
  const row = (await db.query<{ num: string; version: string }>(
    "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version",
  )).rows[0];
  return { versionNum: Number(row?.num), version: row?.version ?? 'unknown' };
}

async function begin(db: Queryable, options: IntrospectOptions, where: string): Promise<void> {
  try {
    await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // SET LOCAL values are not parameters in the protocol sense; they are integers we control.
    await db.query(`SET LOCAL statement_timeout = ${Math.trunc(options.statementTimeoutMs)}`);
    await db.query(`SET LOCAL lock_timeout = ${Math.trunc(options.lockTimeoutMs)}`);
    await db.query('SET LOCAL search_path = pg_catalog');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw new PgdriftError('query-failed', `starting a read-only transaction on ${where}: ${messageOf(error)}`, { cause: error });
  }
}

function selectSchemas(rows: SchemaRow[], options: IntrospectOptions): SchemaRow[] {
  const include = options.schemas ? new Set(options.schemas) : undefined;
  const exclude = new Set(options.excludeSchemas ?? []);
  return rows.filter((r) => (!include || include.has(r.name)) && !exclude.has(r.name));
}
