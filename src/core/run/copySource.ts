/**
 * Where a run's `COPY … FROM STDIN` statements get their rows: the SQLite file their
 * `-- pgdrift:copy-from` line names, opened once per run (sql.js reads the whole file into memory),
 * its schema translated again with the plan's time zone, each row converted exactly as the plan's
 * survey converted it. Lines are sent in chunks of about 256 KiB: one CopyData message per row
 * would cost a socket write each.
 */
import type { Database } from 'sql.js';
import { PgdriftError } from '../errors';
import type { CopySource } from '../plan/types';
import { copyColumns, copyRows, openSqlite, readSqliteSchema, translateSqlite, type SqliteTranslation } from '../sqlite';

const CHUNK_CHARS = 256 * 1024;

export interface CopyProgress {
  (rows: number): void;
}

export class CopySources {
  private readonly files = new Map<string, Promise<Database>>();
  private readonly translations = new Map<string, SqliteTranslation>();

  /** The table's rows as chunks of COPY text; `stopped` is asked between chunks (a cancelled run). */
  async *chunks(source: CopySource, sql: string, progress: CopyProgress, stopped: () => boolean): AsyncGenerator<string> {
    const db = await this.open(source.path);
    const key = `${source.path}\0${source.zone}`;
    let translation = this.translations.get(key);
    if (!translation) {
      translation = translateSqlite(readSqliteSchema(db), { timeZone: source.zone });
      this.translations.set(key, translation);
    }
    const table = translation.tables.find((t) => t.name === source.table);
    if (!table) throw new PgdriftError('source-failed', `${source.path} has no table "${source.table}" any more (the plan copies from it)`);
    // The plan's COPY names the columns the file had when it was planned; a file changed since
    // would send its fields to the wrong columns.
    // Compared without whitespace: a hand-edited plan may have laid the list out on several lines.
    const bare = (text: string) => text.replace(/\s+/g, '');
    if (!bare(sql).includes(bare(`(${copyColumns(table)}) FROM STDIN`))) {
      throw new PgdriftError('source-failed', `${source.path}: table "${source.table}" no longer has the columns this COPY lists (${copyColumns(table)}); plan again`);
    }
    let chunk = '';
    let rows = 0;
    for (const line of copyRows(db, table, source.zone)) {
      chunk += line;
      rows += 1;
      if (chunk.length >= CHUNK_CHARS) {
        if (stopped()) throw new PgdriftError('cancelled', `the copy stopped after ${rows.toLocaleString('en-US')} rows`);
        yield chunk;
        chunk = '';
        progress(rows);
      }
    }
    if (chunk) yield chunk;
    progress(rows);
  }

  close(): void {
    for (const file of this.files.values()) void file.then((db) => db.close(), () => undefined);
    this.files.clear();
  }

  private open(path: string): Promise<Database> {
    let file = this.files.get(path);
    if (!file) {
      file = openSqlite(path);
      this.files.set(path, file);
    }
    return file;
  }
}
