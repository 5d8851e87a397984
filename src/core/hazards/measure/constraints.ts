/**
 * Constraints that existing rows must already satisfy (HAZARDS.md FL-05, FL-06, FL-07): duplicate
 * keys of a new UNIQUE / PRIMARY KEY / unique index, rows pointing at missing parents for a new
 * FOREIGN KEY, rows violating a new CHECK. Counted on the from-database, bounded, with samples.
 *
 * Target shapes (built by diff/constraints.ts and diff/indexes.ts):
 * - FL-05: `{ table, unique: { columns, nullsNotDistinct? }, where?, key? }`. `columns` are quoted
 *   names or index expressions over alias `t`; `where` is a partial index's predicate; `key`
 *   equal to `columns` marks a primary key (its key columns must also hold no NULL).
 * - FL-06: `{ table: child, where: <orphan predicate over t>, sample: <FK columns as text> }`.
 * - FL-07: `{ table, where: 'NOT (<check expression>)', sample: <key columns or row as text> }`.
 */
import { probe } from '../probe';
import type { BoundedCount, Evidence, Hazard, HazardCode, ProbeTarget } from '../types';
import { boundedCountSql, count, measureRows, plural, quote, show, type Measure, type MeasureContext } from './bounded';

/** A column as users read it: bare when PostgreSQL would not quote it, quoted otherwise. */
export function displayColumn(quoted: string): string {
  const name = unquote(quoted);
  if (name === undefined) return quoted;
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : quoted;
}

/** The name inside a quoted identifier, or undefined for anything else (an expression). */
function unquote(text: string): string | undefined {
  const m = /^"((?:[^"]|"")*)"$/.exec(text);
  return m ? (m[1] ?? '').replace(/""/g, '"') : undefined;
}

/** The last quoted part of an id: the constraint or index name. */
function lastName(id: string): string {
  const parts = [...id.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => (m[1] ?? '').replace(/""/g, '"'));
  return parts[parts.length - 1] ?? id;
}

const isPrimaryKey = (t: ProbeTarget) => t.key !== undefined && JSON.stringify(t.key) === JSON.stringify(t.unique?.columns);

function statementOf(h: Hazard, target: ProbeTarget): string {
  if (h.object.startsWith('index:')) return 'CREATE UNIQUE INDEX';
  return isPrimaryKey(target) ? 'ADD PRIMARY KEY' : 'ADD UNIQUE';
}

// ---------------------------------------------------------------------------------------------
// FL-05: duplicate keys

interface Duplicates {
  rows: BoundedCount;
  groups: BoundedCount;
  failing: BoundedCount;
  /** Each duplicated key: its values as text (NULL as null) and how many rows share it. */
  keys: { values: (string | null)[]; n: number }[];
}

/**
 * A valid, non-partial unique index without expressions whose key columns are all among the new
 * key's columns already proves there are no duplicates (HAZARDS.md §1.5). For a key with NULLS
 * NOT DISTINCT, rows with NULLs are only covered when that index also treats NULLs as equal or
 * its columns are NOT NULL.
 */
async function provingIndex(target: ProbeTarget, ctx: MeasureContext): Promise<string | undefined | { unknown: 'timed out' | 'table locked' }> {
  const names = (target.unique?.columns ?? []).map(unquote).filter((n): n is string => n !== undefined);
  if (!names.length) return undefined;
  const rel = `${quote(target.table)}::regclass`;
  const keyAttnums = '(i.indkey::int2[])[0:i.indnkeyatts - 1]';
  const nulls = target.unique?.nullsNotDistinct
    ? ` AND (${ctx.serverVersionNum >= 150000 ? 'i.indnullsnotdistinct OR ' : ''}NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = i.indrelid AND a.attnum = ANY (${keyAttnums}) AND NOT a.attnotnull))`
    : '';
  const sql = `SELECT i.indexrelid::regclass::text AS name FROM pg_catalog.pg_index i
    WHERE i.indrelid = ${rel} AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
      AND ${keyAttnums} <@ ARRAY(SELECT a.attnum FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = ${rel} AND a.attname = ANY (ARRAY[${names.map(quote).join(', ')}]::text[]))${nulls}
    ORDER BY 1 LIMIT 1`;
  const r = await probe<{ name: string }>(ctx.q, `unique indexes of ${target.table}`, sql, ctx.limits);
  if ('unknown' in r) return r;
  return r.rows[0]?.name;
}

