/**
 * Measured hazards: the data a statement would destroy, counted on the from-database before
 * anything runs. Counts are bounded (capped at ProbeLimits.countCap and labelled as such), never
 * estimated. Samples are up to five distinct values among the first 50 found, in text order.
 */
import type { Queryable } from '../db/queryable';
import type { Plan, PlannedStatement } from '../plan/types';
import { DEFAULT_PROBE_LIMITS, probe, type ProbeLimits } from './probe';
import type { BoundedCount, Evidence, Hazard } from './types';

export async function measureHazards(plan: Plan, from: Queryable, limits: ProbeLimits = DEFAULT_PROBE_LIMITS): Promise<Plan> {
  const statements: PlannedStatement[] = [];
  for (const statement of plan.statements) {
    if (!statement.hazards?.some((h) => h.target)) {
      statements.push(statement);
      continue;
    }
    const hazards: Hazard[] = [];
    for (const h of statement.hazards) hazards.push(await measure(h, from, limits));
    statements.push({ ...statement, hazards });
  }
  return { ...plan, statements };
}

async function measure(h: Hazard, from: Queryable, limits: ProbeLimits): Promise<Hazard> {
  const target = h.target;
  if (!target) return h;
  const cap = limits.countCap;
  const bounded = (where: string) => `(SELECT count(*) FROM (SELECT 1 FROM ${target.table}${where} LIMIT ${cap + 1}) s)::int`;
  if (h.code === 'DL-01') {
    const r = await probe<{ n: number }>(from, `the rows of ${target.table}`, `SELECT ${bounded('')} AS n`, limits);
    if ('unknown' in r) return { ...h, evidence: { unknown: r.unknown } };
    const rows = count(r.rows[0]?.n ?? 0, cap);
    const evidence: Evidence = { rows };
    return { ...h, evidence, message: rows.value === 0 ? `Dropping ${target.table} loses nothing: it has no rows.` : `Dropping ${target.table} deletes ${show(rows)} row${plural(rows)}.` };
  }
  if (h.code === 'FL-01') {
    const r = await probe<{ n: number }>(from, `the rows of ${target.table}`, `SELECT ${bounded('')} AS n`, limits);
    if ('unknown' in r) return { ...h, evidence: { unknown: r.unknown } };
    const rows = count(r.rows[0]?.n ?? 0, cap);
    return {
      ...h, evidence: { rows },
      message: rows.value === 0 ? `${target.table} has no rows: the NOT NULL column can be added without a default.` : `Adding a NOT NULL column without a default fails: ${target.table} has ${show(rows)} row${plural(rows)}.`,
    };
  }
  if (h.code === 'FL-02' && target.column) {
    const col = target.column;
    const r = await probe<{ n: number; z: number }>(from, `${target.table}.${col}`,
      `SELECT ${bounded('')} AS n, ${bounded(` WHERE ${col} IS NULL`)} AS z`, limits);
    if ('unknown' in r) return { ...h, evidence: { unknown: r.unknown } };
    const rows = count(r.rows[0]?.n ?? 0, cap);
    const nulls = count(r.rows[0]?.z ?? 0, cap);
    const name = `${target.table}.${col}`;
    return {
      ...h, evidence: { rows, nulls },
      message: nulls.value === 0 ? `${name} holds no NULL in ${show(rows)} row${plural(rows)}: SET NOT NULL succeeds.` : `SET NOT NULL on ${name} fails: ${show(nulls)} row${plural(nulls)} hold${plural(nulls) ? '' : 's'} NULL.`,
    };
  }
  if (h.code === 'DL-02' && target.column) {
    const col = target.column;
    const r = await probe<{ n: number; v: number; samples: string[] }>(from, `${target.table}.${col}`,
      `SELECT ${bounded('')} AS n, ${bounded(` WHERE ${col} IS NOT NULL`)} AS v,
        ARRAY(SELECT DISTINCT v FROM (SELECT left(${col}::text, 200) AS v FROM ${target.table} WHERE ${col} IS NOT NULL LIMIT 50) s
          ORDER BY v LIMIT 5) AS samples`, limits);
    if ('unknown' in r) return { ...h, evidence: { unknown: r.unknown } };
    const rows = count(r.rows[0]?.n ?? 0, cap);
    const values = count(r.rows[0]?.v ?? 0, cap);
    const samples = r.rows[0]?.samples ?? [];
    const name = `${target.table}.${col}`;
    const message = values.value === 0
      ? `Dropping ${name} loses nothing: ${rows.value === 0 ? 'the table has no rows' : `all ${show(rows)} row${plural(rows)} hold NULL`}.`
      : `Dropping ${name} deletes ${show(values)} non-null value${plural(values)} (e.g. ${samples.map(quote).join(', ')}).`;
    return { ...h, evidence: { rows, values, samples }, message };
  }
  return h;
}

function count(n: number, cap: number): BoundedCount {
  return n > cap ? { value: cap, capped: true } : { value: n, capped: false };
}

function show(c: BoundedCount): string {
  return c.capped ? `${c.value.toLocaleString('en-US')}+` : c.value.toLocaleString('en-US');
}

function plural(c: BoundedCount): string {
  return c.value === 1 && !c.capped ? '' : 's';
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
