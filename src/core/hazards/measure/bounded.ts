/**
 * The pieces every measurement shares (HAZARDS.md §1): counts bounded by `LIMIT cap + 1` and
 * labelled "N+" when they reach the cap, samples as text cut at 200 characters, and the shape of a
 * measure: most measures only ask questions about rows of a table ("how many rows match this
 * predicate, and what do a few of them look like"), which index.ts answers for all the hazards of
 * the table in one scan (scan.ts), then hands back to the measure to write the evidence.
 */
import type { Queryable } from '../../db/queryable';
import type { ProbeLimits } from '../probe';
import type { BoundedCount, Hazard } from '../types';
import type { ProbeBudget, Unmeasured } from './budget';

export interface MeasureContext {
  q: Queryable;
  limits: ProbeLimits;
  /** server_version_num of the from-database: some exact methods need PostgreSQL 16. */
  serverVersionNum: number;
  /** The plan's probe time, shared by every probe. */
  budget: ProbeBudget;
}

/** A predicate over the rows of a table (alias `t`) whose matches are counted, bounded, with samples. */
export interface Question {
  where: string;
  /** An expression over `t` shown for each match (up to five distinct texts); none: no samples. */
  sample?: string;
  /** What is measured, for an error message ("measuring …: <error>"). */
  what: string;
}

export interface Answer {
  /** Exact up to the cap; capped means "at least this many". */
  count: BoundedCount;
  samples: string[];
}

/** The table's rows (bounded) and one answer per question, in order; or why there is none. */
export type Found = { rows: BoundedCount; answers: Answer[] } | { unknown: Unmeasured };

/** A measure's questions about one table, and how it turns the answers into evidence. */
export interface Asked {
  table: string;
  questions: Question[];
  /** Statements the scan needs first (the try-cast function); such questions get a scan of their own. */
  setup?: string[];
  /**
   * Ask these questions in a scan of their own: a predicate with a subquery other than the
   * anti-join the combined scan knows how to join (antiJoin.ts) would stay a correlated subplan
   * there, which also keeps PostgreSQL from scanning the table in parallel.
   */
  own?: boolean;
  /** The hazard with evidence and an exact message (it may run a probe of its own, after every scan). */
  finish: (found: Found, ctx: MeasureContext) => Promise<Hazard>;
}

/** Measures one hazard: the finished hazard (with evidence, or unchanged), or questions to scan for. */
export type Measure = (h: Hazard, ctx: MeasureContext) => Promise<Hazard | Asked>;

export function isAsked(m: Hazard | Asked): m is Asked {
  return 'finish' in m;
}

/** Applies `f` to the measured hazard, now or once the questions are answered. */
export function mapMeasured(m: Hazard | Asked, f: (h: Hazard) => Hazard): Hazard | Asked {
  if (!isAsked(m)) return f(m);
  return { ...m, finish: async (found, ctx) => f(await m.finish(found, ctx)) };
}

/** Questions whose answers the finish reads synchronously. */
export function asked(table: string, questions: Question[], finish: (found: Found) => Hazard | Promise<Hazard>, options: { own?: boolean; setup?: string[] } = {}): Asked {
  return { table, questions, ...options, finish: async (found) => finish(found) };
}

/** `(SELECT count(*) … LIMIT cap + 1)`: the count of rows of `table t` matching `where`, bounded. */
export function boundedCountSql(table: string, where: string | undefined, cap: number): string {
  return `(SELECT count(*) FROM (SELECT 1 FROM ${table} t${where ? ` WHERE ${where}` : ''} LIMIT ${cap + 1}) s)::int`;
}

/** Up to five distinct sample texts among the first 50 matching rows, in text order. */
export function samplesSql(table: string, where: string | undefined, sample: string): string {
  return `ARRAY(SELECT DISTINCT v FROM (SELECT left((${sample})::text, 200) AS v FROM ${table} t${where ? ` WHERE ${where}` : ''} LIMIT 50) s ORDER BY v LIMIT 5)`;
}

export function count(n: number, cap: number): BoundedCount {
  return n > cap ? { value: cap, capped: true } : { value: n, capped: false };
}

/** "2", "10,000+". */
export function show(c: BoundedCount): string {
  return c.capped ? `${c.value.toLocaleString('en-US')}+` : c.value.toLocaleString('en-US');
}

/** "s" unless exactly one. */
export function plural(c: BoundedCount): string {
  return c.value === 1 && !c.capped ? '' : 's';
}

/** A sample as a SQL string literal, as users would type it. */
export function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
