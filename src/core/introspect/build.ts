/**
 * Turns the rows of the catalog queries into the schema model. Pure: no database, no I/O; the order
 * of the steps follows what each one needs registered in the OidMap before it (tables before their
 * columns, columns before identity sequences and constraints, everything before dependency edges).
 */
import { normaliseModel } from '../model/normalise';
import type { Column, SchemaModel, Table, View } from '../model/types';
import { AttributeNames } from './attributes';
import { buildColumn, buildViewColumn, registerColumn, type ColumnRow } from './columns';
import { buildComposites, type CompositeRow } from './composites';
import { buildConstraints, type ConstraintRow } from './constraints';
import { ExtensionMembers, buildDependencies, type DependencyRow } from './dependencies';
import { buildDomains, type DomainRow } from './domains';
import { buildEnums, type EnumRow } from './enums';
import { buildExtensions, type ExtensionRow } from './extensions';
import { buildIndexes, type IndexRow } from './indexes';
import { OidMap, attributeKey, type CatalogName } from './oidMap';
import { buildPolicies, type PolicyRow } from './policies';
import { buildRoutines, type RoutineRow } from './routines';
import { buildSchemas, type SchemaRow } from './schemas';
import { buildSequences, type SequenceRow } from './sequences';
import { buildTables, type TableRow } from './tables';
import { buildTriggers, type TriggerRow } from './triggers';
import { buildViews, type ViewRow } from './views';

/** What the catalog queries returned, one list per query. */
export interface CatalogRows {
  schemas: SchemaRow[];
  extensions: ExtensionRow[];
  enums: EnumRow[];
  domains: DomainRow[];
  composites: CompositeRow[];
  tables: TableRow[];
  columns: ColumnRow[];
  sequences: SequenceRow[];
  constraints: ConstraintRow[];
  indexes: IndexRow[];
  views: ViewRow[];
  routines: RoutineRow[];
  triggers: TriggerRow[];
  policies: PolicyRow[];
  dependencies: DependencyRow[];
}

export function buildModel(rows: CatalogRows): SchemaModel {
  const oids = new OidMap();
  const members = new ExtensionMembers(rows.dependencies);
  // Objects an extension owns are left out here; whatever hangs off them (columns, indexes,
  // constraints, triggers) finds no owner in the model and is left out with them.
  const own = <R extends { oid: number }>(list: R[], catalog: CatalogName): R[] =>
    list.filter((r) => !members.has(catalog, r.oid));

  const schemas = buildSchemas(rows.schemas, oids);
  const extensions = buildExtensions(rows.extensions, oids);
  const enums = buildEnums(own(rows.enums, 'pg_type'), oids);
  const domains = buildDomains(own(rows.domains, 'pg_type'), oids);
  const composites = buildComposites(own(rows.composites, 'pg_type'), oids);
  const tables = buildTables(own(rows.tables, 'pg_class'), oids);
  const views = buildViews(own(rows.views, 'pg_class'), oids);
  const tableColumns = attachColumns(rows.columns, tables, views, oids);
  const attributes = new AttributeNames(rows.columns);
  const relations = new Map<number, Table | View>([...tables, ...views]);

  const { sequences, identities } = buildSequences(own(rows.sequences, 'pg_class'), oids);
  for (const identity of identities) {
    const entry = tableColumns.get(attributeKey(identity.relid, identity.attnum));
    if (entry && entry.row.identity !== '') {
      entry.column.identity = { kind: entry.row.identity === 'a' ? 'always' : 'by default', sequence: identity.options };
    }
  }
  const routines = buildRoutines(own(rows.routines, 'pg_proc'), oids);
  const constraints = buildConstraints(rows.constraints, relations, attributes, oids);
  const indexes = buildIndexes(rows.indexes, attributes, oids);
  const triggers = buildTriggers(rows.triggers, relations, oids);
  const policies = buildPolicies(rows.policies, relations, oids);
  const dependencies = buildDependencies(rows.dependencies, oids);

  return normaliseModel({
    schemas, extensions, enums, domains, composites, sequences,
    tables: [...tables.values()], constraints, indexes, views: [...views.values()],
    routines, triggers, policies, dependencies,
  });
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
