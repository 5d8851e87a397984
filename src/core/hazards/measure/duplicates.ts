/**
 * FL-05: duplicate keys of a new UNIQUE / PRIMARY KEY / unique index, counted on the
 * from-database, with samples; a primary key's key columns must also hold no NULL.
 *
 * Target shape (built by diff/constraints.ts and diff/indexes.ts): `{ table, unique: { columns,
 * nullsNotDistinct? }, where?, key? }`. `columns` are quoted names or index expressions over alias
 * `t`; `where` is a partial index's predicate; `key` equal to `columns` marks a primary key.
 *
 * Finding duplicates is a GROUP BY over every key, not a predicate a scan can count: it runs on its
 * own, after the scans, and only when the planner expects it to read at most `groupRowsMax` rows.
 * Grouping ten million distinct keys spills the hash table to disk and takes tens of seconds of
 * CPU; a larger table keeps the hazard unmeasured and blocking, with the statistics' estimate of
 * distinct values shown as what it is, an estimate (HAZARDS.md §1.3: never proof of no duplicates).
 */
import type { BoundedCount, Evidence, Hazard, HazardCode, ProbeTarget } from '../types';
import { count, plural, quote, show, type Measure, type MeasureContext } from './bounded';
import { budgetedProbe, type Unmeasured } from './budget';

export const DEFAULT_GROUP_ROWS_MAX = 1_000_000;

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

const isPrimaryKey = (t: ProbeTarget) => t.key !== undefined && JSON.stringify(t.key) === JSON.stringify(t.unique?.columns);

function statementOf(h: Hazard, target: ProbeTarget): string {
  if (h.object.startsWith('index:')) return 'CREATE UNIQUE INDEX';
  return isPrimaryKey(target) ? 'ADD PRIMARY KEY' : 'ADD UNIQUE';
}

interface Duplicates {
  groups: BoundedCount;
  failing: BoundedCount;
  /** Each duplicated key: its values as text (NULL as null) and how many rows share it. */
  keys: { values: (string | null)[]; n: number }[];
}

/** Why the duplicates were not counted; `why` (for "too many rows") goes into the message. */
type NotCounted = { unknown: Unmeasured; why?: string };

/**
 * A valid, non-partial unique index without expressions whose key columns are all among the new
 * key's columns already proves there are no duplicates (HAZARDS.md §1.5). For a key with NULLS
 * NOT DISTINCT, rows with NULLs are only covered when that index also treats NULLs as equal or
 * its columns are NOT NULL.
 */
async function provingIndex(target: ProbeTarget, ctx: MeasureContext): Promise<string | undefined | NotCounted> {
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
  const r = await budgetedProbe<{ name: string }>(ctx, `unique indexes of ${target.table}`, sql);
  if ('unknown' in r) return r;
  return r.rows[0]?.name;
}

/** Rows whose key holds a NULL: a primary key refuses them. */
function nullKeySql(target: ProbeTarget): string {
  return (target.unique?.columns ?? []).map((c) => `(${c}) IS NULL`).join(' OR ');
}

/** The rows the duplicate search groups: the partial index's, and (unless NULLS NOT DISTINCT) keys without NULL. */
function groupedRows(target: ProbeTarget): string {
  const columns = target.unique?.columns ?? [];
  const filters = [...(target.where ? [`(${target.where})`] : []), ...(target.unique?.nullsNotDistinct ? [] : columns.map((c) => `(${c}) IS NOT NULL`))];
  return `${target.table} t${filters.length ? ` WHERE ${filters.join(' AND ')}` : ''}`;
}

/**
 * Duplicated keys, grouped by the key expressions themselves (equality of the type, not of its
 * text), at most cap + 1 groups. Unless NULLS NOT DISTINCT, a key with a NULL never collides.
 */
async function findDuplicates(target: ProbeTarget, ctx: MeasureContext): Promise<Duplicates | NotCounted> {
  const cap = ctx.limits.countCap;
  const columns = target.unique?.columns ?? [];
  const from = groupedRows(target);
  const tooMany = await tooManyRows(target, from, ctx);
  if (tooMany) return tooMany;
  const sql = `WITH d AS (
      SELECT ARRAY[${columns.map((c) => `left((${c})::text, 200)`).join(', ')}]::text[] AS k, count(*) AS c
      FROM ${from}
      GROUP BY ${columns.map((c) => `(${c})`).join(', ')} HAVING count(*) > 1 LIMIT ${cap + 1})
    SELECT (SELECT count(*) FROM d)::int AS g, (SELECT least(coalesce(sum(c), 0), ${cap + 1}) FROM d)::int AS f,
      ARRAY(SELECT json_build_object('k', k, 'n', c)::text FROM d ORDER BY c DESC, k LIMIT 5) AS samples`;
  const r = await budgetedProbe<{ g: number; f: number; samples: string[] }>(ctx, `duplicates in ${target.table}`, sql);
  if ('unknown' in r) return r;
  const row = r.rows[0];
  const groups = count(row?.g ?? 0, cap);
  const failing = count(row?.f ?? 0, cap);
  return {
    groups,
    failing: groups.capped ? { value: failing.value, capped: true } : failing,
    keys: (row?.samples ?? []).map((s) => JSON.parse(s) as { k: (string | null)[]; n: number }).map((s) => ({ values: s.k, n: Number(s.n) })),
  };
}

