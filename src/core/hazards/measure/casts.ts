/**
 * Type changes measured on the from-database: values a cast rejects (FL-03), values a narrower
 * type cannot hold (FL-04), values a cast rounds or cuts (DL-08), and rows still using an enum
 * value that a rebuild removes (DL-09). Counts are exact up to the cap, samples are real values.
 * Whether a value casts is asked of the type's own input function (castTests.ts).
 */
import { isPgdriftError } from '../../errors';
import type { BoundedCount, Hazard, HazardCode, ProbeTarget } from '../types';
import { typeChangeEffects } from '../typeEffects';
import { asked, count, plural, quote, show, type Asked, type Found, type Measure, type MeasureContext } from './bounded';
import { budgetedProbe, type Unmeasured } from './budget';
import { CREATE_TRY_CAST, TRY_CAST_FUNCTION, castMethod, castableSql, uuidRejectedSql } from './castTests';
import { scanGroup } from './scan';

export { CREATE_TRY_CAST, TRY_CAST_FUNCTION, UUID_PATTERN, castMethod, castableSql, enumLabelSql, type CastMethod } from './castTests';

/** The try-cast function, when a predicate calls it (the diff writes it into a cast policy's predicate before 16). */
function setupFor(predicates: readonly (string | undefined)[]): string[] {
  return predicates.some((p) => p?.includes(TRY_CAST_FUNCTION)) ? [CREATE_TRY_CAST] : [];
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
  const r = await budgetedProbe<{ ok: boolean }>(ctx, `type ${type}`, `SELECT to_regtype(${quote(type)}) IS NOT NULL AS ok`);
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
  if (invalid === undefined && await typeExists(to, ctx)) {
    const method = castMethod(to, ctx.serverVersionNum);
    invalid = `${col} IS NOT NULL AND ${method === 'uuid-pattern' ? uuidRejectedSql(`${col}::text`) : `NOT ${castableSql(`${col}::text`, to, method)}`}`;
    if (method === 'try-cast' && policy === undefined) return castAllFirst(h, { ...target, column: target.column }, to, invalid);
  }
  // Neither a predicate nor a type to ask (a type created later): the static message stands.
  if (invalid === undefined && policy === undefined) return h;
  const failing = invalid === undefined ? undefined : policy === undefined ? invalid : `(${invalid}) AND NOT (${policy})`;
  const sample = target.sample ?? col;
  const questions = [{ where: `${col} IS NOT NULL`, sample, what: name }];
  const bad = failing === undefined ? undefined : questions.push({ where: failing, sample, what: name }) - 1;
  const changed = policy === undefined ? undefined : questions.push({ where: policy, sample, what: name }) - 1;
  const setup = setupFor([failing, policy]);
  return asked(target.table, questions, (found) => {
    if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
    const at = (i: number | undefined) => (i === undefined ? undefined : found.answers[i]);
    const [nonNull, rejected, rewritten] = [at(0), at(bad), at(changed)];
    const samples = (rejected && rejected.count.value > 0 ? rejected.samples : rewritten?.samples) ?? [];
    const evidence = { rows: found.rows, ...(rejected ? { failing: rejected.count } : {}), ...(rewritten ? { values: rewritten.count } : {}), samples };
    return { ...h, evidence, message: castMessage(name, to, nonNull?.count ?? count(0, 0), rejected?.count, rewritten?.count, samples, h.remedy) };
  }, setup.length ? { setup } : {});
};

/**
 * FL-03 before PostgreSQL 16 for a type without a pattern. The try-cast runs a subtransaction per
 * value, about 100k values a second: on a large table it cannot finish in any budget. Casting the
 * whole column at once runs the input function at full speed and answers the common case exactly:
 * no error, so every value casts. A data exception (SQLSTATE class 22: invalid input, out of
 * range, …) or a domain's constraint (class 23) proves some value does not; the try-cast, which
 * catches the same errors, then counts them within what the budget has left, or finds the first
 * one ("at least 1").
 */