/** Rows whose key holds a NULL: a primary key refuses them. */
function nullKeySql(target: ProbeTarget): string {
  return (target.unique?.columns ?? []).map((c) => `(${c}) IS NULL`).join(' OR ');
}

/**
 * Duplicated keys, grouped by the key expressions themselves (equality of the type, not of its
 * text), at most cap + 1 groups. Unless NULLS NOT DISTINCT, a key with a NULL never collides.
 */
async function findDuplicates(target: ProbeTarget, ctx: MeasureContext): Promise<Duplicates | { unknown: 'timed out' | 'table locked' }> {
  const cap = ctx.limits.countCap;
  const columns = target.unique?.columns ?? [];
  const filters = [...(target.where ? [`(${target.where})`] : []), ...(target.unique?.nullsNotDistinct ? [] : columns.map((c) => `(${c}) IS NOT NULL`))];
  const sql = `WITH d AS (
      SELECT ARRAY[${columns.map((c) => `left((${c})::text, 200)`).join(', ')}]::text[] AS k, count(*) AS c
      FROM ${target.table} t${filters.length ? ` WHERE ${filters.join(' AND ')}` : ''}
      GROUP BY ${columns.map((c) => `(${c})`).join(', ')} HAVING count(*) > 1 LIMIT ${cap + 1})
    SELECT ${boundedCountSql(target.table, undefined, cap)} AS n, (SELECT count(*) FROM d)::int AS g,
      (SELECT least(coalesce(sum(c), 0), ${cap + 1}) FROM d)::int AS f,
      ARRAY(SELECT json_build_object('k', k, 'n', c)::text FROM d ORDER BY c DESC, k LIMIT 5) AS samples`;
  const r = await probe<{ n: number; g: number; f: number; samples: string[] }>(ctx.q, `duplicates in ${target.table}`, sql, ctx.limits);
  if ('unknown' in r) return r;
  const row = r.rows[0];
  const groups = count(row?.g ?? 0, cap);
  const failing = count(row?.f ?? 0, cap);
  return {
    rows: count(row?.n ?? 0, cap), groups,
    failing: groups.capped ? { value: failing.value, capped: true } : failing,
    keys: (row?.samples ?? []).map((s) => JSON.parse(s) as { k: (string | null)[]; n: number }).map((s) => ({ values: s.k, n: Number(s.n) })),
  };
}

/** `email='a@x.com' ×2`: the evidence sample, naming the columns. */
function keySample(columns: string[], key: { values: (string | null)[]; n: number }): string {
  return `${columns.map((c, i) => `${displayColumn(c)}=${valueText(key.values[i])}`).join(', ')} ×${key.n}`;
}

/** `'a@x.com' ×2`, `('a', 1) ×2`: the message sample, values only. */
function keyValues(key: { values: (string | null)[]; n: number }): string {
  const values = key.values.map(valueText);
  return `${values.length === 1 ? values[0] : `(${values.join(', ')})`} ×${key.n}`;
}

function valueText(v: string | null | undefined): string {
  return v === null || v === undefined ? 'NULL' : quote(v);
}

function sum(a: BoundedCount, b: BoundedCount, cap: number): BoundedCount {
  const total = a.value + b.value;
  return total > cap ? { value: cap, capped: true } : { value: total, capped: a.capped || b.capped };
}

