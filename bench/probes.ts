/**
 * The hazard-probe benchmark (issue 4 acceptance): every probe pgdrift runs for a plan that touches
 * a 10-million-row table must finish within 5 s on this machine, and the report says which counts
 * were capped.
 *
 * A from-database holds `big` (10,000,000 ordinary, logged rows from generate_series, VACUUM
 * ANALYZEd), a 1,000-row `parent` and a 1,000,000-row `event_archive`; the to-database (schema
 * only) differs so that the plan carries every measured code: DROP TABLE (DL-01), DROP COLUMN
 * (DL-02), ADD COLUMN NOT NULL without default (FL-01), SET NOT NULL (FL-02), text → uuid (FL-03),
 * varchar(32) → varchar(12) (FL-04), a new UNIQUE (FL-05), FOREIGN KEY (FL-06) and CHECK (FL-07).
 *
 * pgdrift's own code does the work, as `pgdrift diff` does: introspect both → planMigration →
 * measureHazards over a connectPg connection, with the default probe limits. Measures that land
 * later are picked up without touching this file; a hazard the plan carries but no measure
 * answers is reported as "no measure", one the plan does not carry at all as "not in the plan".
 *
 * Per run (fresh connection): one measureHazards(plan) call over the whole plan, timed, as
 * `pgdrift diff` makes it; its probes share table scans and the plan's probe budget, so this call
 * is the figure the target is about. Every probe statement it sends is timed too. After the runs,
 * each hazard is measured once on its own (measureHazards over a one-statement, one-hazard plan):
 * what a probe of its own costs, and a check that it gives the same evidence as the whole plan.
 * Then reference probes (the detection queries of HAZARDS.md §2, in the same harness) time
 * EXISTS-first and single-scan alternatives.
 *
 * `npm run bench` runs it after the other sections (bench/run.ts). On its own:
 *   npx tsx bench/probes.ts            # prints the report, writes bench/tmp/probes.json
 *   npx tsx bench/probes.ts --write    # also replaces this section in bench/RESULTS.md and results.json
 * PROBES_ROWS=1000000 shrinks the table for a quick try (the target then says so).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { connectPg } from '../src/core/db/pgConnection';
import type { QueryResult, Queryable } from '../src/core/db/queryable';
import { parseConnectionUrl } from '../src/core/db/target';
import { measureHazards } from '../src/core/hazards/measure';
import { uuidRejectedSql } from '../src/core/hazards/measure/castTests';
import { DEFAULT_PROBE_LIMITS, probe, type ProbeLimits } from '../src/core/hazards/probe';
import type { BoundedCount, Evidence, Hazard, HazardCode } from '../src/core/hazards/types';
import { introspect, introspectTargetOf } from '../src/core/introspect';
import { planMigration } from '../src/core/plan';
import type { Plan } from '../src/core/plan/types';
import { createDatabase, startCluster, withClient } from '../tools/cluster';
import { writeBenchSection } from './resultsFile';
import { median } from './stats';

const ROOT = resolve(__dirname, '..');
export const PROBE_TARGET_MS = 5000;
const FULL_ROWS = 10_000_000;
const RUNS = 3;
const FROM_DB = 'probes_from';
const TO_DB = 'probes_to';
const HEADING = '## Hazard probes on a 10-million-row table';

/** What the plan should carry and measure; `expect` is what the data holds (the exact answer). */
export const EXPECTED: { code: HazardCode; object: string; change: string; expect: string }[] = [
  { code: 'DL-01', object: 'table:"public"."event_archive"', change: 'DROP TABLE event_archive (1,000,000 rows)', expect: 'rows 10,000+ (capped)' },
  { code: 'DL-02', object: 'column:"public"."big"."legacy_note"', change: 'DROP COLUMN legacy_note (5 non-null values among NULLs)', expect: 'values 5' },
  { code: 'FL-01', object: 'table:"public"."big"', change: 'ADD COLUMN created_by text NOT NULL, no default', expect: 'rows 10,000+ (capped)' },
  { code: 'FL-02', object: 'column:"public"."big"."status"', change: 'status SET NOT NULL (4 NULLs)', expect: 'nulls 4' },
  { code: 'FL-03', object: 'column:"public"."big"."external_ref"', change: "external_ref text → uuid (3 invalid: 'default', '', 'n/a')", expect: 'failing 3' },
  { code: 'FL-04', object: 'column:"public"."big"."code"', change: 'code varchar(32) → varchar(12) (1% longer than 12)', expect: 'failing 10,000+ (capped; 100,000 in fact)' },
  { code: 'FL-05', object: 'big_email_key', change: 'UNIQUE (email) (3 duplicated values)', expect: 'failing 6 rows in 3 groups' },
  { code: 'FL-06', object: 'big_parent_id_fkey', change: 'FOREIGN KEY (parent_id) → parent(id) (2 orphans)', expect: 'failing 2' },
  { code: 'FL-07', object: 'big_amount_check', change: 'CHECK (amount >= 0) (3 negative)', expect: 'failing 3' },
];

/** Rows of `big` holding the rare values (spread over the table, the last one near its end). */
const LEGACY_IDS = [1_234_567, 3_000_003, 5_555_555, 8_000_008, 9_999_990];
const NULL_STATUS_IDS = [2_000_002, 4_444_444, 7_000_007, 9_876_543];
const DUPLICATE_EMAIL_IDS = [3_333_334, 6_666_667, 9_999_999]; // each repeats the email of id - 1
const ORPHAN_IDS = [6_000_006, 9_500_000];
const NEGATIVE_AMOUNT_IDS = [2_500_002, 5_000_005, 9_800_000];

