/**
 * A type as written in a statement (`varchar(5)`, `timestamptz(3)`, `"MyEnum"`, `int[]`) turned
 * into the text format_type prints for it (`character varying(5)`, `timestamp(3) with time zone`,
 * `public."MyEnum"`, `integer[]`), which is how the schema model spells a column's current type:
 * the two can then be compared, and the rewrite rule (hazards/rewrites.ts) applies to both.
 */
import type { Node, TypeName } from 'libpg-query';
import { displayIdent } from '../render/objectName';
import { names } from './ast';

/** pg_catalog's internal names → the SQL names format_type prints. */
const SQL_NAMES: Record<string, string> = {
  int2: 'smallint', int4: 'integer', int8: 'bigint', float4: 'real', float8: 'double precision',
  bool: 'boolean', varchar: 'character varying', bpchar: 'character', varbit: 'bit varying',
  numeric: 'numeric', decimal: 'numeric', int: 'integer', integer: 'integer', smallint: 'smallint',
  bigint: 'bigint', real: 'real', boolean: 'boolean',
};

/** Types whose modifier goes between the name and "with(out) time zone". */
const ZONED: Record<string, [string, string]> = {
  timestamp: ['timestamp', 'without time zone'], timestamptz: ['timestamp', 'with time zone'],
  time: ['time', 'without time zone'], timetz: ['time', 'with time zone'],
};

/** Interval field masks (INTERVAL_MASK in datetime.h) as intervaltypmodout prints them. */
const INTERVAL_FIELDS: [number, string][] = [
  [1 << 2, 'year'], [1 << 1, 'month'], [1 << 3, 'day'], [1 << 10, 'hour'], [1 << 11, 'minute'], [1 << 12, 'second'],
];
const INTERVAL_FULL_RANGE = 0x7fff;

export type UserTypeResolver = (schema: string | undefined, name: string) => { schema: string; name: string } | undefined;

export function formatTypeName(type: TypeName, userType: UserTypeResolver): string {
  const parts = names(type.names);
  const mods = (type.typmods ?? []).map(modifier);
  const array = type.arrayBounds?.length ? '[]' : '';
  const catalog = parts.length === 2 && parts[0] === 'pg_catalog';
  const name = parts[parts.length - 1] ?? '';
  if (parts.length === 1 || catalog) {
    // An unqualified name is a user type when the search path has one, else a built-in one.
    const user = catalog ? undefined : userType(undefined, name);
    if (user) return `${displayIdent(user.schema)}.${displayIdent(user.name)}${modifiers(mods)}${array}`;
    return builtin(name, mods) + array;
  }
  const schema = parts[parts.length - 2];
  const user = userType(schema, name);
  return `${[user?.schema ?? schema ?? '', name].map(displayIdent).join('.')}${modifiers(mods)}${array}`;
}

function builtin(name: string, mods: (number | string)[]): string {
  const zoned = ZONED[name];
  if (zoned) return `${zoned[0]}${modifiers(mods)} ${zoned[1]}`;
  if (name === 'interval') return intervalName(mods);
  // "char" (one byte, quoted) is not char(n): format_type keeps its quotes.
  if (name === 'char') return `"char"${modifiers(mods)}`;
  return `${SQL_NAMES[name] ?? name}${modifiers(mods)}`;
}

function intervalName(mods: (number | string)[]): string {
  const [range, precision] = mods;
  const fields = typeof range === 'number' && range !== INTERVAL_FULL_RANGE
    ? INTERVAL_FIELDS.filter(([bit]) => (range & bit) !== 0).map(([, f]) => f)
    : [];
  const span = fields.length === 0 ? '' : fields.length === 1 ? ` ${fields[0]}` : ` ${fields[0]} to ${fields[fields.length - 1]}`;
  const digits = precision !== undefined && precision !== 0xffff ? `(${precision})` : '';
  return `interval${span}${digits}`;
}

function modifiers(mods: (number | string)[]): string {
  return mods.length ? `(${mods.join(',')})` : '';
}

function modifier(node: Node): number | string {
  if ('A_Const' in node) {
    const c = node.A_Const;
    if (c.ival) return c.ival.ival ?? 0;
    if (c.sval) return c.sval.sval ?? '';
    return 0;
  }
  if ('ColumnRef' in node) return names(node.ColumnRef.fields).join('.');
  return '';
}
