/**
 * What a column type change does to the values already stored, decided from the two type texts
 * (format_type output) alone. The rule is deliberately small:
 * - a cast through a type's input function (from text, varchar, char, an enum through text, or
 *   json → jsonb) can reject values: FL-03, measured exactly on the from-database;
 * - a narrower target (shorter varchar/char, a smaller integer, fewer integer digits of numeric)
 *   cannot hold every value: FL-04, with a predicate selecting the values that do not fit;
 * - a cast that rounds (numeric scale down, numeric or float → integer, less fractional-second
 *   precision, timestamp → date) changes values without an error: DL-08, with a predicate
 *   selecting the values it changes;
 * - a scalar to an array or back, neither side a string type, has no cast at all: FL-03, stated;
 * - anything else is treated as succeeding: widenings (int → bigint, varchar(n) → text, more
 *   precision), any type → text, cidr → inet, date → timestamp. Changes not named here (int →
 *   boolean, float → numeric(p,s), …) get no value hazard; the lock hazard still applies.
 */
interface ParsedType {
  base: string;
  modifiers: number[];
  array: boolean;
}

export function parseType(type: string): ParsedType {
  let text = type.trim();
  const array = text.endsWith('[]');
  if (array) text = text.slice(0, -2);
  const match = /^(.*?)(?:\((\d+(?:,\s*\d+)*)\))?(?: (with(?:out)? time zone))?$/.exec(text);
  if (!match) return { base: text, modifiers: [], array };
  const base = [match[1] ?? '', match[3] ?? ''].filter(Boolean).join(' ');
  return { base, modifiers: match[2] ? match[2].split(',').map((m) => Number(m.trim())) : [], array };
}

const STRINGS = new Set(['text', 'character varying', 'character', 'name', 'citext']);
export const INTEGERS: Record<string, [string, string]> = {
  smallint: ['-32768', '32767'],
  integer: ['-2147483648', '2147483647'],
  bigint: ['-9223372036854775808', '9223372036854775807'],
};
const FLOATS = new Set(['real', 'double precision']);
const PRECISION = new Set(['timestamp without time zone', 'timestamp with time zone', 'time without time zone', 'time with time zone', 'interval']);

export interface TypeChangeEffects {
  /** The cast goes through the new type's input function and may reject values (FL-03). */
  inputCast: boolean;
  /**
   * PostgreSQL has no built-in cast between the two types at all (a scalar and an array of
   * anything but a string type, integer → integer[]): `col::new` fails when the statement is
   * parsed, whatever the values, even on an empty table (FL-03, not measured). A cast the user
   * created (CREATE CAST) is not known here.
   */
  noCast?: true;
  /** Values that do not fit the new type (FL-04), as a predicate on `t.<col>`. */
  overflow?: string;
  /** Values the cast silently changes (DL-08), as a predicate on `t.<col>`. */
  rounds?: string;
  /**
   * Leave USING out: an explicit cast to varchar(n)/char(n)/bit(n) truncates silently, while the
   * assignment cast ALTER … TYPE applies without USING raises "value too long" instead.
   */
  assignmentOnly: boolean;
}

/** What changing a column from `from` to `to` does to its values; `fromEnum`/`toEnum` say the sides are enums. */
export function typeChangeEffects(from: string, to: string, col: string, sides: { fromEnum: boolean; toEnum: boolean }): TypeChangeEffects {
  const a = parseType(from);
  const b = parseType(to);
  const none: TypeChangeEffects = { inputCast: false, assignmentOnly: false };
  if (from === to) return none;
  const aString = STRINGS.has(a.base) || sides.fromEnum;
  if (sides.toEnum) return { ...none, inputCast: true };
  if (a.array !== b.array) {
    // Any value has a text form (to a string type), and a string goes through the array type's
    // input function (to an array, measurable); between anything else and an array there is no cast.
    if (!b.array && STRINGS.has(b.base)) return none;
    if (!a.array && aString) return { ...none, inputCast: true };
    return { ...none, noCast: true };
  }
  if (BITS.has(b.base) && !BITS.has(a.base)) return { ...none, inputCast: aString };
  if (STRINGS.has(b.base) || BITS.has(b.base)) return lengthTarget(a, b, col);
  if (aString || (a.base === 'json' && b.base === 'jsonb')) return { ...none, inputCast: true };
  if (a.array) return none;
  return { ...none, ...numericTarget(a, b, col), ...temporalTarget(a, b, to, col) };
}

