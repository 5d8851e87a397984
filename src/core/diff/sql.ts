/** Quoting for generated SQL. Identifiers are always quoted, so any name survives a round trip. */
import { quoteIdent } from '../model/ids';

export { quoteIdent };

export function qualify(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** A standard-conforming string literal ('' doubles a quote; backslashes are ordinary characters). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The qualified name inside an id such as `table:"public"."Job"`: the text after the kind prefix. */
export function nameOfId(id: string): string {
  return id.slice(id.indexOf(':') + 1);
}
