/**
 * Dropped tables and columns (DL-01, DL-02) and NOT NULL that existing rows must satisfy (FL-01,
 * FL-02): rows and values counted exactly up to the cap, never estimated.
 */
import type { HazardCode } from '../types';
import { measureRows, plural, quote, show, type Measure } from './bounded';

const tableRows: Measure = async (h, ctx) => {
  const target = h.target;
  if (!target) return h;
  const found = await measureRows(target, 'false', 'NULL', `the rows of ${target.table}`, ctx);
  if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
  const rows = found.rows;
  const message = h.code === 'DL-01'
    ? rows.value === 0 ? `Dropping ${target.table} loses nothing: it has no rows.` : `Dropping ${target.table} deletes ${show(rows)} row${plural(rows)}.`
    : rows.value === 0 ? `${target.table} has no rows: the NOT NULL column can be added without a default.` : `Adding a NOT NULL column without a default fails: ${target.table} has ${show(rows)} row${plural(rows)}.`;
  return { ...h, evidence: { rows }, message };
};

const columnValues: Measure = async (h, ctx) => {
  const target = h.target;
  if (!target?.column) return h;
  const name = `${target.table}.${target.column}`;
  const found = await measureRows(target, target.where ?? `t.${target.column} IS NOT NULL`, target.sample ?? `t.${target.column}`, name, ctx);
  if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
  const { rows, matching: values, samples } = found;
  const message = values.value === 0
    ? `Dropping ${name} loses nothing: ${rows.value === 0 ? 'the table has no rows' : `all ${show(rows)} row${plural(rows)} hold NULL`}.`
    : `Dropping ${name} deletes ${show(values)} non-null value${plural(values)} (e.g. ${samples.map(quote).join(', ')}).`;
  return { ...h, evidence: { rows, values, samples }, message };
};

const nullsBeforeNotNull: Measure = async (h, ctx) => {
  const target = h.target;
  if (!target?.column) return h;
  const name = `${target.table}.${target.column}`;
  const found = await measureRows(target, target.where ?? `t.${target.column} IS NULL`, 'NULL', name, ctx);
  if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
  const { rows, matching: nulls } = found;
  return {
    ...h, evidence: { rows, nulls },
    message: nulls.value === 0 ? `${name} holds no NULL in ${show(rows)} row${plural(rows)}: SET NOT NULL succeeds.` : `SET NOT NULL on ${name} fails: ${show(nulls)} row${plural(nulls)} hold${plural(nulls) ? '' : 's'} NULL.`,
  };
};

export const DROP_MEASURES: Partial<Record<HazardCode, Measure>> = {
  'DL-01': tableRows,
  'FL-01': tableRows,
  'DL-02': columnValues,
  'FL-02': nullsBeforeNotNull,
};
