/**
 * Stable object ids: a kind and the quoted, qualified name. Quoting every part keeps ids unambiguous
 * whatever the names contain ("a.b" as one name vs schema a, table b). Ids never contain oids, so the
 * same object has the same id in every database.
 */
import type { ObjectId } from './types';

export function quoteIdent(name: string): string {
  return name.includes('"') ? `"${name.replace(/"/g, '""')}"` : `"${name}"`;
}

function qualified(...parts: string[]): string {
  return parts.map(quoteIdent).join('.');
}

export const ids = {
  schema: (name: string): ObjectId => `schema:${quoteIdent(name)}`,
  extension: (name: string): ObjectId => `extension:${quoteIdent(name)}`,
  enum: (schema: string, name: string): ObjectId => `enum:${qualified(schema, name)}`,
  domain: (schema: string, name: string): ObjectId => `domain:${qualified(schema, name)}`,
  composite: (schema: string, name: string): ObjectId => `type:${qualified(schema, name)}`,
  sequence: (schema: string, name: string): ObjectId => `sequence:${qualified(schema, name)}`,
  table: (schema: string, name: string): ObjectId => `table:${qualified(schema, name)}`,
  column: (schema: string, table: string, column: string): ObjectId => `column:${qualified(schema, table, column)}`,
  view: (schema: string, name: string, materialized: boolean): ObjectId =>
    `${materialized ? 'materialized view' : 'view'}:${qualified(schema, name)}`,
  index: (schema: string, name: string): ObjectId => `index:${qualified(schema, name)}`,
  constraint: (schema: string, table: string, name: string): ObjectId => `constraint:${qualified(schema, table, name)}`,
  trigger: (schema: string, table: string, name: string): ObjectId => `trigger:${qualified(schema, table, name)}`,
  policy: (schema: string, table: string, name: string): ObjectId => `policy:${qualified(schema, table, name)}`,
  routine: (kind: string, schema: string, name: string, identityArguments: string): ObjectId =>
    `${kind}:${qualified(schema, name)}(${identityArguments})`,
};
