/**
 * One SQLite value → the text PostgreSQL's COPY reads for the column's type, or the reason it does
 * not fit. SQLite lets any column hold any value (text in an INTEGER column, 2 in a BOOLEAN one),
 * so every conversion can fail; a failure is a misfit for the probe to list (survey.ts), never a
 * silent change. Null stays null. The text is the field's value; COPY's own escaping (backslash,
 * tab, newline) is copyField's job.
 */
import { instantOf, offsetAt, offsetText } from './timeZone';
import type { ValueKind } from './typeMap';

/** What sql.js hands back, with integers as bigint (read with useBigInt) so none loses precision. */
export type SqliteValue = number | bigint | string | Uint8Array | null;

export type Converted = { text: string | null } | { misfit: string };

export interface ValueTarget {
  kind: ValueKind;
  /** character varying(n): SQLite does not enforce n. */
  length?: number;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
/** SQLite's date and time text formats (sqlite.org/lang_datefunc.html), with an optional offset. */
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export function toPostgresText(value: SqliteValue, target: ValueTarget, zone: string): Converted {
  if (value === null) return { text: null };
  switch (target.kind) {
    case 'integer': return integer(value);
    case 'real': return real(value);
    case 'numeric': return numeric(value);
    case 'boolean': return boolean(value);
    case 'timestamptz': return timestamptz(value, zone);
    case 'date': return date(value);
    case 'time': return time(value);
    case 'text': return textValue(value, target.length);
    case 'bytea': return bytea(value);
    case 'json': return json(value);
    case 'uuid': return typeof value === 'string' && UUID.test(value) ? { text: value } : { misfit: `${describe(value)} is not a UUID` };
  }
}

function describe(value: SqliteValue): string {
  if (value instanceof Uint8Array) return `a ${value.length}-byte blob`;
  if (typeof value === 'string') return `text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value === 'bigint' ? 'integer' : 'real'} ${String(value)}`;
}

function integer(value: SqliteValue): Converted {
  if (typeof value === 'bigint') return { text: value.toString() };
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? { text: BigInt(value).toString() } : { misfit: `${describe(value)} is not an integer` };
  }
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) {
    const n = BigInt(value.trim());
    if (n >= INT64_MIN && n <= INT64_MAX) return { text: n.toString() };
  }
  return { misfit: `${describe(value)} is not an integer` };
}

function real(value: SqliteValue): Converted {
  if (typeof value === 'bigint') return { text: value.toString() };
  if (typeof value === 'number') return { text: Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : '-Infinity' };
  if (typeof value === 'string' && NUMBER.test(value)) return { text: value.trim() };
  return { misfit: `${describe(value)} is not a number` };
}

function numeric(value: SqliteValue): Converted {
  if (typeof value === 'number' && !Number.isFinite(value)) return { misfit: `${describe(value)} has no numeric value` };
  return real(value);
}

function boolean(value: SqliteValue): Converted {
  // SQLite has no boolean: applications store 0 and 1 (SQLite 3.23+ also reads TRUE/FALSE as 1/0).
  if (value === 0 || value === 0n) return { text: 'false' };
  if (value === 1 || value === 1n) return { text: 'true' };
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return { text: value.trim().toLowerCase() };
  return { misfit: `${describe(value)} is not 0 or 1` };
}

function validDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function timestamptz(value: SqliteValue, zone: string): Converted {
  const m = typeof value === 'string' ? DATETIME.exec(value.trim()) : null;
  if (!m) return { misfit: `${describe(value)} is not a date and time SQLite's date functions read` };
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', offset] = m;
  if (!validDate(Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return { misfit: `${describe(value)} is not a valid date and time` };
  }
  const wall = `${y}-${mo}-${d} ${h}:${mi}:${s}${fraction}`;
  if (offset !== undefined) {
    // Written with its own offset: that offset says which instant it is, whatever the source zone.
    if (offset.toUpperCase() === 'Z') return { text: `${wall}+00` };
    const om = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset);
    return { text: `${wall}${offsetText((om?.[1] === '-' ? -1 : 1) * (Number(om?.[2]) * 60 + Number(om?.[3] ?? 0)))}` };
  }
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const at = instantOf(zone, local);
  if (at.fold === 'skipped') {
    // The wall-clock time never happened in the zone: printed as the instant PostgreSQL would
    // read it (with the offset before the change), in the offset in force at that instant.
    const now = offsetAt(zone, at.utcMs);
    const shifted = new Date(at.utcMs + now * 60000).toISOString().replace('T', ' ').slice(0, 19);
    return { text: `${shifted}${fraction}${offsetText(now)}` };
  }
  return { text: `${wall}${offsetText(at.offset)}` };
}

function date(value: SqliteValue): Converted {
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim()) : null;
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return { misfit: `${describe(value)} is not a date (YYYY-MM-DD)` };
  return { text: value as string };
}

function time(value: SqliteValue): Converted {
  const m = typeof value === 'string' ? /^(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/.exec(value.trim()) : null;
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) return { misfit: `${describe(value)} is not a time of day (HH:MM[:SS])` };
  return { text: (value as string).trim() };
}

function textValue(value: SqliteValue, length: number | undefined): Converted {
  if (value instanceof Uint8Array) return { misfit: `${describe(value)} in a text column` };
  const text = typeof value === 'string' ? value : String(value);
  // PostgreSQL text cannot hold the NUL character; SQLite text can.
  if (text.includes('\u0000')) return { misfit: `${describe(value)} contains a NUL character, which PostgreSQL text cannot hold` };
  if (length !== undefined && [...text].length > length) return { misfit: `${describe(value)} is longer than ${length} characters (SQLite does not enforce the declared length)` };
  return { text };
}

function bytea(value: SqliteValue): Converted {
  if (value instanceof Uint8Array) return { text: `\\x${Buffer.from(value).toString('hex')}` };
  // A column without a declared type keeps whatever it was given: text becomes its UTF-8 bytes.
  if (typeof value === 'string') return { text: `\\x${Buffer.from(value, 'utf8').toString('hex')}` };
  return { misfit: `${describe(value)} in a blob column` };
}

function json(value: SqliteValue): Converted {
  if (typeof value !== 'string') return typeof value === 'number' || typeof value === 'bigint' ? { text: String(value) } : { misfit: `${describe(value)} is not JSON text` };
  try {
    JSON.parse(value);
    return { text: value };
  } catch {
    return { misfit: `${describe(value)} is not valid JSON` };
  }
}

/** A field of COPY's text format: \N for null; backslash, newline, carriage return and tab escaped. */
export function copyField(text: string | null): string {
  if (text === null) return '\\N';
  // Most values have nothing to escape: one scan instead of four replacements (a million-row copy
  // spends a sixth of its time here otherwise).
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

const NEEDS_ESCAPE = /[\\\n\r\t]/;