function castAllFirst(h: Hazard, target: ProbeTarget & { column: string }, to: string, invalid: string): Asked {
  const name = `${target.table}.${target.column}`;
  const sample = target.sample ?? `t.${target.column}`;
  return {
    table: target.table,
    questions: [{ where: `t.${target.column} IS NOT NULL`, sample, what: name }],
    finish: async (found, ctx) => {
      if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
      const all = await everyValueCasts(name, `SELECT count((t.${target.column}::text)::${to}) AS n FROM ${target.table} t`, ctx);
      const rejected = all === true
        ? { count: count(0, ctx.limits.countCap), samples: [] }
        : (await scanGroup({ table: target.table, questions: [{ where: invalid, sample, what: name }], setup: [CREATE_TRY_CAST], rows: false }, ctx)).answers[0];
      if (!rejected || 'unknown' in rejected) return { ...h, evidence: { unknown: rejected?.unknown ?? 'probe budget spent' } };
      const nonNull = found.answers[0]?.count ?? count(0, 0);
      return { ...h, evidence: { rows: found.rows, failing: rejected.count, samples: rejected.samples }, message: castMessage(name, to, nonNull, rejected.count, undefined, rejected.samples, h.remedy) };
    },
  };
}

/** Whether the whole column casts: true, false when the cast raised, or no answer in time. */
async function everyValueCasts(what: string, sql: string, ctx: MeasureContext): Promise<boolean | { unknown: Unmeasured }> {
  try {
    const r = await budgetedProbe(ctx, what, sql);
    return 'unknown' in r ? r : true;
  } catch (error) {
    const code = isPgdriftError(error) ? (error.cause as { code?: unknown } | undefined)?.code : undefined;
    if (typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'))) return false;
    throw error;
  }
}

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

/** The one predicate a measure counts, with its count and samples. */
function countOne(h: Hazard, target: ProbeTarget & { column: string }, where: string, message: (failing: BoundedCount, samples: string[]) => string): Asked {
  const name = `${target.table}.${target.column}`;
  const setup = setupFor([where]);
  return asked(target.table, [{ where, sample: target.sample ?? `t.${target.column}`, what: name }], (found: Found) => {
    if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
    const failing = found.answers[0]?.count ?? count(0, 0);
    const samples = found.answers[0]?.samples ?? [];
    return { ...h, evidence: { rows: found.rows, failing, samples }, message: message(failing, samples) };
  }, setup.length ? { setup } : {});
}

/** FL-04: values the narrower type cannot hold. */
const doesNotFit: Measure = async (h) => {
  const target = h.target;
  const where = target && effectPredicate(target, 'FL-04');
  const column = target?.column;
  const to = target?.cast?.to;
  if (!target || column === undefined || !where || to === undefined) return h;
  const name = `${target.table}.${column}`;
  return countOne(h, { ...target, column }, where, (failing, samples) => (failing.value === 0
    ? `${name}: every value fits ${to}.`
    : `${name}: ${values(failing)} do${plural(failing) ? '' : 'es'} not fit ${to}${examples(samples)}; ALTER … TYPE fails.`));
};

/** DL-08: values the cast changes without an error. */
const silentlyChanged: Measure = async (h) => {
  const target = h.target;
  const where = target && effectPredicate(target, 'DL-08');
  const column = target?.column;
  const to = target?.cast?.to;
  if (!target || column === undefined || !where || to === undefined) return h;
  const name = `${target.table}.${column}`;
  return countOne(h, { ...target, column }, where, (failing, samples) => (failing.value === 0
    ? `${name}: no value changes when cast to ${to}.`
    : `${name}: ${values(failing)} would be rounded or cut when cast to ${to}${examples(samples)}; nothing reports it.`));
};

/** DL-09: rows holding an enum value the rebuild removes (`where` selects them). */
const removedEnumValues: Measure = async (h) => {
  const target = h.target;
  const column = target?.column;
  if (!target || column === undefined || !target.where) return h;
  const name = `${target.table}.${column}`;
  return countOne(h, { ...target, column }, target.where, (failing, samples) => (failing.value === 0
    ? `${name} holds none of the removed values: the rebuild succeeds.`
    : `${name} uses removed value${samples.length === 1 ? '' : 's'} ${samples.map(quote).join(', ')} in ${show(failing)} row${plural(failing)}; the rebuild fails.`));
};

export const CAST_MEASURES: Partial<Record<HazardCode, Measure>> = {
  'FL-03': castFailures,
  'FL-04': doesNotFit,
  'DL-08': silentlyChanged,
  'DL-09': removedEnumValues,
};