function fromSchemaSql(rows: number, from: number, to: number): string {
  const inList = (ids: number[]) => ids.filter((i) => i <= rows).join(', ') || '0';
  return `INSERT INTO big
    SELECT i,
      CASE WHEN i IN (${inList(LEGACY_IDS)}) THEN 'legacy note ' || i END,
      CASE WHEN i = ${Math.round(rows * 0.25)} THEN 'default' WHEN i = ${Math.round(rows * 0.6)} THEN '' WHEN i = ${rows - 7} THEN 'n/a'
        ELSE md5(i::text)::uuid::text END,
      CASE WHEN i IN (${inList(NULL_STATUS_IDS)}) THEN NULL ELSE (ARRAY['active', 'inactive', 'pending'])[1 + i % 3] END,
      'user' || CASE WHEN i IN (${inList(DUPLICATE_EMAIL_IDS)}) THEN i - 1 ELSE i END || '@example.com',
      CASE WHEN i % 100 = 0 THEN 'LONG-CODE-' || lpad(i::text, 10, '0') ELSE 'C' || i END,
      CASE WHEN i IN (${inList(ORPHAN_IDS)}) THEN 100000 + i % 7 ELSE NULLIF(i % 1001, 0) END,
      CASE WHEN i IN (${inList(NEGATIVE_AMOUNT_IDS)}) THEN -1.5 ELSE (i % 100000) / 100.0 END
    FROM generate_series(${from}, ${to}) i`;
}

const FROM_DDL = `
  CREATE TABLE parent (id bigint PRIMARY KEY, name text NOT NULL);
  INSERT INTO parent SELECT i, 'parent ' || i FROM generate_series(1, 1000) i;
  CREATE TABLE big (
    id bigint NOT NULL,
    legacy_note text,
    external_ref text,
    status text,
    email text,
    code varchar(32),
    parent_id bigint,
    amount numeric(12,2)
  );
  CREATE TABLE event_archive (id bigint PRIMARY KEY, happened_at timestamptz NOT NULL, payload text);`;

const TO_DDL = `
  CREATE TABLE parent (id bigint PRIMARY KEY, name text NOT NULL);
  CREATE TABLE big (
    id bigint NOT NULL,
    external_ref uuid,
    status text NOT NULL,
    email text,
    code varchar(12),
    parent_id bigint,
    amount numeric(12,2),
    created_by text NOT NULL,
    CONSTRAINT big_pkey PRIMARY KEY (id),
    CONSTRAINT big_email_key UNIQUE (email),
    CONSTRAINT big_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES parent (id),
    CONSTRAINT big_amount_check CHECK (amount >= 0)
  );`;

export interface HazardSample {
  code: HazardCode;
  object: string;
  statement: string;
  /** A measure answered (evidence present). */
  measured: boolean;
  evidence?: Evidence;
  message: string;
  /** Measured alone: its own time. */
  ms?: number;
  /** Measured alone: statements sent (BEGIN, SETs, the probes, COMMIT; the version check included). */
  queries?: number;
  probeSql?: string[];
}

/** One measureHazards call over the whole plan. */
export interface ProbeRun {
  hazards: HazardSample[];
  totalMs: number;
  /** Every probe query it sent (not BEGIN, SET, COMMIT), with its time. */
  probes: { sql: string; ms: number }[];
  /** All statements it sent, BEGIN/SET/COMMIT included. */
  queries: number;
  /** One plain `SELECT count(*) FROM big` just before, in the same harness: the machine's speed at that moment. */
  scanMs: number;
  /** Server CPU time of the call (its backend and the parallel workers it started), and of that count(*). */
  cpuMs: number;
  scanCpuMs: number;
}

export interface ReferenceProbe {
  code: ReferenceCode;
  name: string;
  sql: string;
  ms: number;
  /** When it timed out: its time with the long statement timeout, if it finished then. */
  longMs?: number;
  result: string;
}

export interface ProbeBenchResult {
  date: string;
  commit: string;
  srcModified: boolean;
  nproc: number;
  cpu: string;
  serverVersion: string;
  rows: number;
  limits: ProbeLimits;
  build: { step: string; ms: number }[];
  tableBytes: number;
  statements: { sql: string; hazards: { code: HazardCode; object: string; target: boolean }[] }[];
  runs: ProbeRun[];
  /** Each hazard measured alone, once, after the runs. */
  alone: HazardSample[];
  aloneComparison: { sameEvidence: boolean; differences: string[]; sampleDifferences: string[] };
  references: ReferenceProbe[];
  loadAverageBefore: number;
  busyPercent: number;
}

/** Times every statement it passes on. */
class TimingQueryable implements Queryable {
  log: { sql: string; ms: number }[] = [];
  constructor(private readonly inner: Queryable) {}

  async query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    const start = performance.now();
    try {
      return await this.inner.query<R>(sql, params);
    } finally {
      this.log.push({ sql, ms: performance.now() - start });
    }
  }
}

const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const msText = (ms: number): string => (ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);
const oneLine = (sql: string): string => sql.replace(/\s+/g, ' ').trim();

function cpuTicks(): number[] {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return [(fields[3] ?? 0) + (fields[4] ?? 0), fields.reduce((a, b) => a + b, 0)];
}

async function timed<T>(build: { step: string; ms: number }[], step: string, log: (line: string) => void, body: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const out = await body();
  const ms = performance.now() - start;
  build.push({ step, ms });
  log(`bench: probes: ${step}: ${sec(ms)}`);
  return out;
}

