/**
 * How to ask PostgreSQL whether a stored text value casts to a type, without the cast raising:
 * - PostgreSQL 16+: pg_input_is_valid(value, type), which runs the input function without raising;
 * - 13–15, uuid: a pattern that accepts exactly what uuid_in accepts (32 hex digits, optionally in
 *   braces, with a hyphen allowed after any group of four; checked against uuid_in on 13, 15, 18);
 * - 13–15, any other type: a PL/pgSQL try-cast in pg_temp, which catches the input error in a
 *   subtransaction per row (about 100k rows/s). Creating it needs a writable transaction, so that
 *   probe runs in BEGIN … ROLLBACK instead of the read-only harness.
 * The plan's cast policies use the same tests (diff/typeChange.ts).
 */
import { quote } from './bounded';

export const UUID_PATTERN = '^(\\{[0-9a-f]{4}(-?[0-9a-f]{4}){7}\\}|[0-9a-f]{4}(-?[0-9a-f]{4}){7})$';

/** The try-cast of PostgreSQL 13–15 (HAZARDS.md Q-TRYCAST); lives only as long as the session. */
export const TRY_CAST_FUNCTION = 'pg_temp.pgdrift_castable';
export const CREATE_TRY_CAST = `CREATE OR REPLACE FUNCTION ${TRY_CAST_FUNCTION}(v text, t text) RETURNS boolean LANGUAGE plpgsql AS $f$
BEGIN
  EXECUTE format('SELECT %L::%s', v, t);
  RETURN true;
EXCEPTION WHEN others THEN
  RETURN false;
END
$f$`;

export type CastMethod = 'input-is-valid' | 'uuid-pattern' | 'try-cast';

/** How to ask whether text casts to `type` on a server of this version (unknown: a method every version has). */
export function castMethod(type: string, serverVersionNum: number | undefined): CastMethod {
  if (serverVersionNum !== undefined && serverVersionNum >= 160000) return 'input-is-valid';
  return type === 'uuid' ? 'uuid-pattern' : 'try-cast';
}

/** A boolean expression: the text `value` (not NULL) is accepted by `type`'s input function. */
export function castableSql(value: string, type: string, method: CastMethod): string {
  if (method === 'input-is-valid') return `pg_input_is_valid(${value}, ${quote(type)})`;
  if (method === 'uuid-pattern') return `${value} ~* ${quote(UUID_PATTERN)}`;
  return `${TRY_CAST_FUNCTION}(${value}, ${quote(type)})`;
}

/** The same question for an enum whose labels are known: input accepts exactly a label. */
export function enumLabelSql(value: string, labels: readonly string[], array: boolean): string {
  const list = `ARRAY[${labels.map(quote).join(', ')}]::text[]`;
  return array ? `array_remove(${value}, NULL) <@ ${list}` : `${value} = ANY (${list})`;
}

/**
 * The values uuid_in rejects, before PostgreSQL 16 (no pg_input_is_valid). The full pattern is a
 * case-insensitive regular expression with bounded repetitions, about 2.5 µs a value: 25 s of CPU
 * on a 10-million-row table. Nearly every stored uuid has the canonical 8-4-4-4-12 form, which two
 * LIKEs check byte by byte (tens of nanoseconds) and one character class completes (about 0.2 µs),
 * so only the values not in that form go through the full pattern. CASE fixes that order: as
 * separate AND/OR terms at the top of a WHERE the planner would sort them by cost and could run
 * the full pattern first. COLLATE "C": LIKE and regular expressions refuse a nondeterministic
 * collation, and the hex digits are ASCII anyway.
 */
export function uuidRejectedSql(value: string): string {
  const v = `(${value}) COLLATE "C"`;
  const canonical = `${v} LIKE '________-____-____-____-____________' AND ${v} NOT LIKE '%-%-%-%-%-%' AND ${v} ~ '^[0-9A-Fa-f-]+$'`;
  return `CASE WHEN ${canonical} THEN false ELSE ${v} !~* ${quote(UUID_PATTERN)} END`;
}
