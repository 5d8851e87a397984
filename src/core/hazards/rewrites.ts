/**
 * Whether ALTER COLUMN … TYPE rewrites the table. PostgreSQL skips the rewrite (and keeps the
 * indexes) only when the new type is binary-coercible and the new type modifier accepts every old
 * value: a longer or unlimited varchar, varchar → text, more numeric precision at the same scale,
 * more fractional-second precision, cidr → inet, a longer varbit. Everything else rewrites the
 * table and rebuilds its indexes under ACCESS EXCLUSIVE (HAZARDS.md §7.2, measured on 15 and 18).
 */
interface ParsedType {
  base: string;
  modifiers: number[];
}

function parse(type: string): ParsedType {
  const match = /^(.*?)(?:\((\d+(?:,\s*\d+)*)\))?(?: (with(?:out)? time zone))?$/.exec(type.trim());
  if (!match) return { base: type, modifiers: [] };
  const base = [match[1] ?? '', match[3] ?? ''].filter(Boolean).join(' ');
  return { base, modifiers: match[2] ? match[2].split(',').map((m) => Number(m.trim())) : [] };
}

const PRECISION_TYPES = new Set([
  'timestamp without time zone', 'timestamp with time zone', 'time without time zone', 'interval',
]);

export function typeChangeRewrites(from: string, to: string): boolean {
  if (from === to) return false;
  const a = parse(from);
  const b = parse(to);
  if (a.base === 'character varying' && b.base === 'text') return false;
  if (a.base === 'text' && b.base === 'character varying' && b.modifiers.length === 0) return false;
  if (a.base === 'character varying' && b.base === 'character varying') {
    return b.modifiers.length > 0 && (a.modifiers.length === 0 || (b.modifiers[0] ?? 0) < (a.modifiers[0] ?? 0));
  }
  if (a.base === 'numeric' && b.base === 'numeric') {
    if (b.modifiers.length === 0) return false;
    if (a.modifiers.length === 0) return true;
    return (b.modifiers[1] ?? 0) !== (a.modifiers[1] ?? 0) || (b.modifiers[0] ?? 0) < (a.modifiers[0] ?? 0);
  }
  if (a.base === b.base && PRECISION_TYPES.has(a.base)) {
    // No modifier means the maximum precision (6).
    return (b.modifiers[0] ?? 6) < (a.modifiers[0] ?? 6);
  }
  if (a.base === 'bit varying' && b.base === 'bit varying') {
    return b.modifiers.length > 0 && (a.modifiers.length === 0 || (b.modifiers[0] ?? 0) < (a.modifiers[0] ?? 0));
  }
  if (a.base === 'cidr' && b.base === 'inet') return false;
  return true;
}

/**
 * Volatile built-in functions commonly used as defaults. A volatile default is evaluated per row,
 * so ADD COLUMN rewrites the table (a constant or stable default such as now() does not); a
 * serial's nextval is one of them.
 */
export const VOLATILE_DEFAULT_FUNCTIONS = new Set(['gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v4', 'uuidv4', 'uuidv7', 'random', 'clock_timestamp', 'timeofday', 'nextval']);

/**
 * Whether a default as the server prints it (pg_get_expr: `nextval('public.t_id_seq'::regclass)`,
 * `public.gen_random_uuid()`) calls one of those functions. Text inside string literals is skipped.
 */
export function defaultCallsVolatile(expression: string): boolean {
  const code = expression.replace(/'(?:[^']|'')*'/g, "''");
  for (const m of code.matchAll(/(?:^|[^\w$"])(?:[a-z_][\w$]*\.)?([a-z_][\w$]*)\s*\(/gi)) {
    if (VOLATILE_DEFAULT_FUNCTIONS.has((m[1] ?? '').toLowerCase())) return true;
  }
  return false;
}
