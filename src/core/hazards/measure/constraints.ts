/**
 * Constraints that existing rows must already satisfy (HAZARDS.md FL-06, FL-07): rows pointing at
 * missing parents for a new FOREIGN KEY, rows violating a new CHECK. Counted on the from-database,
 * bounded, with samples. (Duplicate keys, FL-05, are in duplicates.ts.)
 *
 * Target shapes (built by diff/constraints.ts):
 * - FL-06: `{ table: child, where: <orphan predicate over t>, sample: <FK columns as text> }`.
 * - FL-07: `{ table, where: 'NOT (<check expression>)', sample: <key columns or row as text> }`.
 */
import type { HazardCode } from '../types';
import { antiJoinOf, hasSubquery } from './antiJoin';
import { asked, plural, show, type Measure } from './bounded';

/** The last quoted part of an id: the constraint or index name. */
function lastName(id: string): string {
  const parts = [...id.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => (m[1] ?? '').replace(/""/g, '"'));
  return parts[parts.length - 1] ?? id;
}

/**
 * FL-06. The orphan predicate holds NOT EXISTS (SELECT … FROM parent …). In the shape the diff
 * writes, the table's scan asks it as a join (antiJoin.ts); any other shape (MATCH FULL) gets a
 * scan of its own, where PostgreSQL plans it as a hash anti-join that can run in parallel.
 */
const orphans: Measure = async (h) => {
  const target = h.target;
  if (!target?.where) return h;
  return asked(target.table, [{ where: target.where, sample: target.sample ?? 'NULL', what: `orphans in ${target.table}` }], (found) => {
    if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
    const { rows, answers: [match] } = found;
    const failing = match?.count ?? { value: 0, capped: false };
    const samples = match?.samples ?? [];
    const name = lastName(h.object);
    return {
      ...h, evidence: { rows, failing, samples },
      message: failing.value === 0
        ? `${target.table}: none of ${show(rows)} row${plural(rows)} points at a missing parent; ${name} holds.`
        : `${target.table}: ${show(failing)} row${plural(failing)} point${plural(failing) ? '' : 's'} at a missing parent (e.g. ${samples.join(', ')}); ${name} fails.`,
    };
  }, { own: hasSubquery(target.where) && !antiJoinOf(target.where) });
};

/** The CHECK expression back from `NOT (<expression>)`. */
function checkExpression(where: string): string {
  return where.startsWith('NOT (') && where.endsWith(')') ? where.slice('NOT ('.length, -1) : where;
}

const checkViolations: Measure = async (h) => {
  const target = h.target;
  const where = target?.where;
  if (!target || !where) return h;
  return asked(target.table, [{ where, sample: target.sample ?? 't', what: `CHECK violations in ${target.table}` }], (found) => {
    if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
    const { rows, answers: [match] } = found;
    const failing = match?.count ?? { value: 0, capped: false };
    const samples = match?.samples ?? [];
    const check = `CHECK (${checkExpression(where)})`;
    return {
      ...h, evidence: { rows, failing, samples },
      message: failing.value === 0
        ? `${target.table}: none of ${show(rows)} row${plural(rows)} violates ${check}.`
        : `${target.table}: ${show(failing)} row${plural(failing)} violate${plural(failing) ? '' : 's'} ${check} (e.g. ${samples.join(', ')}); ${lastName(h.object)} fails.`,
    };
  });
};

export const CONSTRAINT_MEASURES: Partial<Record<HazardCode, Measure>> = {
  'FL-06': orphans,
  'FL-07': checkViolations,
};
