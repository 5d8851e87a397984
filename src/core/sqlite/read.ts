/**
 * Reads a SQLite database's schema: tables and views from sqlite_schema, columns from
 * pragma_table_xinfo, foreign keys from pragma_foreign_key_list, indexes from pragma_index_list and
 * pragma_index_info, and from the kept CREATE TABLE text what no pragma reports (CHECK
 * constraints, AUTOINCREMENT). SQLite's internal tables (sqlite_sequence, sqlite_stat1, …) are left
 * out: they are SQLite's bookkeeping, not the application's data.
 */
import type { Database, SqlValue } from 'sql.js';
import { readIndexText, readTableText } from './createText';
import type { SqliteAction, SqliteColumn, SqliteForeignKey, SqliteIndex, SqliteSchema, SqliteTable } from './schema';

type Row = Record<string, SqlValue>;

export function rowsOf(db: Database, sql: string, params: SqlValue[] = []): Row[] {
  const statement = db.prepare(sql, params);
  const out: Row[] = [];
  try {
    while (statement.step()) out.push(statement.getAsObject());
  } finally {
    statement.free();
  }
  return out;
}

const text = (v: SqlValue | undefined): string => (v === null || v === undefined ? '' : String(v));

export function readSqliteSchema(db: Database): SqliteSchema {
  // sqlite_master is the name every SQLite version knows; sqlite_schema is its alias since 3.33.
  const objects = rowsOf(db, `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`);
  const schema: SqliteSchema = { tables: [], views: [], triggers: [] };
  for (const o of objects) {
    const name = text(o['name']);
    const sql = text(o['sql']);
    if (o['type'] === 'table') {
      // A virtual table (CREATE VIRTUAL TABLE … USING fts5) has shadow tables and no ordinary storage.
      if (/^\s*CREATE\s+VIRTUAL\s+TABLE/i.test(sql)) continue;
      schema.tables.push(readTable(db, name, sql));
    } else if (o['type'] === 'view') {
      schema.views.push({ name, sql });
    } else if (o['type'] === 'trigger') {
      schema.triggers.push({ name, table: text(o['tbl_name']), sql });
    }
  }
  return schema;
}

function readTable(db: Database, name: string, sql: string): SqliteTable {
  const columns: SqliteColumn[] = rowsOf(db, 'SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid', [name])
    .filter((r) => r['hidden'] !== 1) // hidden 1: a virtual table's hidden column
    .map((r) => ({
      name: text(r['name']),
      declaredType: text(r['type']),
      notNull: r['notnull'] === 1,
      ...(r['dflt_value'] !== null ? { default: text(r['dflt_value']) } : {}),
      primaryKey: Number(r['pk']),
      generated: r['hidden'] === 2 || r['hidden'] === 3,
    }));
  const tableText = readTableText(sql);
  const foreignKeys = readForeignKeys(db, name);
  for (const d of tableText.deferrable) {
    const fk = foreignKeys.find((f) => f.columns.length === d.columns.length && f.columns.every((c, i) => c.toLowerCase() === d.columns[i]?.toLowerCase()));
    if (fk) fk.deferrable = { initiallyDeferred: d.initiallyDeferred };
  }
  return {
    name, sql, columns,
    foreignKeys,
    indexes: readIndexes(db, name),
    checks: tableText.checks,
    ...(tableText.autoincrement !== undefined ? { autoincrement: tableText.autoincrement } : {}),
    withoutRowid: tableText.withoutRowid,
    strict: tableText.strict,
  };
}

function readForeignKeys(db: Database, table: string): SqliteForeignKey[] {
  const byId = new Map<number, SqliteForeignKey>();
  for (const r of rowsOf(db, 'SELECT id, seq, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq', [table])) {
    const id = Number(r['id']);
    let fk = byId.get(id);
    if (!fk) {
      fk = { id, referencedTable: text(r['table']), columns: [], referencedColumns: [], onUpdate: action(r['on_update']), onDelete: action(r['on_delete']) };
      byId.set(id, fk);
    }
    fk.columns.push(text(r['from']));
    fk.referencedColumns.push(r['to'] === null ? null : text(r['to']));
  }
  // pragma_foreign_key_list numbers constraints from the last one written; the statement's order reads better.
  return [...byId.values()].sort((a, b) => b.id - a.id);
}

function action(v: SqlValue | undefined): SqliteAction {
  const a = text(v).toUpperCase();
  return (['RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'].includes(a) ? a : 'NO ACTION') as SqliteAction;
}

function readIndexes(db: Database, table: string): SqliteIndex[] {
  const list = rowsOf(db, 'SELECT l.name, l."unique", l.origin, l.partial, m.sql FROM pragma_index_list(?) l LEFT JOIN sqlite_master m ON m.type = \'index\' AND m.name = l.name ORDER BY l.name', [table]);
  return list.map((r) => {
    const name = text(r['name']);
    const columns = rowsOf(db, 'SELECT name FROM pragma_index_info(?) ORDER BY seqno', [name]).map((c) => (c['name'] === null ? null : text(c['name'])));
    const sql = r['sql'] === null ? undefined : text(r['sql']);
    return {
      name,
      unique: r['unique'] === 1,
      origin: text(r['origin']) as SqliteIndex['origin'],
      partial: r['partial'] === 1,
      columns,
      ...(sql !== undefined ? { sql, text: readIndexText(sql) } : {}),
    };
  });
}
