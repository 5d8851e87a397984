/** A SQLite database's schema as read by read.ts, before any translation. */
import type { CheckText, IndexText } from './createText';

export interface SqliteColumn {
  name: string;
  /** The declared type as written ("VARCHAR(40)", "DATETIME", ""); SQLite derives affinity from it. */
  declaredType: string;
  notNull: boolean;
  /** The DEFAULT expression's text as SQLite keeps it ("0", "'open'", "CURRENT_TIMESTAMP"). */
  default?: string;
  /** 1-based position in the primary key; 0 when not part of it. */
  primaryKey: number;
  /** Generated column (hidden 2 or 3 in pragma_table_xinfo). */
  generated: boolean;
}

export type SqliteAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';

export interface SqliteForeignKey {
  /** pragma_foreign_key_list's id: rows with one id form one constraint. */
  id: number;
  referencedTable: string;
  columns: string[];
  /** Null when the REFERENCES clause names no columns: the referenced table's primary key is meant. */
  referencedColumns: (string | null)[];
  onUpdate: SqliteAction;
  onDelete: SqliteAction;
  /** From the CREATE TABLE text: DEFERRABLE, and whether INITIALLY DEFERRED. */
  deferrable?: { initiallyDeferred: boolean };
}

export interface SqliteIndex {
  name: string;
  unique: boolean;
  /** c: CREATE INDEX; u: a UNIQUE constraint; pk: a PRIMARY KEY that is not the rowid. */
  origin: 'c' | 'u' | 'pk';
  partial: boolean;
  /** Key columns in order; null for an expression key. */
  columns: (string | null)[];
  /** The CREATE INDEX statement (origin c only). */
  sql?: string;
  text?: IndexText;
}

export interface SqliteTable {
  name: string;
  sql: string;
  columns: SqliteColumn[];
  foreignKeys: SqliteForeignKey[];
  indexes: SqliteIndex[];
  checks: CheckText[];
  autoincrement?: string;
  withoutRowid: boolean;
  strict: boolean;
}

export interface SqliteView {
  name: string;
  sql: string;
}

export interface SqliteSchema {
  tables: SqliteTable[];
  views: SqliteView[];
  triggers: { name: string; table: string; sql: string }[];
}