/** Builds the from-database: two sessions insert halves of `big` at once (2 cores), then the key, VACUUM ANALYZE. */
export async function buildFrom(url: string, rows: number, build: { step: string; ms: number }[], log: (line: string) => void): Promise<void> {
  await withClient(url, (c) => c.query(FROM_DDL));
  const half = Math.floor(rows / 2);
  await timed(build, `INSERT … SELECT generate_series: ${rows.toLocaleString('en')} rows into big (two sessions, one half each)`, log, () => Promise.all([
    withClient(url, (c) => c.query(fromSchemaSql(rows, 1, half))),
    withClient(url, (c) => c.query(fromSchemaSql(rows, half + 1, rows))),
  ]));
  await timed(build, 'event_archive: 1,000,000 rows', log, () => withClient(url, (c) => c.query(
    `INSERT INTO event_archive SELECT i, timestamptz '2020-01-01' + i * interval '1 minute', 'event ' || i FROM generate_series(1, 1000000) i`)));
  await timed(build, 'ALTER TABLE big ADD PRIMARY KEY (id)', log, () => withClient(url, (c) => c.query('ALTER TABLE big ADD CONSTRAINT big_pkey PRIMARY KEY (id)')));
  await timed(build, 'VACUUM ANALYZE', log, () => withClient(url, (c) => c.query('VACUUM ANALYZE')));
}

type Inspected = Awaited<ReturnType<typeof introspect>>;

async function inspectUrl(url: string): Promise<Inspected> {
  const connection = await connectPg(parseConnectionUrl(url));
  try {
    return await introspect(introspectTargetOf(connection));
  } finally {
    await connection.close();
  }
}

function countsOf(e: Evidence | undefined): [string, BoundedCount][] {
  if (!e) return [];
  return Object.entries(e).filter((kv): kv is [string, BoundedCount] => typeof kv[1] === 'object' && kv[1] !== null && 'capped' in kv[1]);
}

const isProbe = (sql: string): boolean => !/^(BEGIN|COMMIT|ROLLBACK|SET LOCAL)\b/.test(sql) && !sql.includes('server_version_num');

function sampleOf(m: Hazard, statement: string): HazardSample {
  return {
    code: m.code,
    object: m.object,
    statement,
    measured: m.evidence !== undefined,
    ...(m.evidence ? { evidence: m.evidence } : {}),
    message: m.message,
  };
}

/** Each probed hazard measured alone (a plan of its statement with that one hazard), over one fresh connection. */
async function measureAlone(plan: Plan, url: string, limits: ProbeLimits): Promise<HazardSample[]> {
  const connection = await connectPg(parseConnectionUrl(url));
  const hazards: HazardSample[] = [];
  try {
    for (const statement of plan.statements) {
      for (const h of statement.hazards ?? []) {
        if (!h.target) continue;
        const timing = new TimingQueryable(connection);
        const one: Plan = { ...plan, statements: [{ ...statement, hazards: [h] }] };
        const start = performance.now();
        const measured = await measureHazards(one, timing, limits);
        const ms = performance.now() - start;
        hazards.push({
          ...sampleOf(measured.statements[0]?.hazards?.[0] ?? h, oneLine(statement.sql)),
          ms,
          queries: timing.log.length,
          probeSql: timing.log.map((q) => oneLine(q.sql)).filter(isProbe),
        });
      }
    }
  } finally {
    await connection.close();
  }
  return hazards;
}

