/**
 * Rebuilding a type that PostgreSQL cannot alter in place (an enum losing or reordering a value, a
 * domain changing its base type): the old type is renamed out of the way, the new one created
 * under the real name, every column using it is converted through text, and the old type dropped.
 * Routines and views that use the type are recreated by the dependency cascade (diff/cascade.ts),
 * since they hold the old type's oid.
 */
import { hazard, type Hazard } from '../hazards/types';
import type { ObjectId, Table } from '../model/types';
import type { Statement } from '../plan/types';
import { columnId, type DiffContext } from './context';
import { alterStatement, dropStatement } from './kind';
import { literal, qualify, quoteIdent } from './sql';

export function rebuildType(
  keyword: 'TYPE' | 'DOMAIN', schema: string, name: string, id: ObjectId, create: Statement[], ctx: DiffContext, removedValues: readonly string[] = [],
): Statement[] {
  const oldName = `${name}__pgdrift_old`;
  const oldId = `${id}__pgdrift_old`;
  // Defaults naming the old type's values are dropped before the rename and set again at the end.
  const dropDefaults: Statement[] = [];
  const conversions: Statement[] = [];
  const converted: ObjectId[] = [];
  for (const table of ctx.from.model.tables) {
    for (const column of table.columns) {
      const colId = columnId(table.id, column.name);
      if (column.inherited || !(ctx.from.dependsOn.get(colId) ?? []).some((d) => d.to === id)) continue;
      const target = ctx.to.model.tables.find((t) => t.id === table.id)?.columns.find((c) => c.name === column.name);
      if (!target || ctx.removed.has(colId)) continue;
      const tableName = qualify(table.schema, table.name);
      const col = quoteIdent(column.name);
      const through = target.type.endsWith('[]') ? 'text[]' : 'text';
      if (column.default !== undefined) {
        dropDefaults.push(alterStatement(`ALTER TABLE ${tableName} ALTER COLUMN ${col} DROP DEFAULT`, colId, { holds: [id, colId] }));
      }
      const removed = removedValues.length ? [removedValueHazard(table, col, colId, through === 'text[]', removedValues, ctx)] : [];
      conversions.push(alterStatement(`ALTER TABLE ${tableName} ALTER COLUMN ${col} TYPE ${target.type} USING ${col}::${through}::${target.type}`, colId, {
        needs: [id, oldId], creates: [colId], drops: [colId], ...(removed.length ? { hazards: removed } : {}),
      }));
      if (target.default !== undefined) {
        conversions.push(alterStatement(`ALTER TABLE ${tableName} ALTER COLUMN ${col} SET DEFAULT ${target.default}`, colId, { needs: [colId] }));
      }
      converted.push(colId);
    }
  }
  return [
    ...dropDefaults,
    alterStatement(`ALTER ${keyword} ${qualify(schema, name)} RENAME TO ${quoteIdent(oldName)}`, id, { drops: [id], creates: [oldId] }),
    ...create,
    ...conversions,
    dropStatement(`DROP ${keyword} ${qualify(schema, oldName)}`, id, { drops: [oldId], needs: converted }),
  ];
}

/**
 * DL-09. The conversion casts each stored label to the new enum through text, so a row holding a
 * removed label makes the whole rebuild fail ("invalid input value for enum"). `where` selects
 * those rows (an array column: arrays containing one).
 */
function removedValueHazard(table: Table, col: string, colId: ObjectId, array: boolean, removed: readonly string[], ctx: DiffContext): Hazard {
  const list = removed.map(literal).join(', ');
  const where = array ? `t.${col}::text[] && ARRAY[${list}]::text[]` : `t.${col}::text IN (${list})`;
  const pk = ctx.from.model.constraints.find((c) => c.table === table.id && c.kind === 'primary key');
  const name = `${qualify(table.schema, table.name)}.${col}`;
  return hazard('DL-09', colId, `${name} may still use removed value${removed.length === 1 ? '' : 's'} ${list}; the rebuild fails if it does.`, {
    table: qualify(table.schema, table.name), column: col, where, ...(pk ? { key: pk.columns.map(quoteIdent) } : {}),
  });
}
