import { countModel, type ModelCounts } from '../model/summary';
import type { Inspection } from '../model/types';
import { serverLabel } from './serverVersion';

const LABELS: [keyof ModelCounts, string, string][] = [
  ['tables', 'table', 'tables'],
  ['partitions', 'partition', 'partitions'],
  ['foreignTables', 'foreign table', 'foreign tables'],
  ['columns', 'column', 'columns'],
  ['views', 'view', 'views'],
  ['materializedViews', 'materialized view', 'materialized views'],
  ['functions', 'function', 'functions'],
  ['procedures', 'procedure', 'procedures'],
  ['aggregates', 'aggregate', 'aggregates'],
  ['triggers', 'trigger', 'triggers'],
  ['indexes', 'index', 'indexes'],
  ['primaryKeys', 'primary key', 'primary keys'],
  ['foreignKeys', 'foreign key', 'foreign keys'],
  ['uniqueConstraints', 'unique constraint', 'unique constraints'],
  ['checkConstraints', 'check constraint', 'check constraints'],
  ['exclusionConstraints', 'exclusion constraint', 'exclusion constraints'],
  ['sequences', 'sequence', 'sequences'],
  ['enums', 'enum', 'enums'],
  ['domains', 'domain', 'domains'],
  ['compositeTypes', 'composite type', 'composite types'],
  ['policies', 'policy', 'policies'],
  ['schemas', 'schema', 'schemas'],
  ['extensions', 'extension', 'extensions'],
];

/**
 * "erp_local (PostgreSQL 15.18): 27 tables, 7 triggers, …" followed by the fingerprint.
 * Kinds with no objects are left out, except tables.
 */
export function renderInspectSummary(inspection: Inspection, where: string): string {
  const counts = countModel(inspection.model);
  const parts = LABELS
    .filter(([key]) => key === 'tables' || counts[key] > 0)
    .map(([key, one, many]) => `${counts[key]} ${counts[key] === 1 ? one : many}`);
  return [
    `${where} (${serverLabel(inspection.source.serverVersion)})`,
    `${parts.join(', ')}`,
    `fingerprint ${inspection.fingerprint}`,
    '',
  ].join('\n');
}
