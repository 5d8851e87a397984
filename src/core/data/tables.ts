/**
 * The marked tables as the sync sees them: from the --to model, its primary key, the columns it
 * writes (generated columns are computed by the target, so they are neither compared nor
 * written), their types, its foreign keys; and what the target (--from) has of it.
 */
import { PgdriftError } from '../errors';
import type { Column, Constraint, SchemaModel, Table } from '../model/types';
import { parseTableName, qualifiedName } from './literal';
import { CLI_DATA_WORDING, type DataWording } from './types';

export interface SyncTable {
  id: string;
  /** `"public"."Role"`. */
  sql: string;
  key: string[];
  columns: Column[];
  foreignKeys: Constraint[];
  /** The target's table of that name, when it has one (absent: the plan creates it, empty). */
  target?: Table;
}

export function syncTables(names: readonly string[], to: SchemaModel, from: SchemaModel, w: DataWording = CLI_DATA_WORDING): SyncTable[] {
  const out: SyncTable[] = [];
  for (const name of names) {
    const parsed = parseTableName(name);
    if (!parsed) throw new PgdriftError('usage', `${w.marked} "${name}": expected schema.table (quote names with capitals or dots: "public"."Role" or public.Role)`);
    const table = to.tables.find((t) => t.schema === parsed.schema && t.name === parsed.name);
    const sql = qualifiedName(parsed.schema, parsed.name);
    if (!table) throw new PgdriftError('usage', `${w.marked} ${sql}: ${w.to} has no such table`);
    if (out.some((t) => t.id === table.id)) continue;
    if (table.kind === 'foreign table') throw new PgdriftError('usage', `${w.marked} ${sql}: a foreign table's rows live on another server; it cannot be reference data`);
    const constraints = to.constraints.filter((c) => c.table === table.id);
    const pk = constraints.find((c) => c.kind === 'primary key');
    if (!pk) {
      throw new PgdriftError('usage', `${w.marked} ${sql}: the table has no primary key in ${w.to}, so its rows cannot be matched between the databases; give it one, or leave it out of ${w.marked}`);
    }
    const target = from.tables.find((t) => t.schema === table.schema && t.name === table.name);
    if (target) {
      const missing = pk.columns.filter((c) => !target.columns.some((tc) => tc.name === c));
      if (missing.length) {
        throw new PgdriftError('usage', `${w.marked} ${sql}: the table in ${w.from} has no column ${missing.join(', ')} of the primary key in ${w.to}, so its rows cannot be matched`);
      }
    }
    out.push({
      id: table.id,
      sql,
      key: pk.columns,
      columns: table.columns.filter((c) => !c.generated),
      foreignKeys: constraints.filter((c) => c.kind === 'foreign key' && c.foreignKey),
      ...(target ? { target } : {}),
    });
  }
  return out;
}
