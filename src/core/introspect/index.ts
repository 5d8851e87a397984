/**
 * Reads a database's schema into the model.
 *
 * Everything is read inside one READ ONLY transaction (REPEATABLE READ, so every query sees the
 * same snapshot) with a statement and lock timeout, by a fixed list of catalog queries: the number
 * of queries never depends on how many objects exist. search_path is pinned to pg_catalog for the
 * transaction, which makes format_type, pg_get_expr, pg_get_viewdef and friends qualify every user
 * object with its schema: the text no longer depends on the connecting role's search_path.
 */
import type { Queryable } from '../db/queryable';
import { PgdriftError, messageOf } from '../errors';
import { fingerprintOf } from '../model/fingerprint';
import { normaliseModel } from '../model/normalise';
import type { Column, Inspection, SchemaModel, Table, View } from '../model/types';
import { AttributeNames } from './attributes';
import { buildColumn, buildViewColumn, columnsQuery, registerColumn, type ColumnRow } from './columns';
import { buildComposites, compositesQuery, type CompositeRow } from './composites';
import { buildConstraints, constraintsQuery, type ConstraintRow } from './constraints';
import { ExtensionMembers, buildDependencies, dependenciesQuery, type DependencyRow } from './dependencies';
import { buildDomains, domainsQuery, type DomainRow } from './domains';
import { buildEnums, enumsQuery, type EnumRow } from './enums';
import { buildExtensions, extensionsQuery, type ExtensionRow } from './extensions';
import { buildIndexes, indexesQuery, type IndexRow } from './indexes';
import { OidMap, attributeKey, type CatalogName } from './oidMap';
import { introspectOptions, type IntrospectOptions } from './options';
import { buildPolicies, policiesQuery, type PolicyRow } from './policies';
import { runCatalogQuery, type CatalogQuery } from './query';
import { buildRoutines, routinesQuery, type RoutineRow } from './routines';
import { buildSchemas, schemasQuery, type SchemaRow } from './schemas';
import { buildSequences, sequencesQuery, type SequenceRow } from './sequences';
import { buildTables, tablesQuery, type TableRow } from './tables';
import { buildTriggers, triggersQuery, type TriggerRow } from './triggers';
import { buildViews, viewsQuery, type ViewRow } from './views';

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
}

export async function introspect(target: IntrospectTarget, partial: Partial<IntrospectOptions> = {}): Promise<Inspection> {
  const options = introspectOptions(partial);
  const { db, where } = target;
  await begin(db, options, where);
  try {
    const versionRow = (await db.query<{ num: string; version: string }>(
      "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version",
    )).rows[0];
    const versionNum = Number(versionRow?.num);
    const read = <R extends object>(query: CatalogQuery, params: readonly unknown[]) =>
      runCatalogQuery<R>(db, query, versionNum, params, where);

    const schemaRows = selectSchemas(await read<SchemaRow>(schemasQuery, []), options);
    const p = [schemaRows.map((r) => r.oid)];
    // Sequential on purpose: one connection, one snapshot; a pipeline would not be faster on it.
    const extensionRows = await read<ExtensionRow>(extensionsQuery, []);
    const enumRows = await read<EnumRow>(enumsQuery, p);
    const domainRows = await read<DomainRow>(domainsQuery, p);
    const compositeRows = await read<CompositeRow>(compositesQuery, p);
    const tableRows = await read<TableRow>(tablesQuery, p);
    const columnRows = await read<ColumnRow>(columnsQuery, p);
    const sequenceRows = await read<SequenceRow>(sequencesQuery, p);
    const constraintRows = await read<ConstraintRow>(constraintsQuery, p);
    const indexRows = await read<IndexRow>(indexesQuery, p);
    const viewRows = await read<ViewRow>(viewsQuery, p);
    const routineRows = await read<RoutineRow>(routinesQuery, p);
    const triggerRows = await read<TriggerRow>(triggersQuery, p);
    const policyRows = await read<PolicyRow>(policiesQuery, p);
    const dependencyRows = await read<DependencyRow>(dependenciesQuery, []);
    await db.query('COMMIT');

    const oids = new OidMap();
    const members = new ExtensionMembers(dependencyRows);
    // Objects an extension owns are left out here; whatever hangs off them (columns, indexes,
    // constraints, triggers) finds no owner in the model and is left out with them.
    const own = <R extends { oid: number }>(rows: R[], catalog: CatalogName): R[] =>
      rows.filter((r) => !members.has(catalog, r.oid));
    const model: SchemaModel = {
      schemas: buildSchemas(schemaRows, oids),
      extensions: buildExtensions(extensionRows, oids),
      enums: buildEnums(own(enumRows, 'pg_type'), oids),
      domains: buildDomains(own(domainRows, 'pg_type'), oids),
      composites: buildComposites(own(compositeRows, 'pg_type'), oids),
      sequences: [],
      tables: [],
      constraints: [],
      indexes: [],
      views: [],
      routines: [],
      triggers: [],
      policies: [],
      dependencies: [],
    };
    const tables = buildTables(own(tableRows, 'pg_class'), oids);
    const views = buildViews(own(viewRows, 'pg_class'), oids);
    const tableColumns = attachColumns(columnRows, tables, views, oids);
    const attributes = new AttributeNames(columnRows);
    const relations = new Map<number, Table | View>([...tables, ...views]);
    model.tables = [...tables.values()];
    model.views = [...views.values()];
    const { sequences, identities } = buildSequences(own(sequenceRows, 'pg_class'), oids);
    model.sequences = sequences;
    for (const identity of identities) {
      const entry = tableColumns.get(attributeKey(identity.relid, identity.attnum));
      if (entry && entry.row.identity !== '') {
        entry.column.identity = { kind: entry.row.identity === 'a' ? 'always' : 'by default', sequence: identity.options };
      }
    }
    model.routines = buildRoutines(own(routineRows, 'pg_proc'), oids);
    model.constraints = buildConstraints(constraintRows, relations, attributes, oids);
    model.indexes = buildIndexes(indexRows, attributes, oids);
    model.triggers = buildTriggers(triggerRows, relations, oids);
    model.policies = buildPolicies(policyRows, relations, oids);
    model.dependencies = buildDependencies(dependencyRows, oids);

    const normalised = normaliseModel(model);
    return {
      source: { serverVersion: versionRow?.version ?? 'unknown', serverVersionNum: versionNum, database: target.database },
      fingerprint: fingerprintOf(normalised),
      model: normalised,
    };
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
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

/** Puts each column on its table or view; returns table columns by attributeKey(relid, attnum). */
function attachColumns(
  rows: ColumnRow[],
  tables: Map<number, Table>,
  views: Map<number, View>,
  oids: OidMap,
): Map<number, { column: Column; row: ColumnRow }> {
  const byAttnum = new Map<number, { column: Column; row: ColumnRow }>();
  for (const r of rows) {
    const table = tables.get(r.relid);
    if (table) {
      const column = buildColumn(r);
      table.columns.push(column);
      byAttnum.set(attributeKey(r.relid, r.attnum), { column, row: r });
      registerColumn(r, table.schema, table.name, oids);
      continue;
    }
    views.get(r.relid)?.columns.push(buildViewColumn(r));
  }
  return byAttnum;
}
