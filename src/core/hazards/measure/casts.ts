/**
 * Type changes measured on the from-database: values a cast rejects (FL-03), values a narrower
 * type cannot hold (FL-04), values a cast rounds or cuts (DL-08), and rows still using an enum
 * value that a rebuild removes (DL-09). Counts are exact up to the cap, samples are real values.
 *
 * Whether a text value casts to a type is asked of the type's own input function:
 * - PostgreSQL 16+: pg_input_is_valid(value, type), which runs the input function without raising;
 * - 13–15, uuid: a pattern that accepts exactly what uuid_in accepts (32 hex digits, optionally in
 *   braces, with a hyphen allowed after any group of four; checked against uuid_in on 13, 15, 18);
 * - 13–15, any other type: a PL/pgSQL try-cast in pg_temp, which catches the input error in a
 *   subtransaction per row (about 100k rows/s). Creating it needs a writable transaction, so that
 *   probe runs in BEGIN … ROLLBACK instead of the read-only harness.
 */
import type { Queryable } from '../../db/queryable';
import { PgdriftError, messageOf } from '../../errors';
import type { ProbeLimits, ProbeResult } from '../probe';
import { probe } from '../probe';
import type { BoundedCount, HazardCode, ProbeTarget } from '../types';
import { typeChangeEffects } from '../typeEffects';
import { boundedCountSql, count, plural, quote, samplesSql, show, type Measure, type MeasureContext } from './bounded';

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
 * A probe that may need the try-cast function: BEGIN (writable, because CREATE FUNCTION is a
 * write), the harness's timeouts, the function, the query, ROLLBACK, so nothing stays behind.
 */
export async function probeWritable<R extends object>(q: Queryable, what: string, setup: readonly string[], sql: string, limits: ProbeLimits): Promise<ProbeResult<R>> {
  if (setup.length === 0) return probe<R>(q, what, sql, limits);
  await q.query('BEGIN');
  try {
    await q.query(`SET LOCAL statement_timeout = ${Math.round(limits.statementMs)}`);
    await q.query(`SET LOCAL lock_timeout = ${Math.round(limits.lockMs)}`);
    for (const statement of setup) await q.query(statement);
    const result = await q.query<R>(sql);
    return { rows: result.rows };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '57014') return { unknown: 'timed out' };
    if (code === '55P03') return { unknown: 'table locked' };
    throw new PgdriftError('query-failed', `measuring ${what}: ${messageOf(error)}`, { cause: error });
  } finally {
    await q.query('ROLLBACK').catch(() => undefined);
  }
}

interface Matched {
  count: BoundedCount;
  samples: string[];
}

/**
 * Rows of the table, then for each named predicate the rows matching it (bounded) and up to five
 * distinct samples of the column among them, in one probe.
 */
async function countWhere<K extends string>(
  target: ProbeTarget, predicates: Partial<Record<K, string | undefined>>, setup: readonly string[], ctx: MeasureContext,
): Promise<{ rows: BoundedCount; matched: Partial<Record<K, Matched>> } | { unknown: 'timed out' | 'table locked' }> {
  const cap = ctx.limits.countCap;
  const sample = target.sample ?? `t.${target.column ?? 'NULL'}`;
  const entries = Object.entries(predicates).filter((e): e is [K, string] => typeof e[1] === 'string');
  const columns = [`${boundedCountSql(target.table, undefined, cap)} AS n`];
  entries.forEach(([, p], i) => columns.push(`${boundedCountSql(target.table, p, cap)} AS m${i}`, `${samplesSql(target.table, p, sample)} AS s${i}`));
  // A predicate written by the diff for a server older than 16 (or of unknown version) may call the try-cast.
  const needsTryCast = setup.length === 0 && entries.some(([, p]) => p.includes(TRY_CAST_FUNCTION));
  const r = await probeWritable<Record<string, number | string[]>>(ctx.q, `${target.table}.${target.column ?? ''}`, needsTryCast ? [CREATE_TRY_CAST] : setup, `SELECT ${columns.join(', ')}`, ctx.limits);
  if ('unknown' in r) return r;
  const row = r.rows[0] ?? {};
  const matched: Partial<Record<K, Matched>> = {};
  entries.forEach(([key], i) => {
    matched[key] = { count: count(Number(row[`m${i}`] ?? 0), cap), samples: (row[`s${i}`] as string[] | undefined) ?? [] };
  });
  return { rows: count(Number(row.n ?? 0), cap), matched };
}

