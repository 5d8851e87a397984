/**
 * The statements of one table. New and changed rows go in one INSERT … ON CONFLICT (primary key)
 * DO UPDATE per table, a row per line: one statement, so a table whose rows refer to each other
 * needs no row order (PostgreSQL checks a statement's foreign keys after all its rows), and the
 * upsert is right whether or not the row exists when the plan runs. Rows to delete go in one
 * DELETE … WHERE key IN (…). Each value is a literal cast to the column's type (literal.ts).
 */
import { quoteIdent } from '../model/ids';
import type { Column } from '../model/types';
import type { Statement } from '../plan/types';
import type { NamedRow } from './compareRows';
import { sqlLiteral } from './literal';

function base(table: string, sql: string): Statement {
  return { sql, object: table, action: 'alter', phase: 'migrate-data' };
}

export function upsertStatement(table: string, tableSql: string, columns: readonly Column[], key: readonly string[], rows: readonly NamedRow[]): Statement {
  const names = columns.map((c) => quoteIdent(c.name)).join(', ');
  // A GENERATED ALWAYS identity column takes a given value only when the INSERT says so, and
  // can never be SET by the DO UPDATE.
  const always = columns.some((c) => c.identity?.kind === 'always');
  const values = rows.map((r) => `  (${columns.map((c) => sqlLiteral(r.get(c.name) ?? null, c.type)).join(', ')})`);
  const updatable = columns.filter((c) => !key.includes(c.name) && c.identity?.kind !== 'always');
  const onConflict = updatable.length
    ? `ON CONFLICT (${key.map(quoteIdent).join(', ')}) DO UPDATE SET ${updatable.map((c) => `${quoteIdent(c.name)} = EXCLUDED.${quoteIdent(c.name)}`).join(', ')}`
    : `ON CONFLICT (${key.map(quoteIdent).join(', ')}) DO NOTHING`;
  return base(table, [`INSERT INTO ${tableSql} (${names})${always ? ' OVERRIDING SYSTEM VALUE' : ''}`, 'VALUES', values.join(',\n'), onConflict].join('\n'));
}

/** `keyColumns` are the target's columns: the rows to delete are the target's. */
export function deleteStatement(table: string, tableSql: string, keyColumns: readonly Column[], rows: readonly NamedRow[]): Statement {
  const tuple = (r: NamedRow) => keyColumns.map((c) => sqlLiteral(r.get(c.name) ?? null, c.type));
  const single = keyColumns.length === 1;
  const lhs = single ? quoteIdent(keyColumns[0]?.name ?? '') : `(${keyColumns.map((c) => quoteIdent(c.name)).join(', ')})`;
  const list = rows.map((r) => `  ${single ? tuple(r)[0] : `(${tuple(r).join(', ')})`}`).join(',\n');
  return base(table, `DELETE FROM ${tableSql}\nWHERE ${lhs} IN (\n${list}\n)`);
}

export function countExpectation(table: string, tableSql: string, expected: number): Statement {
  return { ...base(table, `SELECT count(*) FROM ${tableSql}`), expect: { op: '=', value: expected } };
}
