import { PgdriftError } from '../errors';
import type { ColumnRow } from './columns';
import { attributeKey } from './oidMap';

/**
 * Column names by (relation oid, attnum), from the one columns query. Constraints and indexes
 * store their columns as attnums (conkey, indkey); naming them here instead of joining
 * pg_attribute once per constraint and index in SQL keeps those queries flat.
 */
export class AttributeNames {
  private readonly names = new Map<number, { name: string; quoted: string }>();

  constructor(rows: readonly ColumnRow[]) {
    for (const r of rows) this.names.set(attributeKey(r.relid, r.attnum), { name: r.name, quoted: r.quoted_name });
  }

  /** The plain column name. */
  name(relid: number, attnum: number): string {
    return this.get(relid, attnum).name;
  }

  /** The name as SQL would print it (quote_ident): quoted only when it has to be. */
  quoted(relid: number, attnum: number): string {
    return this.get(relid, attnum).quoted;
  }

  private get(relid: number, attnum: number) {
    const found = this.names.get(attributeKey(relid, attnum));
    if (!found) throw new PgdriftError('internal', `column ${attnum} of relation ${relid} was not read`);
    return found;
  }
}