/** The one predicate a measure counts, with its count and samples. */
async function countOne(target: ProbeTarget, where: string, ctx: MeasureContext): Promise<{ rows: BoundedCount; failing: BoundedCount; samples: string[] } | { unknown: 'timed out' | 'table locked' }> {
  const found = await countWhere(target, { failing: where }, [], ctx);
  if ('unknown' in found) return found;
  return { rows: found.rows, failing: found.matched.failing?.count ?? count(0, 0), samples: found.matched.failing?.samples ?? [] };
}

function examples(samples: readonly string[]): string {
  return samples.length ? ` (e.g. ${samples.map(quote).join(', ')})` : '';
}

/** "1 value", "3 values", "10,000+ values". */
function values(c: BoundedCount): string {
  return `${show(c)} value${plural(c)}`;
}

/** Whether the from-database knows the type (a type the plan creates does not exist there yet). */
async function typeExists(type: string, ctx: MeasureContext): Promise<boolean> {
  const r = await probe<{ ok: boolean }>(ctx.q, `type ${type}`, `SELECT to_regtype(${quote(type)}) IS NOT NULL AS ok`, ctx.limits);
  return 'rows' in r && r.rows[0]?.ok === true;
}

/**
 * FL-03. Without a cast policy `where` (when set) already selects the values the cast rejects
 * (the diff writes it for enums, whose labels it knows); otherwise the rejection test is built
 * here for the server's version. With a policy, `where` selects the rows the policy rewrites and
 * `failing` counts the invalid values it leaves (a map that misses some).
 */
const castFailures: Measure = async (h, ctx) => {
  const target = h.target;
  if (!target?.column || !target.cast) return h;
  const col = `t.${target.column}`;
  const name = `${target.table}.${target.column}`;
  const to = target.cast.to;
  const policy = h.accepted === 'policy' ? target.where : undefined;
  let invalid = policy === undefined ? target.where : undefined;
  let setup: string[] = [];
  if (invalid === undefined && await typeExists(to, ctx)) {
    const method = castMethod(to, ctx.serverVersionNum);
    if (method === 'try-cast') setup = [CREATE_TRY_CAST];
    invalid = `${col} IS NOT NULL AND NOT ${castableSql(`${col}::text`, to, method)}`;
  }
  // Neither a predicate nor a type to ask (a type created later): the static message stands.
  if (invalid === undefined && policy === undefined) return h;
  const failing = invalid === undefined ? undefined : policy === undefined ? invalid : `(${invalid}) AND NOT (${policy})`;
  const found = await countWhere(target, { nonNull: `${col} IS NOT NULL`, failing, changed: policy }, setup, ctx);
  if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
  const { nonNull, failing: bad, changed } = found.matched;
  const samples = (bad && bad.count.value > 0 ? bad.samples : changed?.samples) ?? [];
  const evidence = { rows: found.rows, ...(bad ? { failing: bad.count } : {}), ...(changed ? { values: changed.count } : {}), samples };
  return { ...h, evidence, message: castMessage(name, to, nonNull?.count ?? count(0, 0), bad?.count, changed?.count, samples, h.remedy) };
};

