/**
 * A translated table's rows as lines of COPY's text format (tab-separated fields, \N for null,
 * ending in a newline), in rowid order (primary key order for WITHOUT ROWID tables), for
 * `COPY table (columns) FROM STDIN`. A value that does not fit its column stops the copy with an
 * error naming it: the misfit probe (survey.ts) is meant to have listed those before.
 */
import type { Database } from 'sql.js';
import { PgdriftError } from '../errors';
import { quoteIdent } from '../model/ids';
import type { TableTranslation } from './translate';
import { copyField, toPostgresText, type SqliteValue } from './values';

interface BigIntStatement {
  step(): boolean;
  get(params: null, config: { useBigInt: boolean }): SqliteValue[];
  free(): boolean;
}

/** The column list the lines are for, quoted for PostgreSQL. */
export function copyColumns(table: TableTranslation): string {
  return table.columns.map((c) => quoteIdent(c.name)).join(', ');
}

export function* copyRows(db: Database, table: TableTranslation, zone: string): Generator<string> {
  const order = table.withoutRowid ? table.primaryKey.map(quoteIdent).join(', ') : 'rowid';
  const statement = db.prepare(`SELECT ${copyColumns(table)} FROM ${quoteIdent(table.name)} ORDER BY ${order}`) as unknown as BigIntStatement;
  const targets = table.columns.map((c) => ({ kind: c.mapped.kind, ...(c.mapped.length !== undefined ? { length: c.mapped.length } : {}) }));
  try {
    while (statement.step()) {
      const row = statement.get(null, { useBigInt: true });
      const fields = row.map((value, i) => {
        const converted = toPostgresText(value, targets[i] ?? { kind: 'text' }, zone);
        if ('misfit' in converted) {
          throw new PgdriftError('source-failed', `${table.name}.${table.columns[i]?.name ?? '?'}: ${converted.misfit}; run the misfit probe and fix the SQLite data first.`);
        }
        return copyField(converted.text);
      });
      yield `${fields.join('\t')}\n`;
    }
  } finally {
    statement.free();
  }
}