/**
 * The planner's estimate of the rows the search would group (EXPLAIN, nothing runs): above
 * `groupRowsMax` the search does not start. The message then shows what the statistics estimate,
 * labelled as an estimate.
 */
async function tooManyRows(target: ProbeTarget, from: string, ctx: MeasureContext): Promise<NotCounted | undefined> {
  const max = ctx.limits.groupRowsMax ?? DEFAULT_GROUP_ROWS_MAX;
  const r = await budgetedProbe<{ 'QUERY PLAN': unknown }>(ctx, `the size of ${target.table}`, `EXPLAIN (FORMAT JSON) SELECT 1 FROM ${from}`);
  if ('unknown' in r) return r;
  const raw = r.rows[0]?.['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan?: { 'Plan Rows'?: number } }[] | undefined;
  const rows = Number(plan?.[0]?.Plan?.['Plan Rows'] ?? 0);
  if (rows <= max) return undefined;
  const estimate = await distinctEstimate(target, ctx);
  return {
    unknown: 'too many rows',
    why: `the planner expects ${Math.round(rows).toLocaleString('en-US')} keys to compare, more than the ${max.toLocaleString('en-US')} an exact duplicate search may group${estimate}`,
  };
}

/** "; statistics estimate N distinct values (…)" for a one-column key the statistics know, else "". */
async function distinctEstimate(target: ProbeTarget, ctx: MeasureContext): Promise<string> {
  const columns = target.unique?.columns ?? [];
  const name = columns.length === 1 ? unquote(columns[0] ?? '') : undefined;
  if (name === undefined || target.where) return '';
  const r = await budgetedProbe<{ d: number | null; n: number }>(ctx, `the statistics of ${target.table}`,
    `SELECT s.n_distinct::float8 AS d, c.reltuples::float8 AS n FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace ns ON ns.oid = c.relnamespace
      JOIN pg_catalog.pg_stats s ON s.schemaname = ns.nspname AND s.tablename = c.relname AND s.attname = ${quote(name)}
      WHERE c.oid = ${quote(target.table)}::regclass`);
  const row = 'rows' in r ? r.rows[0] : undefined;
  if (!row || row.d === null || row.n <= 0) return '';
  // n_distinct > 0 is a number of values; < 0 a fraction of the rows (-1: every value distinct).
  const distinct = Math.round(row.d < 0 ? -row.d * row.n : row.d);
  return `; the statistics of the last ANALYZE estimate ${distinct.toLocaleString('en-US')} distinct values in ${Math.round(row.n).toLocaleString('en-US')} rows (an estimate from a sample, not a proof either way)`;
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
  const proven: Evidence = { groups: count(0, ctx.limits.countCap), failing: count(0, ctx.limits.countCap) };
  if (proof !== undefined && !primary) return { ...h, evidence: proven, message: uniqueMessage(h, target, cols, { proof, duplicates: '', nullRows: '', rows: undefined }) };
  const questions = primary ? [{ where: nullKeySql(target), what: `NULLs in the key of ${target.table}` }] : [];
  return {
    table: target.table,
    questions,
    finish: async (found, c) => {
      if ('unknown' in found) return { ...h, evidence: { unknown: found.unknown } };
      let evidence = proven;
      let duplicates = '';
      if (proof === undefined) {
        const dup = await findDuplicates(target, c);
        if ('unknown' in dup) return { ...h, evidence: { unknown: dup.unknown }, ...(dup.why ? { message: `${h.message} Not measured: ${dup.why}.` } : {}) };
        evidence = { rows: found.rows, groups: dup.groups, failing: dup.failing, samples: dup.keys.map((k) => keySample(target.unique?.columns ?? [], k)) };
        if (dup.groups.value > 0) duplicates = `${show(dup.groups)} duplicated key${plural(dup.groups)} in ${cols} (e.g. ${dup.keys.map(keyValues).join(', ')})`;
      }
      let nullRows = '';
      if (primary) {
        const nulls = found.answers[0]?.count ?? count(0, 0);
        evidence = { ...evidence, rows: found.rows, nulls, failing: sum(evidence.failing ?? count(0, 0), nulls, c.limits.countCap) };
        if (nulls.value > 0) nullRows = `${show(nulls)} row${plural(nulls)} with NULL in ${cols}`;
      }
      return { ...h, evidence, message: uniqueMessage(h, target, cols, { proof, duplicates, nullRows, rows: evidence.rows }) };
    },
  };
};

function uniqueMessage(h: Hazard, target: ProbeTarget, cols: string, found: { proof: string | undefined; duplicates: string; nullRows: string; rows: BoundedCount | undefined }): string {
  const problems = [found.duplicates, found.nullRows].filter(Boolean);
  if (problems.length) return `${target.table}: ${problems.join(' and ')}; ${statementOf(h, target)} fails.`;
  const noNulls = isPrimaryKey(target) ? ' and no NULL' : '';
  if (found.proof !== undefined) return `${target.table}: no duplicates in ${cols}${noNulls}: the unique index ${found.proof} already proves it.`;
  const rows = found.rows ?? count(0, 0);
  return `${target.table}: no duplicates in ${cols}${noNulls} in ${show(rows)} row${plural(rows)}.`;
}

export const DUPLICATE_MEASURES: Partial<Record<HazardCode, Measure>> = {
  'FL-05': uniqueKey,
};