const BITS = new Set(['bit', 'bit varying']);

/**
 * To a string or bit string: the text form of any value exists, so only a length limit can reject
 * (FL-04). Bit strings come here only from bit strings.
 */
function lengthTarget(a: ParsedType, b: ParsedType, col: string): TypeChangeEffects {
  const limit = b.modifiers[0];
  if (limit === undefined || !['character varying', 'character', 'bit', 'bit varying'].includes(b.base)) return { inputCast: false, assignmentOnly: false };
  const known = a.modifiers[0];
  const sameKind = BITS.has(a.base) === BITS.has(b.base);
  if (sameKind && known !== undefined && known <= limit && b.base !== 'bit') return { inputCast: false, assignmentOnly: true };
  if (a.array) return { inputCast: false, assignmentOnly: true };
  // bit(n) takes exactly n bits, bit varying(n) at most n; varchar(n) and char(n) accept a longer
  // value whose excess characters are all spaces (and cut them). octet_length first: it reads the
  // length word, while rtrim copies every value (a tenth of a microsecond a row, a second on ten
  // million rows), and a value of at most `limit` bytes has at most `limit` characters.
  const overflow = b.base === 'bit' ? `length(t.${col}) <> ${limit}`
    : b.base === 'bit varying' ? `length(t.${col}) > ${limit}`
      : `octet_length(t.${col}::text) > ${limit} AND char_length(rtrim(t.${col}::text, ' ')) > ${limit}`;
  return { inputCast: false, assignmentOnly: true, overflow };
}

function numericTarget(a: ParsedType, b: ParsedType, col: string): Partial<TypeChangeEffects> {
  const c = `t.${col}`;
  const range = INTEGERS[b.base];
  if (range) {
    const [lo, hi] = range;
    const from = INTEGERS[a.base];
    if (from) return BigInt(hi) < BigInt(from[1]) ? { overflow: `${c} NOT BETWEEN ${lo} AND ${hi}` } : {};
    // numeric → integer rounds half away from zero; float → integer rounds half to even (rint).
    if (a.base === 'numeric') return { overflow: `(${c} = 'NaN' OR round(${c}) NOT BETWEEN ${lo} AND ${hi})`, rounds: `${c} <> trunc(${c})` };
    if (FLOATS.has(a.base)) return { overflow: `NOT (${c} >= ${lo} - 0.5 AND ${c} < ${hi} + 0.5)`, rounds: `${c} <> trunc(${c})` };
    return {};
  }
  if (b.base !== 'numeric' || b.modifiers.length === 0) return {};
  const [p = 0, s = 0] = b.modifiers;
  // numeric(p,s) holds values below 10^(p-s) once rounded to s decimals.
  const bound = `1${'0'.repeat(p - s)}`;
  if (INTEGERS[a.base]) return { overflow: `abs(${c}::numeric) >= ${bound}` };
  if (a.base !== 'numeric') return {};
  const [ap, as = 0] = a.modifiers;
  const fewerDigits = ap === undefined || p - s < ap - as;
  const fewerDecimals = ap === undefined || s < as;
  return {
    ...(fewerDigits || fewerDecimals ? { overflow: `(${c} <> 'NaN' AND abs(round(${c}, ${s})) >= ${bound})` } : {}),
    ...(fewerDecimals ? { rounds: `${c} <> round(${c}, ${s})` } : {}),
  };
}

/** Less fractional-second precision, or a timestamp to a date: the cast rounds or cuts. */
function temporalTarget(a: ParsedType, b: ParsedType, to: string, col: string): Partial<TypeChangeEffects> {
  if (a.base === b.base && PRECISION.has(a.base) && (b.modifiers[0] ?? 6) < (a.modifiers[0] ?? 6)) {
    return { rounds: `t.${col} <> t.${col}::${to}` };
  }
  if (b.base === 'date' && a.base.startsWith('timestamp')) return { rounds: `t.${col} <> t.${col}::date` };
  return {};
}
