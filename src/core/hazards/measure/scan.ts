/**
 * One scan of a table answers every question its hazards ask (DL-02 values, FL-02 NULLs, FL-03
 * values a cast rejects, FL-04 values that do not fit, FL-07 CHECK violations, …): each count is
 * exact up to the cap, as each question's own bounded probe would give it, but the table is read
 * once instead of once or twice per hazard. A round is one statement:
 *
 *   SELECT a.n, a.found, a.m0, ARRAY(<distinct sample texts of the rows a.c0/a.o0 point at>) AS s0, …
 *   FROM (SELECT <rows, bounded> AS n, count(*) AS found,
 *                count(*) FILTER (WHERE s.b0) AS m0, array_agg(s.c) FILTER (WHERE s.b0) AS c0, …
 *         FROM (SELECT t.tableoid AS o, t.ctid AS c, (p0) AS b0, (p1) AS b1, …
 *               FROM tbl t WHERE (p0) OR (p1) OR … LIMIT L) s) a
 *
 * The WHERE evaluates the predicates once per row (OR stops at the first true); only the rows that
 * match some question, at most L of them, go further. Samples are read back by ctid (a TID scan of
 * at most 50 rows per question; with the tableoid, as a partitioned table repeats ctids), so the
 * sample expressions run for those rows only: "five distinct texts among the first 50 matches",
 * as a probe of its own takes them.
 *
 * The capping rule. LIMIT L bounds the rows matching *any* question, so a round's counts are not
 * each question's bounded count:
 * - fewer than L rows came back: the scan read the whole table and every count is exact (above the
 *   cap it is shown as the cap, capped, like a bounded count);
 * - L rows came back (the scan stopped early): a question with more than `cap` matches is capped,
 *   correctly ("at least cap + 1"); one with fewer has only a lower bound, so it is asked again in
 *   the next round, without the capped ones. L is at least k × (cap + 1) for the k questions of a
 *   round, so when a round stops early some question has at least L / k > cap of its rows: every
 *   round retires a question and the rounds end. L grows fourfold each round: a question matching
 *   everywhere (the non-null values of a full column) is capped in a first, short round, and one
 *   matching 1 row in 100 is still counted exactly by the round that reads the whole table.
 *
 * A round that times out falls back, per question, to the EXISTS form (HAZARDS.md §1.2: stop at the
 * first match): a match is "at least 1" (capped), none is an exact 0, and a lower bound already
 * counted in an earlier round stands as "at least that many".
 */
import { isPgdriftError } from '../../errors';
import type { BoundedCount } from '../types';
import { boundedCountSql, count, type Answer, type MeasureContext, type Question } from './bounded';
import { antiJoinOf } from './antiJoin';
import { budgetedProbe, type Unmeasured } from './budget';

/** Each round may return four times as many matching rows per question as the one before. */
const ROUND_GROWTH = 4;
/**
 * A round usually reads the whole table, but the planner, seeing LIMIT and predicates it cannot
 * estimate (NOT (… LIKE …) looks true almost everywhere), expects it to stop early and plans it
 * without parallel workers. With the cost of starting them at zero it plans the parallel scan it
 * would plan without the LIMIT; max_parallel_workers_per_gather and min_parallel_table_scan_size
 * still decide whether and how many (small tables never get workers).
 */
const ROUND_SETTINGS = { parallel_setup_cost: '0', parallel_tuple_cost: '0' };
/** Samples are taken among the first rows matching a question. */
const SAMPLE_ROWS = 50;

export interface ScanGroup {
  table: string;
  /** Distinct questions. */
  questions: Question[];
  setup: readonly string[];
  /** Also count the table's rows (bounded). */
  rows: boolean;
}

export type Unknown = { unknown: Unmeasured };

export interface ScanOutcome {
  /** Present when asked for. */
  rows?: BoundedCount | Unknown;
  answers: (Answer | Unknown)[];
}

/** count(*) is bigint, which node-postgres returns as a string. */
type RoundRow = Record<string, number | string | string[] | null>;

export async function scanGroup(group: ScanGroup, ctx: MeasureContext): Promise<ScanOutcome> {
  const cap = ctx.limits.countCap;
  const answers: (Answer | Unknown | undefined)[] = group.questions.map(() => undefined);
  const lower: Answer[] = group.questions.map(() => ({ count: count(0, cap), samples: [] }));
  let rows: BoundedCount | Unknown | undefined;
  let stopped: Unmeasured | undefined;
  let open = group.questions.map((_, i) => i);
  for (let round = 0; open.length; round++) {
    const limit = Math.max(SAMPLE_ROWS, ROUND_GROWTH ** Math.min(round, 8) * open.length * (cap + 1));
    const questions = open.map((i) => group.questions[i] as Question);
    const sql = roundSql(group.table, questions, limit, group.rows && rows === undefined ? cap : undefined);
    const what = questions.length === 1 ? (questions[0] as Question).what : `${questions.length} questions about ${group.table}`;
    let r: { rows: RoundRow[] } | Unknown;
    try {
      r = await budgetedProbe<RoundRow>(ctx, what, sql, { setup: group.setup, statementMs: ctx.limits.statementMs * questions.length, settings: ROUND_SETTINGS });
    } catch (error) {
      if (questions.length === 1 || !isPgdriftError(error) || error.code !== 'query-failed') throw error;
      // The server refused one of the predicates: ask each alone, so the error names the one it refused.
      for (const i of open) answers[i] = (await scanGroup({ ...group, questions: [group.questions[i] as Question], rows: false }, ctx)).answers[0];
      break;
    }
    if ('unknown' in r) {
      stopped = r.unknown;
      for (const i of open) answers[i] = await fallback(group, group.questions[i] as Question, lower[i] as Answer, r.unknown, ctx);
      break;
    }
    const row = r.rows[0] ?? {};
    if (group.rows && rows === undefined) rows = count(Number(row.n ?? 0), cap);
    const complete = Number(row.found ?? 0) < limit;
    open = open.filter((i, j) => {
      const found: Answer = { count: count(Number(row[`m${j}`] ?? 0), cap), samples: (row[`s${j}`] as string[] | null) ?? [] };
      if (complete || found.count.capped) {
        answers[i] = found;
        return false;
      }
      lower[i] = found;
      return true;
    });
  }
  // A locked table or a spent budget would only say so again.
  if (group.rows && rows === undefined) rows = stopped && stopped !== 'timed out' ? { unknown: stopped } : await tableRows(group, ctx);
  return { ...(rows ? { rows } : {}), answers: answers.map((a) => a ?? { unknown: 'probe budget spent' }) };
}

