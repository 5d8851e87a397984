/**
 * The probe run before any copy: every value of every translated table converted as the copy
 * would convert it, and the ones that do not fit their PostgreSQL column listed with their row
 * id (text in an INTEGER column, 2 in a BOOLEAN column, a DATETIME that is no date, a VARCHAR(10)
 * value of 12 characters, a NULL in a primary key column, which SQLite allows outside INTEGER
 * PRIMARY KEY). A WITHOUT ROWID table has no rowid; its rows are named by primary key.
 */
import type { Database } from 'sql.js';
import { quoteIdent } from '../model/ids';
import type { SqliteTranslation, TableTranslation } from './translate';
import { toPostgresText, type SqliteValue } from './values';

export interface Misfit {
  table: string;
  column: string;
  /** The rowid, or for a WITHOUT ROWID table the primary key values joined by ", ". */
  row: string;
  reason: string;
}

export interface MisfitOptions {
  /** Stop after this many (default 1000): a column of the wrong type can misfit on every row. */
  limit?: number;
}

interface BigIntStatement {
  step(): boolean;
  get(params: null, config: { useBigInt: boolean }): SqliteValue[];
  free(): boolean;
}

export function findMisfits(db: Database, translation: SqliteTranslation, options: MisfitOptions = {}): Misfit[] {
  const limit = options.limit ?? 1000;
  const out: Misfit[] = [];
  for (const table of translation.tables) {
    if (out.length >= limit) break;
    probeTable(db, table, translation.timeZone, out, limit);
  }
  return out;
}

/** SQLite quotes names with double quotes as PostgreSQL does. */
const q = quoteIdent;

function probeTable(db: Database, table: TableTranslation, zone: string, out: Misfit[], limit: number): void {
  const key = table.withoutRowid ? table.primaryKey.map(q) : ['rowid'];
  const sql = `SELECT ${[...key, ...table.columns.map((c) => q(c.name))].join(', ')} FROM ${q(table.name)} ORDER BY ${key.join(', ')}`;
  const statement = db.prepare(sql) as unknown as BigIntStatement;
  try {
    while (statement.step()) {
      const row = statement.get(null, { useBigInt: true });
      const rowName = row.slice(0, key.length).map((v) => String(v)).join(', ');
      table.columns.forEach((c, i) => {
        const value = row[key.length + i] ?? null;
        if (value === null) {
          if (c.notNull && !c.identity) out.push({ table: table.name, column: c.name, row: rowName, reason: `NULL in a column that is NOT NULL in PostgreSQL (${c.mapped.type}${table.primaryKey.includes(c.name) ? ', primary key' : ''})` });
          return;
        }
        const converted = toPostgresText(value, { kind: c.mapped.kind, ...(c.mapped.length !== undefined ? { length: c.mapped.length } : {}) }, zone);
        if ('misfit' in converted) out.push({ table: table.name, column: c.name, row: rowName, reason: `${converted.misfit} (${c.mapped.type})` });
      });
      if (out.length >= limit) return;
    }
  } finally {
    statement.free();
  }
}
