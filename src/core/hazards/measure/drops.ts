/**
 * Dropped tables and columns (DL-01, DL-02) and NOT NULL that existing rows must satisfy (FL-01,
 * FL-02): rows and values counted exactly up to the cap, never estimated.
 */
import type { HazardCode } from '../types';
import { asked, plural, quote, show, type Measure } from './bounded';

/** DL-01, FL-01: the table's rows, which every scan of the table counts anyway. */
const tableRows: Measure = async (h) => {
  const target = h.target;
  if (!target) return h;
  return asked(target.table, [], (found) => {
    if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
    const rows = found.rows;
    const message = h.code === 'DL-01'
      ? rows.value === 0 ? `Dropping ${target.table} loses nothing: it has no rows.` : `Dropping ${target.table} deletes ${show(rows)} row${plural(rows)}.`
      : rows.value === 0 ? `${target.table} has no rows: the NOT NULL column can be added without a default.` : `Adding a NOT NULL column without a default fails: ${target.table} has ${show(rows)} row${plural(rows)}.`;
    return { ...h, evidence: { rows }, message };
  });
};

const columnValues: Measure = async (h) => {
  const target = h.target;
  if (!target?.column) return h;
  const name = `${target.table}.${target.column}`;
  const where = target.where ?? `t.${target.column} IS NOT NULL`;
  return asked(target.table, [{ where, sample: target.sample ?? `t.${target.column}`, what: name }], (found) => {
    if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
    const { rows, answers: [lost] } = found;
    const values = lost?.count ?? { value: 0, capped: false };
    const samples = lost?.samples ?? [];
    const message = values.value === 0
      ? `Dropping ${name} loses nothing: ${rows.value === 0 ? 'the table has no rows' : `all ${show(rows)} row${plural(rows)} hold NULL`}.`
      : `Dropping ${name} deletes ${show(values)} non-null value${plural(values)} (e.g. ${samples.map(quote).join(', ')}).`;
    return { ...h, evidence: { rows, values, samples }, message };
  });
};

const nullsBeforeNotNull: Measure = async (h) => {
  const target = h.target;
  if (!target?.column) return h;
  const name = `${target.table}.${target.column}`;
  return asked(target.table, [{ where: target.where ?? `t.${target.column} IS NULL`, what: name }], (found) => {
    if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
    const rows = found.rows;
    const nulls = found.answers[0]?.count ?? { value: 0, capped: false };
    return {
      ...h, evidence: { rows, nulls },
      message: nulls.value === 0 ? `${name} holds no NULL in ${show(rows)} row${plural(rows)}: SET NOT NULL succeeds.` : `SET NOT NULL on ${name} fails: ${show(nulls)} row${plural(nulls)} hold${plural(nulls) ? '' : 's'} NULL.`,
    };
  });
};

export const DROP_MEASURES: Partial<Record<HazardCode, Measure>> = {
  'DL-01': tableRows,
  'FL-01': tableRows,
  'DL-02': columnValues,
  'FL-02': nullsBeforeNotNull,
};
