/**
 * The entries of `pgdrift.referenceData` and the words the editor uses for reference data; no
 * `vscode` here, so the unit tests read it directly.
 */
import { parseTableName } from '../../core/data/literal';
import type { DataWording, TableSync } from '../../core/data/types';
import type { ObjectId } from '../../core/model/types';
import { parseId } from '../../core/render/objectName';

/**
 * Context values of the Schema Differences view's table items, which the Mark/Unmark Reference
 * Data menus of package.json ("view/item/context") name: a table that can be marked, a marked one
 * among the schema changes, and one in the "reference data" group.
 */
export const TABLE_CONTEXT = 'pgdrift.table';
export const MARKED_TABLE_CONTEXT = 'pgdrift.table.referenceData';
export const REFERENCE_TABLE_CONTEXT = 'pgdrift.referenceData.table';

/** Whether the setting entry names the table `id` (`table:"public"."Role"`): `public.Role`, `"public"."Role"`, `Role`. */
export function entryNames(entry: string, id: ObjectId): boolean {
  const parsed = parseTableName(entry);
  const { parts } = parseId(id);
  return parsed !== undefined && parts.length === 2 && parsed.schema === parts[0] && parsed.name === parts[1];
}

/**
 * The setting entry for a table id: `public.Role`, each name bare (names are taken as written,
 * capitals included) unless it holds a dot, a quote or edge spaces, then in double quotes.
 */
export function entryFor(id: ObjectId): string {
  const part = (name: string) => (/^[^."\s][^."]*$/.test(name) && name.trim() === name ? name : `"${name.replace(/"/g, '""')}"`);
  return parseId(id).parts.map(part).join('.');
}

/** "8 to insert, 1 to update", "rows equal": what the sync does to one table. */
export function syncSummary(sync: TableSync): string {
  const parts = [
    ...(sync.inserted ? [`${sync.inserted} to insert`] : []),
    ...(sync.updated ? [`${sync.updated} to update`] : []),
    ...(sync.deleted ? [`${sync.deleted} to delete`] : []),
  ];
  if (sync.kept) parts.push(`${sync.kept} only in the target, kept`);
  return parts.length ? parts.join(', ') : 'rows equal';
}

/**
 * How the engine's reference-data refusals read in the editor: the settings instead of the CLI's
 * options, the sides' names instead of --from and --to (`reference data "public"."Big": 20,000
 * rows in local, more than pgdrift.referenceDataMaxRows 10,000: …`).
 */
export function editorDataWording(from: string, to: string): DataWording {
  return { marked: EDITOR_DATA_MARK, maxRows: 'pgdrift.referenceDataMaxRows', from, to };
}

/** How the editor's wording names a marked table: an error starting with it is about the reference-data settings. */
export const EDITOR_DATA_MARK = 'reference data';
