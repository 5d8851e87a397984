/**
 * What a type change can do to the values already stored, decided from the two types alone
 * (format_type spellings). Without USING, PostgreSQL converts with the assignment cast, which
 * raises an error for a value that does not fit ("value too long for type character varying(5)",
 * "integer out of range", "numeric field overflow"); with an explicit `USING col::T` cast, a
 * shorter varchar or a smaller numeric scale silently truncates or rounds instead (HAZARDS.md
 * FL-03, FL-04, DL-08).
 */
import { typeChangeRewrites } from '../hazards/rewrites';

export type CastRisk =
  /** Every value converts: nothing to measure. */
  | 'none'
  /** Narrower type: values that do not fit make the ALTER fail (FL-04). */
  | 'narrowing'
  /** Explicit cast to a narrower type: values that do not fit are cut or rounded (DL-08). */
  | 'truncating'
  /** Some stored values may not convert at all (FL-03: text → uuid, text → integer, …). */
  | 'may-fail';

const INTEGER_RANK: Record<string, number> = { smallint: 1, integer: 2, bigint: 3 };
const TEXTUAL = new Set(['text', 'character varying']);

interface Parsed {
  base: string;
  mods: number[];
}

function parse(type: string): Parsed {
  const m = /^(.*?)(?:\((\d+(?:,\s*\d+)*)\))?( with(?:out)? time zone)?$/.exec(type.trim());
  const base = `${m?.[1] ?? type}${m?.[3] ?? ''}`;
  return { base, mods: m?.[2] ? m[2].split(',').map((x) => Number(x.trim())) : [] };
}

export function castRisk(from: string, to: string, explicitCast: boolean): CastRisk {
  if (from === to) return 'none';
  const a = parse(from);
  const b = parse(to);
  // A change PostgreSQL makes without touching the data (longer varchar, varchar → text, more
  // precision) keeps every value as it is.
  if (!typeChangeRewrites(from, to)) return 'none';
  // Every type has an output function: anything converts to unbounded text.
  if (TEXTUAL.has(b.base) && b.mods.length === 0 && !to.endsWith('[]')) return 'none';
  const ra = INTEGER_RANK[a.base];
  const rb = INTEGER_RANK[b.base];
  if (ra !== undefined && rb !== undefined) return rb >= ra ? 'none' : 'narrowing';
  if (ra !== undefined && b.base === 'numeric' && b.mods.length === 0) return 'none';
  if (ra !== undefined && b.base === 'double precision') return 'none';
  if (a.base === 'real' && b.base === 'double precision') return 'none';
  const shorter = (TEXTUAL.has(a.base) || a.base === 'character') && (b.base === 'character varying' || b.base === 'character') && b.mods.length > 0;
  const smallerNumeric = a.base === 'numeric' && b.base === 'numeric' && b.mods.length > 0;
  const lessPrecision = a.base === b.base && /^(timestamp|time|interval)/.test(a.base);
  if (shorter || smallerNumeric || lessPrecision) {
    // Fractional seconds are always rounded, with or without an explicit cast.
    return explicitCast || lessPrecision ? 'truncating' : 'narrowing';
  }
  if (ra === undefined && rb !== undefined && (a.base === 'numeric' || a.base === 'real' || a.base === 'double precision')) {
    // numeric/float → integer rounds fractions and fails beyond the range, cast or not.
    return 'truncating';
  }
  return 'may-fail';
}