function castMessage(name: string, to: string, nonNull: BoundedCount, bad: BoundedCount | undefined, changed: BoundedCount | undefined, samples: string[], remedy: string | undefined): string {
  if (changed === undefined) {
    return bad === undefined || bad.value === 0
      ? `${name}: all ${values(nonNull)} cast to ${to}.`
      : `${name}: ${values(bad)} cannot be cast to ${to}${examples(samples)}; ALTER … TYPE fails.`;
  }
  if (bad && bad.value > 0) {
    return `${name}: ${values(bad)} cannot be cast to ${to} and the cast policy does not cover ${plural(bad) ? 'them' : 'it'}${examples(samples)}; ALTER … TYPE fails.`;
  }
  const policy = remedy ? `: ${remedy.charAt(0).toLowerCase()}${remedy.slice(1)}` : '.';
  return `${name}: the cast policy rewrites ${values(changed)}${examples(samples)}${policy}${bad ? ` Every other value casts to ${to}.` : ''}`;
}

/**
 * The predicate of an FL-04 or DL-08 target: `where` as the diff wrote it, or, for a target that
 * names only the cast (pgdrift check), the one typeEffects.ts derives from the two types.
 */
function effectPredicate(target: ProbeTarget, code: 'FL-04' | 'DL-08'): string | undefined {
  if (target.where) return target.where;
  if (!target.cast || !target.column) return undefined;
  const effects = typeChangeEffects(target.cast.from, target.cast.to, target.column, { fromEnum: false, toEnum: false });
  // An explicit cast cuts what the assignment cast would refuse: the same values.
  return code === 'FL-04' ? effects.overflow : effects.rounds ?? effects.overflow;
}

/** FL-04: values the narrower type cannot hold. */
const doesNotFit: Measure = async (h, ctx) => {
  const target = h.target;
  const where = target && effectPredicate(target, 'FL-04');
  if (!target?.column || !where || !target.cast) return h;
  const found = await countOne(target, where, ctx);
  if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
  const { failing, samples } = found;
  const name = `${target.table}.${target.column}`;
  return {
    ...h, evidence: { rows: found.rows, failing, samples },
    message: failing.value === 0
      ? `${name}: every value fits ${target.cast.to}.`
      : `${name}: ${values(failing)} do${plural(failing) ? '' : 'es'} not fit ${target.cast.to}${examples(samples)}; ALTER … TYPE fails.`,
  };
};

/** DL-08: values the cast changes without an error. */
const silentlyChanged: Measure = async (h, ctx) => {
  const target = h.target;
  const where = target && effectPredicate(target, 'DL-08');
  if (!target?.column || !where || !target.cast) return h;
  const found = await countOne(target, where, ctx);
  if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
  const { failing, samples } = found;
  const name = `${target.table}.${target.column}`;
  return {
    ...h, evidence: { rows: found.rows, failing, samples },
    message: failing.value === 0
      ? `${name}: no value changes when cast to ${target.cast.to}.`
      : `${name}: ${values(failing)} would be rounded or cut when cast to ${target.cast.to}${examples(samples)}; nothing reports it.`,
  };
};

/** DL-09: rows holding an enum value the rebuild removes (`where` selects them). */
const removedEnumValues: Measure = async (h, ctx) => {
  const target = h.target;
  if (!target?.column || !target.where) return h;
  const found = await countOne(target, target.where, ctx);
  if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
  const { failing, samples } = found;
  const name = `${target.table}.${target.column}`;
  const used = samples.map(quote).join(', ');
  return {
    ...h, evidence: { rows: found.rows, failing, samples },
    message: failing.value === 0
      ? `${name} holds none of the removed values: the rebuild succeeds.`
      : `${name} uses removed value${samples.length === 1 ? '' : 's'} ${used} in ${show(failing)} row${plural(failing)}; the rebuild fails.`,
  };
};

export const CAST_MEASURES: Partial<Record<HazardCode, Measure>> = {
  'FL-03': castFailures,
  'FL-04': doesNotFit,
  'DL-08': silentlyChanged,
  'DL-09': removedEnumValues,
};
