/**
 * Where an identity column's sequence must continue after the rows are copied: past the highest
 * id in the table and, for an AUTOINCREMENT table, past the highest id SQLite ever handed out
 * (sqlite_sequence keeps it, so the ids of deleted rows are never given again; a PostgreSQL
 * sequence never goes back either, once set past them).
 */
import type { Database } from 'sql.js';
import { quoteIdent } from '../model/ids';
import { rowsOf } from './read';
import type { TableTranslation } from './translate';

/** The first value the identity should hand out after the copy, or undefined without an identity. */
export function nextIdentityValue(db: Database, table: TableTranslation): bigint | undefined {
  const column = table.columns.find((c) => c.identity);
  if (!column) return undefined;
  // typeof filters out text a rowid alias cannot hold anyway; max() of an empty table is NULL.
  const [row] = rowsOf(db, `SELECT CAST(max(${quoteIdent(column.name)}) AS TEXT) AS m FROM ${quoteIdent(table.name)}`);
  let highest = row?.['m'] === null || row?.['m'] === undefined ? 0n : BigInt(String(row['m']));
  if (table.autoincrement && hasSequenceTable(db)) {
    const [seq] = rowsOf(db, 'SELECT CAST(seq AS TEXT) AS s FROM sqlite_sequence WHERE name = ?', [table.name]);
    if (seq?.['s'] !== null && seq?.['s'] !== undefined && BigInt(String(seq['s'])) > highest) highest = BigInt(String(seq['s']));
  }
  return highest + 1n;
}

function hasSequenceTable(db: Database): boolean {
  return rowsOf(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").length > 0;
}