const uniqueKey: Measure = async (h, ctx) => {
  const target = h.target;
  if (!target?.unique?.columns.length) return h;
  const cols = `(${target.unique.columns.map(displayColumn).join(', ')})`;
  const primary = isPrimaryKey(target);
  const proof = await provingIndex(target, ctx);
  if (typeof proof === 'object') return { ...h, evidence: { unknown: proof.unknown } };
  let evidence: Evidence;
  let duplicates = '';
  if (proof !== undefined) {
    evidence = { groups: count(0, ctx.limits.countCap), failing: count(0, ctx.limits.countCap) };
  } else {
    const found = await findDuplicates(target, ctx);
    if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
    evidence = { rows: found.rows, groups: found.groups, failing: found.failing, samples: found.keys.map((k) => keySample(target.unique?.columns ?? [], k)) };
    if (found.groups.value > 0) duplicates = `${show(found.groups)} duplicated key${plural(found.groups)} in ${cols} (e.g. ${found.keys.map(keyValues).join(', ')})`;
  }
  let nullRows = '';
  if (primary) {
    const found = await measureRows(target, nullKeySql(target), 'NULL', `NULLs in the key of ${target.table}`, ctx);
    if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
    evidence = { ...evidence, rows: found.rows, nulls: found.matching, failing: sum(evidence.failing ?? count(0, 0), found.matching, ctx.limits.countCap) };
    if (found.matching.value > 0) nullRows = `${show(found.matching)} row${plural(found.matching)} with NULL in ${cols}`;
  }
  return { ...h, evidence, message: uniqueMessage(h, target, cols, { proof, duplicates, nullRows, rows: evidence.rows }) };
};

function uniqueMessage(h: Hazard, target: ProbeTarget, cols: string, found: { proof: string | undefined; duplicates: string; nullRows: string; rows: BoundedCount | undefined }): string {
  const problems = [found.duplicates, found.nullRows].filter(Boolean);
  if (problems.length) return `${target.table}: ${problems.join(' and ')}; ${statementOf(h, target)} fails.`;
  const noNulls = isPrimaryKey(target) ? ' and no NULL' : '';
  if (found.proof !== undefined) return `${target.table}: no duplicates in ${cols}${noNulls}: the unique index ${found.proof} already proves it.`;
  const rows = found.rows ?? count(0, 0);
  return `${target.table}: no duplicates in ${cols}${noNulls} in ${show(rows)} row${plural(rows)}.`;
}

// ---------------------------------------------------------------------------------------------
// FL-06, FL-07: rows the new constraint rejects

const orphans: Measure = async (h, ctx) => {
  const target = h.target;
  if (!target?.where) return h;
  const found = await measureRows(target, target.where, target.sample ?? 'NULL', `orphans in ${target.table}`, ctx);
  if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
  const { rows, matching: failing, samples } = found;
  const name = lastName(h.object);
  return {
    ...h, evidence: { rows, failing, samples },
    message: failing.value === 0
      ? `${target.table}: none of ${show(rows)} row${plural(rows)} points at a missing parent; ${name} holds.`
      : `${target.table}: ${show(failing)} row${plural(failing)} point${plural(failing) ? '' : 's'} at a missing parent (e.g. ${samples.join(', ')}); ${name} fails.`,
  };
};

/** The CHECK expression back from `NOT (<expression>)`. */
function checkExpression(where: string): string {
  return where.startsWith('NOT (') && where.endsWith(')') ? where.slice('NOT ('.length, -1) : where;
}

const checkViolations: Measure = async (h, ctx) => {
  const target = h.target;
  if (!target?.where) return h;
  const found = await measureRows(target, target.where, target.sample ?? 't', `CHECK violations in ${target.table}`, ctx);
  if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
  const { rows, matching: failing, samples } = found;
  const check = `CHECK (${checkExpression(target.where)})`;
  return {
    ...h, evidence: { rows, failing, samples },
    message: failing.value === 0
      ? `${target.table}: none of ${show(rows)} row${plural(rows)} violates ${check}.`
      : `${target.table}: ${show(failing)} row${plural(failing)} violate${plural(failing) ? '' : 's'} ${check} (e.g. ${samples.join(', ')}); ${lastName(h.object)} fails.`,
  };
};

export const CONSTRAINT_MEASURES: Partial<Record<HazardCode, Measure>> = {
  'FL-05': uniqueKey,
  'FL-06': orphans,
  'FL-07': checkViolations,
};
