/**
 * Twin columns (DL-05) and rename proposals (DL-04, DL-06), measured on the from-database.
 *
 * DL-05: the old twin's non-null values, split into those the copy carries over (the kept column
 * is NULL there, or does not exist yet) and those where both hold a value and the two disagree as
 * text: the copy leaves those alone, so dropping the old twin loses them. Samples are the
 * disagreeing pairs. The kept column is the target's copyInto.
 *
 * DL-04 and DL-06 count what DL-02 and DL-01 count (the dropped values, the dropped rows) and keep
 * the rename proposal at the end of the message.
 */
import { proposalOf } from '../../diff/proposals';
import { literal } from '../../diff/sql';
import { probe } from '../probe';
import type { HazardCode } from '../types';
import { boundedCountSql, count, mapMeasured, plural, samplesSql, show, type Measure, type MeasureContext } from './bounded';
import { DROP_MEASURES } from './drops';

/** "companyId" from `"companyId"` (a quoted identifier). */
function unquote(ident: string): string {
  return ident.slice(1, -1).replace(/""/g, '"');
}

/** Whether the table has the column on the from-database (the kept twin may not exist yet). */
async function hasColumn(table: string, column: string, ctx: MeasureContext): Promise<boolean | { unknown: 'timed out' | 'table locked' }> {
  const r = await probe<{ found: boolean }>(ctx.q, `the columns of ${table}`,
    `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = ${literal(table)}::regclass
      AND attname = ${literal(unquote(column))} AND attnum > 0 AND NOT attisdropped) AS found`, ctx.limits);
  return 'unknown' in r ? r : Boolean(r.rows[0]?.found);
}

const twinCopy: Measure = async (h, ctx) => {
  const target = h.target;
  const into = target?.copyInto;
  if (!target?.column || into === undefined) return h;
  const old = `t.${target.column}`;
  const values = target.where ?? `${old} IS NOT NULL`;
  const exists = await hasColumn(target.table, into, ctx);
  if (typeof exists !== 'boolean') return { ...h, evidence: { unknown: exists.unknown } };
  const cap = ctx.limits.countCap;
  const kept = `t.${into}`;
  const toCopy = exists ? `(${values}) AND ${kept} IS NULL` : values;
  const conflict = exists ? `(${values}) AND ${kept} IS NOT NULL AND ${kept}::text IS DISTINCT FROM ${old}::text` : 'false';
  const r = await probe<{ c: number; d: number; samples: string[] }>(ctx.q, `${target.table}.${target.column}`,
    `SELECT ${boundedCountSql(target.table, toCopy, cap)} AS c, ${boundedCountSql(target.table, conflict, cap)} AS d,
      ${samplesSql(target.table, conflict, `${old}::text || ' ≠ ' || ${exists ? `${kept}::text` : "''"}`)} AS samples`, ctx.limits);
  if ('unknown' in r) return { ...h, evidence: { unknown: r.unknown } };
  const row = r.rows[0];
  const copied = count(row?.c ?? 0, cap);
  const conflicts = count(row?.d ?? 0, cap);
  const samples = row?.samples ?? [];
  const disagree = conflicts.value === 0
    ? 'none disagree'
    : `${show(conflicts)} disagree${plural(conflicts) ? '' : 's'} and would be lost (e.g. ${samples.join(', ')})`;
  return {
    ...h, evidence: { toCopy: copied, conflicts, samples },
    message: `${target.table}.${target.column}: ${show(copied)} value${plural(copied)} copied into ${into} before the drop; ${disagree}.`,
  };
};

/** A DL-02/DL-01 measure under a proposal's code, with the proposal kept at the end of the message. */
function withProposal(plain: HazardCode): Measure {
  return async (h, ctx) => {
    const measure = DROP_MEASURES[plain];
    if (!measure) return h;
    return mapMeasured(await measure({ ...h, code: plain }, ctx),
      (measured) => ({ ...measured, code: h.code, message: measured.evidence ? `${measured.message}${proposalOf(h.message)}` : h.message }));
  };
}

export const TWIN_MEASURES: Partial<Record<HazardCode, Measure>> = {
  'DL-05': twinCopy,
  'DL-04': withProposal('DL-02'),
  'DL-06': withProposal('DL-01'),
};