/**
 * One round's statement (see the header); `rowsCap` adds the table's bounded row count. With more
 * than one question, a foreign key's orphans are asked through a LEFT JOIN (antiJoin.ts).
 */
function roundSql(table: string, questions: Question[], limit: number, rowsCap: number | undefined): string {
  const single = questions.length === 1;
  const joins: string[] = [];
  const predicates = questions.map((q) => {
    const anti = single ? undefined : antiJoinOf(q.where);
    if (!anti) return q.where;
    const j = `j${joins.length}`;
    joins.push(` LEFT JOIN (SELECT DISTINCT ${anti.pairs.map((p) => `p.${p.parent}`).join(', ')} FROM ${anti.parent} p) ${j}`
      + ` ON ${anti.pairs.map((p) => `${j}.${p.parent} = ${p.child}`).join(' AND ')}`);
    return `${anti.filter} AND ${j}.${anti.pairs[0]?.parent ?? ''} IS NULL`;
  });
  const matching: string[] = ['t.tableoid AS o', 't.ctid AS c'];
  const counted = [...(rowsCap === undefined ? [] : [`${boundedCountSql(table, undefined, rowsCap)} AS n`]), 'count(*) AS found'];
  const answered = [...(rowsCap === undefined ? [] : ['a.n']), 'a.found'];
  questions.forEach((q, i) => {
    // With one question the WHERE is its predicate: every row returned matches it.
    matching.push(`${single ? 'true' : `(${predicates[i] ?? q.where})`} AS b${i}`);
    counted.push(`count(*) FILTER (WHERE s.b${i}) AS m${i}`);
    answered.push(`a.m${i}`);
    if (q.sample === undefined) {
      answered.push(`'{}'::text[] AS s${i}`);
      return;
    }
    counted.push(`array_agg(s.c) FILTER (WHERE s.b${i}) AS c${i}`, `array_agg(s.o) FILTER (WHERE s.b${i}) AS o${i}`);
    const first = (a: string) => `a.${a}${i}[1:${SAMPLE_ROWS}]`;
    answered.push(`ARRAY(SELECT DISTINCT v FROM (SELECT left((${q.sample})::text, 200) AS v FROM ${table} t
      WHERE t.ctid = ANY (${first('c')}) AND (t.tableoid, t.ctid) IN (SELECT * FROM unnest(${first('o')}, ${first('c')}))) x ORDER BY v LIMIT 5) AS s${i}`);
  });
  const rows = `SELECT ${matching.join(', ')} FROM ${table} t${joins.join('')} WHERE ${predicates.map((p) => `(${p})`).join(' OR ')} LIMIT ${limit}`;
  return `SELECT ${answered.join(', ')} FROM (SELECT ${counted.join(', ')} FROM (${rows}) s) a`;
}

/**
 * After a round timed out: a lower bound counted earlier stands as "at least that many"; otherwise
 * the first match, if the probe finds one in time ("at least 1", with it as the sample), or an
 * exact 0 when the whole table was read without one.
 */
async function fallback(group: ScanGroup, q: Question, lower: Answer, reason: Unmeasured, ctx: MeasureContext): Promise<Answer | Unknown> {
  if (lower.count.value > 0) return { count: { value: lower.count.value, capped: true }, samples: lower.samples };
  if (reason !== 'timed out') return { unknown: reason };
  const sample = q.sample === undefined ? 'NULL' : `left((${q.sample})::text, 200)`;
  const r = await budgetedProbe<{ v: string | null }>(ctx, q.what, `SELECT ${sample} AS v FROM ${group.table} t WHERE ${q.where} LIMIT 1`, { setup: group.setup, settings: ROUND_SETTINGS });
  if ('unknown' in r) return r;
  const first = r.rows[0];
  if (!first) return { count: count(0, ctx.limits.countCap), samples: [] };
  return { count: { value: Math.min(1, ctx.limits.countCap), capped: true }, samples: q.sample === undefined || first.v === null ? [] : [first.v] };
}

/** The table's rows alone (bounded: stops at cap + 1, so it is quick on any table). */
async function tableRows(group: ScanGroup, ctx: MeasureContext): Promise<BoundedCount | Unknown> {
  const r = await budgetedProbe<{ n: number }>(ctx, `the rows of ${group.table}`, `SELECT ${boundedCountSql(group.table, undefined, ctx.limits.countCap)} AS n`);
  if ('unknown' in r) return r;
  return count(Number(r.rows[0]?.n ?? 0), ctx.limits.countCap);
}