/** utime, stime, cutime and cstime of a process, in milliseconds (from /proc: independent of other load). */
function cpuTimes(pid: number): { own: number; children: number; ppid: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  const ms = (ticks: number | undefined) => ((ticks ?? 0) * 1000) / CLOCK_TICKS;
  // After the command name: state (3), ppid (4), … utime (14), stime (15), cutime (16), cstime (17).
  return { own: ms(f[11]) + ms(f[12]), children: ms(f[13]) + ms(f[14]), ppid: f[1] ?? 0 };
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/**
 * Runs `body` on a connection and measures the server CPU it cost: the backend's own time, plus
 * the parallel workers', which the postmaster adds to its children's times when they exit.
 */
async function withServerCpu<T>(url: string, body: (q: Queryable) => Promise<T>): Promise<{ out: T; cpuMs: number }> {
  const connection = await connectPg(parseConnectionUrl(url));
  try {
    const pid = Number((await connection.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
    const before = cpuTimes(pid);
    const workersBefore = cpuTimes(before.ppid).children;
    const out = await body(connection);
    await new Promise((r) => setTimeout(r, 200));
    const after = cpuTimes(pid);
    return { out, cpuMs: after.own - before.own + cpuTimes(before.ppid).children - workersBefore };
  } finally {
    await connection.close();
  }
}

/** One measureHazards call over the whole plan, over a fresh connection, as `pgdrift diff` makes it. */
async function measureWhole(plan: Plan, url: string, limits: ProbeLimits): Promise<ProbeRun> {
  const scan = await withServerCpu(url, async (c) => {
    const start = performance.now();
    await c.query('SELECT count(*) FROM public.big');
    return performance.now() - start;
  });
  const run = await withServerCpu(url, async (connection) => {
    const timing = new TimingQueryable(connection);
    const start = performance.now();
    const measured = await measureHazards(plan, timing, limits);
    const totalMs = performance.now() - start;
    const hazards = measured.statements.flatMap((st) => (st.hazards ?? []).filter((h) => h.target).map((h) => sampleOf(h, oneLine(st.sql))));
    const probes = timing.log.filter((q) => isProbe(oneLine(q.sql))).map((q) => ({ sql: oneLine(q.sql), ms: q.ms }));
    return { hazards, totalMs, probes, queries: timing.log.length };
  });
  return { ...run.out, scanMs: scan.out, cpuMs: run.cpuMs, scanCpuMs: scan.cpuMs };
}

/**
 * The detection queries of HAZARDS.md §2 in the same harness (probe.ts, default limits), as
 * written there and as alternatives: what a measure for each code costs on this table, and whether
 * EXISTS first, one scan instead of two, or one scan for every hazard of the table would win.
 * `code` '—' is the yardstick: one plain full scan of the table.
 */
export type ReferenceCode = HazardCode | '—' | 'all';

function referenceProbes(cap: number): { code: ReferenceCode; name: string; sql: string }[] {
  const b = (where: string) => `SELECT count(*) FROM (SELECT 1 FROM public.big t WHERE ${where} LIMIT ${cap + 1}) s`;
  const uuidRe = String.raw`'^(\{[0-9a-f]{4}(-?[0-9a-f]{4}){7}\}|[0-9a-f]{4}(-?[0-9a-f]{4}){7})$'`;
  const orphan = 't.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.parent p WHERE p.id = t.parent_id)';
  return [
    { code: '—', name: 'yardstick: one full scan, `SELECT count(*) FROM big`', sql: 'SELECT count(*) FROM public.big' },
    { code: 'DL-02', name: 'as pgdrift measured it before the combined scan: rows + bounded count + samples in one statement (the column scanned twice)', sql:
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM public.big t LIMIT ${cap + 1}) s) AS n, (${b('t.legacy_note IS NOT NULL')}) AS m,
        ARRAY(SELECT DISTINCT v FROM (SELECT left(t.legacy_note::text, 200) AS v FROM public.big t WHERE t.legacy_note IS NOT NULL LIMIT 50) s ORDER BY v LIMIT 5) AS samples` },
    { code: 'DL-02', name: 'one scan: the matching values (LIMIT cap + 1) materialized once, count and samples taken from them', sql:
      `WITH f AS MATERIALIZED (SELECT left(t.legacy_note::text, 200) AS v FROM public.big t WHERE t.legacy_note IS NOT NULL LIMIT ${cap + 1})
       SELECT (SELECT count(*) FROM f) AS m, ARRAY(SELECT DISTINCT v FROM (SELECT v FROM f LIMIT 50) s ORDER BY v LIMIT 5) AS samples` },
    { code: 'DL-02', name: 'EXISTS only (first of 5 values found; a count must still read the rest)', sql: 'SELECT EXISTS (SELECT 1 FROM public.big t WHERE t.legacy_note IS NOT NULL)' },
    { code: 'FL-02', name: 'bounded count of NULLs', sql: b('t.status IS NULL') },
    { code: 'FL-03', name: 'PG < 16: the full uuid pattern alone (what uuid_in accepts; as casts.ts used it before), bounded count', sql: b(`t.external_ref IS NOT NULL AND NOT t.external_ref ~* ${uuidRe}`) },
    { code: 'FL-03', name: 'PG < 16: canonical 8-4-4-4-12 form by LIKE and one character class, the full pattern only for the rest (castTests.ts uuidRejectedSql), bounded count', sql:
      b(`t.external_ref IS NOT NULL AND ${uuidRejectedSql('t.external_ref::text')}`) },
    { code: 'FL-03', name: 'cast-all first: `count(external_ref::uuid)`; success proves every value casts, the first failure is a sample', sql:
      'SELECT count(t.external_ref::uuid) FROM public.big t' },
    { code: 'FL-03', name: 'cast-all when every value casts (the 3 bad ones filtered out): its worst case', sql:
      "SELECT count(t.external_ref::uuid) FROM public.big t WHERE t.external_ref NOT IN ('default', '', 'n/a')" },
    { code: 'FL-04', name: 'char_length(code) > 12, bounded (common: the cap is reached early)', sql: b('char_length(t.code) > 12') },
    { code: 'FL-05', name: 'GROUP BY email HAVING count(*) > 1 LIMIT 5 (HAZARDS.md gives it 10 s)', sql:
      'SELECT t.email, count(*) FROM public.big t WHERE t.email IS NOT NULL GROUP BY 1 HAVING count(*) > 1 LIMIT 5' },
    { code: 'FL-05', name: 'E2 hint: pg_stats most_common_vals present, n_distinct (proves duplicates only when MCVs exist)', sql:
      "SELECT most_common_vals IS NOT NULL AS has_mcv, n_distinct FROM pg_stats WHERE schemaname = 'public' AND tablename = 'big' AND attname = 'email'" },
    { code: 'FL-06', name: 'EXISTS anti-join (orphans)', sql: `SELECT EXISTS (SELECT 1 FROM public.big t WHERE ${orphan})` },
    { code: 'FL-06', name: 'anti-join, bounded count', sql: b(orphan) },
    { code: 'FL-07', name: 'NOT (amount >= 0), bounded', sql: b('NOT (t.amount >= 0)') },
    { code: 'all', name: 'one scan for every row predicate of big: DL-02, FL-02, FL-04, FL-06 (hashed IN), FL-07 as count(*) FILTER (exact, not capped)', sql:
      `SELECT count(*) FILTER (WHERE t.legacy_note IS NOT NULL) AS dl02, count(*) FILTER (WHERE t.status IS NULL) AS fl02,
        count(*) FILTER (WHERE char_length(t.code) > 12) AS fl04, count(*) FILTER (WHERE t.parent_id IS NOT NULL AND NOT (t.parent_id IN (SELECT p.id FROM public.parent p))) AS fl06,
        count(*) FILTER (WHERE NOT (t.amount >= 0)) AS fl07 FROM public.big t` },
  ];
}

/** A probe that timed out is run once more with this statement timeout (HAZARDS.md's budget for anti-join and GROUP BY probes), to say how long it needs. */
const LONG_MS = 10_000;

async function runReferences(url: string, limits: ProbeLimits, log: (line: string) => void): Promise<ReferenceProbe[]> {
  const connection = await connectPg(parseConnectionUrl(url));
  const out: ReferenceProbe[] = [];
  const once = async (sql: string, what: string, l: ProbeLimits): Promise<{ ms: number; result: string; timedOut: boolean }> => {
    const start = performance.now();
    try {
      const res = await probe<Record<string, unknown>>(connection, what, sql, l);
      const ms = performance.now() - start;
      if ('unknown' in res) return { ms, result: `unknown (${res.unknown})`, timedOut: res.unknown === 'timed out' };
      return { ms, result: JSON.stringify(res.rows.length === 1 ? res.rows[0] : res.rows), timedOut: false };
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause;
      return { ms: performance.now() - start, result: `error: ${cause?.message ?? String(error)}`, timedOut: false };
    }
  };
  try {
    for (const r of referenceProbes(limits.countCap)) {
      const first = await once(r.sql, r.name, limits);
      let result = first.result;
      let longMs: number | undefined;
      if (first.timedOut) {
        const long = await once(r.sql, r.name, { ...limits, statementMs: LONG_MS });
        result += long.timedOut ? `; still running after ${LONG_MS / 1000} s` : `; with a ${LONG_MS / 1000} s timeout it takes ${msText(long.ms)} → ${long.result}`;
        if (!long.timedOut) longMs = long.ms;
      }
      out.push({ ...r, ms: first.ms, ...(longMs === undefined ? {} : { longMs }), result });
      log(`bench: probes: reference ${r.code} ${r.name}: ${msText(first.ms)} → ${result}`);
    }
  } finally {
    await connection.close();
  }
  return out;
}

/** Counts and unknowns compared; samples apart (the first matches depend on where a scan starts). */
function differencesBetween(each: HazardSample[], whole: HazardSample[]): { differences: string[]; sampleDifferences: string[] } {
  const differences: string[] = [];
  const sampleDifferences: string[] = [];
  const withoutSamples = (e: Evidence | undefined) => JSON.stringify({ ...e, samples: undefined });
  if (each.length !== whole.length) differences.push(`${each.length} hazards measured one by one, ${whole.length} in the whole plan`);
  each.forEach((h, i) => {
    const w = whole[i];
    if (!w || w.code !== h.code || w.object !== h.object) differences.push(`hazard ${i + 1}: ${h.code} ${h.object} vs ${w?.code} ${w?.object}`);
    else if (withoutSamples(w.evidence) !== withoutSamples(h.evidence)) differences.push(`${h.code}: ${JSON.stringify(h.evidence)} vs ${JSON.stringify(w.evidence)}`);
    else if (JSON.stringify(w.evidence?.samples) !== JSON.stringify(h.evidence?.samples)) {
      sampleDifferences.push(`${h.code} ${(h.evidence?.samples ?? []).join(', ')} vs ${(w.evidence?.samples ?? []).join(', ')}`);
    }
  });
  return { differences, sampleDifferences };
}

export interface ProbeBenchOptions {
  /** Superuser URL of a database on the cluster. */
  url: (database?: string) => string;
  rows?: number;
  log?: (line: string) => void;
}

export async function runProbeBench(options: ProbeBenchOptions): Promise<ProbeBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const rows = options.rows ?? FULL_ROWS;
  const limits = DEFAULT_PROBE_LIMITS;
  const build: { step: string; ms: number }[] = [];
  const loadAverageBefore = loadavg()[0]!;
  await createDatabase(options.url(), FROM_DB);
  await createDatabase(options.url(), TO_DB);
  const fromUrl = options.url(FROM_DB);
  await buildFrom(fromUrl, rows, build, log);
  await withClient(options.url(TO_DB), (c) => c.query(TO_DDL));
  const tableBytes = await withClient(fromUrl, async (c: Client) =>
    Number((await c.query<{ b: string }>("SELECT pg_table_size('big') AS b")).rows[0]?.b ?? 0));

  const [from, to] = await timed(build, 'introspect both', log, () => Promise.all([inspectUrl(fromUrl), inspectUrl(options.url(TO_DB))]));
  const plan = planMigration(from.model, to.model);
  const statements = plan.statements.filter((s) => s.hazards?.length).map((s) => ({
    sql: oneLine(s.sql),
    hazards: (s.hazards ?? []).map((h) => ({ code: h.code, object: h.object, target: h.target !== undefined })),
  }));
  log(`bench: probes: plan of ${plan.statements.length} statements, ${statements.flatMap((s) => s.hazards).filter((h) => h.target).length} hazards with a probe target`);

  const ticks0 = cpuTicks();
  const runs: ProbeRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await measureWhole(plan, fromUrl, limits);
    runs.push(run);
    log(`bench: probes: run ${i + 1}: ${sec(run.totalMs)}, server CPU ${sec(run.cpuMs)}, count(*) just before ${msText(run.scanMs)} (CPU ${sec(run.scanCpuMs)}) (${run.probes.filter((q) => q.ms >= 50).map((q) => `${msText(q.ms)} ${probeLabel(q.sql)}`).join(', ')};`
      + ` ${run.hazards.filter((h) => h.evidence?.unknown).map((h) => `${h.code} ${h.evidence?.unknown}`).join(', ') || 'all measured'})`);
  }
  const ticks1 = cpuTicks();
  const alone = await measureAlone(plan, fromUrl, limits);
  const { differences, sampleDifferences } = differencesBetween(alone, runs[runs.length - 1]!.hazards);
  log(`bench: probes: each hazard alone: ${alone.map((h) => `${h.code} ${msText(h.ms ?? 0)}`).join(', ')}${differences.length ? `; evidence differs: ${differences.join('; ')}` : '; same counts as the whole plan'}`
    + `${sampleDifferences.length ? `; other samples: ${sampleDifferences.join('; ')}` : ''}`);
  const references = await runReferences(fromUrl, limits, log);

  const git = (...args: string[]) => spawnSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).stdout.trim();
  const serverVersion = await withClient(fromUrl, async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? 'unknown');
  return {
    date: new Date().toISOString(),
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    srcModified: git('status', '--porcelain', '--', 'src') !== '',
    nproc: Number(spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()),
    cpu: cpus()[0]?.model ?? 'unknown',
    serverVersion,
    rows,
    limits,
    build,
    tableBytes,
    statements,
    runs,
    alone,
    aloneComparison: { sameEvidence: differences.length === 0, differences, sampleDifferences },
    references,
    loadAverageBefore: Number(loadAverageBefore.toFixed(2)),
    busyPercent: Number((100 - (100 * (ticks1[0]! - ticks0[0]!)) / Math.max(1, ticks1[1]! - ticks0[1]!)).toFixed(1)),
  };
}

/** The count a hazard is about (the one its message states): what is lost or what fails, else the rows. */
function headline(e: Evidence | undefined): BoundedCount | undefined {
  return e?.failing ?? e?.values ?? e?.nulls ?? e?.conflicts ?? e?.rows;
}

/**
 * Capped counts must never pass for exact ones (HAZARDS.md: never an estimate presented as proof):
 * the message never shows a bare "10,000", and when the count it states is capped it shows
 * "10,000+". Other capped counts (the table's rows next to 4 NULLs) need not appear.
 */
function labelCheck(h: HazardSample, cap: number): { capped: string[]; labelled: boolean } {
  const capped = countsOf(h.evidence).filter(([, c]) => c.capped).map(([k]) => k);
  const plus = `${cap.toLocaleString('en-US')}+`;
  const bare = new RegExp(`(?<![\\d,])${cap.toLocaleString('en-US')}(?![+\\d,])`);
  // An exact count equal to the cap is shown bare, rightly; a capped one must carry the "+".
  return { capped, labelled: !headline(h.evidence)?.capped || (h.message.includes(plus) && !bare.test(h.message)) };
}

const measuredText = (h: HazardSample): string =>
  !h.measured ? '**no measure**' : h.evidence?.unknown ? `probed: **${h.evidence.unknown}**` : 'yes';

function evidenceText(h: HazardSample): string {
  if (!h.evidence) return '—';
  if (h.evidence.unknown) return `**unknown (${h.evidence.unknown})**`;
  const parts = countsOf(h.evidence).map(([k, c]) => `${k} ${c.value.toLocaleString('en-US')}${c.capped ? '+ **(capped)**' : ''}`);
  if (h.evidence.samples?.length) parts.push(`samples ${h.evidence.samples.map((s) => `\`${s}\``).join(', ')}`);
  return parts.join(', ');
}

interface Summary {
  /** The hazards of the last whole-plan run, each with its time alone. */
  perHazard: { key: string; last: HazardSample; alone: HazardSample | undefined }[];
  medianTotal: number;
  totals: number[];
  /** Probes that gave no answer in some run, by reason. */
  unanswered: { code: HazardCode; reason: string }[];
  /** Unanswered for a reason other than the size rule (timed out, table locked, budget spent). */
  failed: { code: HazardCode; reason: string }[];
  complete: boolean;
  timeMet: boolean;
  met: boolean;
}

function summarize(r: ProbeBenchResult): Summary {
  const last = r.runs[r.runs.length - 1]?.hazards ?? [];
  const perHazard = last.map((h) => ({ key: `${h.code} ${h.object}`, last: h, alone: r.alone.find((a) => a.code === h.code && a.object === h.object) }));
  const totals = r.runs.map((run) => run.totalMs);
  const medianTotal = median(totals);
  const unanswered = [...new Map(r.runs.flatMap((run) => run.hazards).filter((h) => h.evidence?.unknown)
    .map((h) => [`${h.code} ${h.evidence?.unknown}`, { code: h.code, reason: h.evidence?.unknown ?? '' }])).values()];
  const failed = unanswered.filter((u) => u.reason !== 'too many rows');
  const complete = EXPECTED.every((e) => perHazard.some((h) => h.last.code === e.code && h.last.measured));
  const timeMet = medianTotal < PROBE_TARGET_MS && failed.length === 0 && complete && r.rows === FULL_ROWS;
  return { perHazard, medianTotal, totals, unanswered, failed, complete, timeMet, met: timeMet && unanswered.length === 0 };
}

/** A probe query as the report names it. */
function probeLabel(sql: string): string {
  const table = /FROM ("[^"]*"\."[^"]*") t WHERE/.exec(sql)?.[1] ?? /FROM ("[^"]*"\."[^"]*")/.exec(sql)?.[1] ?? '';
  if (sql.startsWith('SELECT a.')) {
    const questions = (sql.split(' FROM (SELECT t.tableoid AS o')[1] ?? '').match(/ AS b\d+/g)?.length ?? 0;
    return `scan of ${table}, ${questions} question${questions === 1 ? '' : 's'}${sql.startsWith('SELECT a.n,') ? ' + rows' : ''}`;
  }
  if (sql.startsWith('EXPLAIN')) return `EXPLAIN: rows a duplicate search of ${table} would group`;
  if (sql.startsWith('WITH d AS')) return `duplicate search in ${table}`;
  if (sql.includes('pg_stats')) return 'statistics (n_distinct)';
  if (sql.includes('pg_index')) return 'a proving unique index (catalog)';
  if (sql.includes('to_regtype')) return 'the type exists (catalog)';
  if (/ LIMIT 1$/.test(sql)) return `first match in ${table} (after a timeout)`;
  if (sql.startsWith('SELECT (SELECT count(*)')) return `rows of ${table}`;
  return sql.slice(0, 60);
}

function verdict(s: Summary): string {
  if (s.met) return '**met**';
  if (s.timeMet) return `**met** for every probe that ran; not measured by the size rule: ${s.unanswered.map((u) => u.code).join(', ')} (stays blocking)`;
  return '**not met**';
}

/**
 * The whole-plan time against one plain count(*) of the table taken just before each run: the
 * machine's load (other work on it) slows both alike, so the ratio compares across runs.
 */
function ratioText(r: ProbeBenchResult): string {
  const scans = r.runs.map((run) => run.scanMs);
  const ratios = r.runs.map((run) => run.totalMs / Math.max(1, run.scanMs));
  const cpu = r.runs.map((run) => run.cpuMs);
  return `${median(ratios).toFixed(1)}× the time of one plain \`SELECT count(*) FROM big\` taken just before each run (${scans.map(msText).join(', ')});`
    + ` server CPU ${cpu.map(sec).join(', ')} per run (its backend and parallel workers), ${(median(r.runs.map((run) => run.cpuMs / Math.max(1, run.scanCpuMs)))).toFixed(1)}× that count(*)'s,`
    + ` so at least ${sec(median(cpu) / r.nproc)} on ${r.nproc} cores with nothing else running`;
}

export function probeBenchTargetLines(r: ProbeBenchResult): string[] {
  const s = summarize(r);
  const capped = s.perHazard.filter((h) => labelCheck(h.last, r.limits.countCap).capped.length > 0);
  const unmeasured = s.perHazard.filter((h) => !h.last.measured);
  const missing = EXPECTED.filter((e) => !s.perHazard.some((h) => h.last.code === e.code));
  return [
    `- All hazard probes for a plan touching a ${r.rows.toLocaleString('en')}-row table within ${PROBE_TARGET_MS / 1000} s: median total ${sec(s.medianTotal)}`
      + ` for one \`measureHazards\` call over the whole plan (runs ${s.totals.map(sec).join(', ')}`
      + `; ${ratioText(r)}),`
      + ` ${s.failed.length ? `${s.failed.length} probe(s) without an answer (${s.failed.map((u) => `${u.code} ${u.reason}`).join(', ')})` : 'no timeouts'}`
      + `${s.unanswered.length > s.failed.length ? `, ${s.unanswered.filter((u) => u.reason === 'too many rows').map((u) => u.code).join(', ')} not measured: too many rows for an exact duplicate search (an estimate is shown, labelled; the hazard stays blocking)` : ''}`
      + `${unmeasured.length ? `, ${unmeasured.length} hazard(s) without a measure yet (${unmeasured.map((h) => h.last.code).join(', ')})` : ''}`
      + `${missing.length ? `, not in the plan: ${missing.map((e) => e.code).join(', ')}` : ''}: ${verdict(s)}.`,
    `- Capped counts reported: ${capped.length ? capped.map((h) => `${h.last.code} (${labelCheck(h.last, r.limits.countCap).capped.join(', ')})`).join(', ') : 'none'};`
      + ` every capped count labelled "${r.limits.countCap.toLocaleString('en-US')}+" in its message: **${capped.every((h) => labelCheck(h.last, r.limits.countCap).labelled) ? 'yes' : 'NO'}**.`,
  ];
}

export function probeBenchSection(r: ProbeBenchResult): string[] {
  const s = summarize(r);
  const cap = r.limits.countCap;
  const inPlan = new Set(s.perHazard.map((h) => `${h.last.code} ${h.last.object}`));
  const staticOnly = r.statements.flatMap((st) => st.hazards.filter((h) => !h.target).map((h) => `${h.code}`));
  const missing = EXPECTED.filter((e) => !inPlan.has(`${e.code} ${e.object}`) && !s.perHazard.some((h) => h.last.code === e.code));
  const last = r.runs[r.runs.length - 1];
  const aloneTotal = r.alone.reduce((n, h) => n + (h.ms ?? 0), 0);
  return [
    HEADING,
    '',
    `Written on ${r.date}, measuring commit ${r.commit}${r.srcModified ? ' with uncommitted changes in src/' : ''}; PostgreSQL ${r.serverVersion},`
      + ` ${r.nproc} cores (${r.cpu}). Code: bench/probes.ts (\`npx tsx bench/probes.ts\` runs this section alone).`,
    '',
    ...probeBenchTargetLines(r),
    '',
    `pgdrift's own path, as \`pgdrift diff\` takes it: introspect both databases → \`planMigration\` → \`measureHazards\` over a \`connectPg\` connection,`
      + ` default limits (statement_timeout ${r.limits.statementMs} ms per probe, lock_timeout ${r.limits.lockMs} ms, counts capped at ${cap.toLocaleString('en-US')},`
      + ` a plan budget of ${((r.limits.budgetMs ?? 30000) / 1000).toFixed(0)} s, duplicate searches up to ${(r.limits.groupRowsMax ?? 1000000).toLocaleString('en-US')} rows).`
      + ` Table \`big\`: ${r.rows.toLocaleString('en')} rows, ${(r.tableBytes / 1024 ** 3).toFixed(2)} GiB, an ordinary logged table, VACUUM ANALYZEd; no index but the primary key.`,
    '',
    `### Per hazard (evidence of the last of ${r.runs.length} whole-plan runs; time of the hazard measured alone, once)`,
    '',
    '| Code | Object | Change in the from-database | Measured | Evidence | Capped counts labelled | Alone |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...s.perHazard.map((h) => {
      const e = EXPECTED.find((x) => x.code === h.last.code);
      const lc = labelCheck(h.last, cap);
      return `| ${h.last.code} | \`${h.last.object}\` | ${e?.change ?? ''} | ${measuredText(h.last)} | ${evidenceText(h.last)} `
        + `| ${lc.capped.length ? (lc.labelled ? 'yes' : '**NO**') : '—'} | ${h.alone?.ms === undefined ? '—' : msText(h.alone.ms)} |`;
    }),
    `| | | | | | **whole plan, one call** | **${msText(s.medianTotal)}** median (${s.totals.map(msText).join(', ')}); alone one by one: ${msText(aloneTotal)} |`,
    '',
    `Each hazard measured alone (a plan of its one statement and hazard) gives the same counts and unknowns as the whole plan: ${r.aloneComparison.sameEvidence ? 'yes' : `**no** (${r.aloneComparison.differences.join('; ')})`}.`
      + (r.aloneComparison.differences.some((d) => d.includes('"unknown"'))
        ? ` Alone, a hazard's scan gets one statement timeout (${r.limits.statementMs} ms); in the whole plan the scan of a table gets one per question it answers, within the plan's budget.`
        : '')
      + (r.aloneComparison.sampleDifferences.length
        ? ` Samples differed (${r.aloneComparison.sampleDifferences.join('; ')}): "the first 50 matches" of a common value depend on where a parallel scan hands out its blocks, so they are not reproducible.`
        : ''),
    '',
    ...(missing.length
      ? ['Not in the plan at all (no static hazard with a probe target yet, so nothing to measure; the statement itself is planned):', '',
        ...missing.map((e) => `- ${e.code} on \`${e.object}\`: ${e.change}; the exact answer would be ${e.expect}.`), '']
      : []),
    `Static hazards on the same statements (no probe): ${[...new Set(staticOnly)].sort().join(', ') || 'none'}.`,
    '',
    'Messages of the last run:',
    '',
    ...s.perHazard.map((h) => `- ${h.last.code}: ${h.last.message}`),
    '',
    ...(last
      ? [`Probe queries of the last whole-plan run (${last.queries} statements in all, BEGIN/SET/COMMIT included; the queries below are the ones that read data or the catalog):`, '',
        '| Probe | Time |', '| --- | --- |',
        ...last.probes.map((q) => `| ${probeLabel(q.sql)} | ${msText(q.ms)} |`), '']
      : []),
    '### Reference probes: the detection queries of HAZARDS.md §2 and alternatives',
    '',
    'Same harness (src/core/hazards/probe.ts, same limits), one run each, after the runs above: what a measure for each code costs on this table,'
      + ' and whether EXISTS first or one scan instead of two would help.',
    '',
    '| Code | Query | Time | Result |',
    '| --- | --- | --- | --- |',
    ...r.references.map((x) => `| ${x.code} | ${x.name} | ${msText(x.ms)} | ${x.result.replace(/\|/g, '\\|')} |`),
    '',
    '### How the probe numbers were taken',
    '',
    `- Building (not measured): ${r.build.map((b) => `${b.step} ${sec(b.ms)}`).join('; ')}.`,
    '- Rare values sit at fixed ids spread over the table, the last ones near its end, so a probe that finds few or none reads the whole table, as on production.',
    `- Each run is one \`measureHazards\` call over the whole plan on a fresh connection (the version check it sends first included), as \`pgdrift diff\` makes it:`
      + ' the questions about one table share one scan (src/core/hazards/measure/scan.ts), the probes share one time budget. The median is over the runs.',
    '- Just before each run, one plain `SELECT count(*) FROM big` (parallel, as the server plans it) is timed on its own connection: other work on the machine slows it and the probes alike, so the ratio of the two compares across runs taken under different load.',
    '- Server CPU: user + system time of the connection\'s backend (/proc/<pid>/stat) and of the parallel workers it started (added to the postmaster\'s children times when they exit);'
      + ' it does not grow with other work on the machine the way wall time does. Divided by the cores, it is the least wall time the call could take.',
    '- "Alone" is the same hazard measured over a plan of its one statement and hazard, once, after the runs: what a probe of its own costs.',
    '- "Capped" is the evidence\'s `capped` flag (the count passed the cap); "labelled" means the message shows'
      + ` "${cap.toLocaleString('en-US')}+" and never a bare "${cap.toLocaleString('en-US')}". "unknown" is a probe the statement timeout, the lock timeout or the plan budget stopped,`
      + ' or (too many rows) a duplicate search that did not start because the planner expected it to group more rows than the limit.',
    `- Load: 1-minute load average ${r.loadAverageBefore} before building; all CPUs ${r.busyPercent}% busy while the whole-plan runs took place (other helpers' tests included).`,
    '',
  ];
}

const TARGET_PREFIXES = ['- All hazard probes for a plan touching', '- Capped counts reported:'];

/** `--write`: this section, its target lines and `probes` in results.json. */
function writeSection(r: ProbeBenchResult): void {
  writeBenchSection(ROOT, { heading: HEADING, targetPrefixes: TARGET_PREFIXES, section: probeBenchSection(r), targetLines: probeBenchTargetLines(r), jsonKey: 'probes', value: r });
}

async function main(): Promise<void> {
  const rows = process.env.PROBES_ROWS ? Number(process.env.PROBES_ROWS) : FULL_ROWS;
  const started = performance.now();
  console.log('bench: probes: starting a private PostgreSQL 15 cluster');
  const cluster = await startCluster(15);
  let result: ProbeBenchResult;
  try {
    result = await runProbeBench({ url: (db) => cluster.url(db), rows });
  } finally {
    await cluster.stop();
  }
  mkdirSync(join(ROOT, 'bench', 'tmp'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'tmp', 'probes.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(probeBenchSection(result).join('\n'));
  if (process.argv.includes('--write')) {
    writeSection(result);
    console.log('bench: probes: wrote the section into bench/RESULTS.md and bench/results.json');
  }
  console.log(`bench: probes: done in ${sec(performance.now() - started)}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`bench: probes: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
