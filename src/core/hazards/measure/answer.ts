/**
 * Answers the questions of every measure of a plan with as few scans as possible: all the questions
 * about one table share one scan (scan.ts), the same question asked twice (a column's non-null
 * values for a DROP COLUMN and for a type change) is counted once, and the table's rows are counted
 * once for all its hazards. Two kinds of question get a scan of their own: those that need a setup
 * (the try-cast function runs a subtransaction per row, far slower than anything it would be
 * combined with) and those that ask for it (anti-joins, see Asked.own). Tables without any row
 * (empty.ts) are not scanned at all.
 */
import type { BoundedCount } from '../types';
import { count, type Answer, type Asked, type Found, type MeasureContext, type Question } from './bounded';
import { emptyTables } from './empty';
import { scanGroup, type ScanGroup, type Unknown } from './scan';

interface Group {
  key: string;
  table: string;
  setup: readonly string[];
  questions: Question[];
  /** Index of each distinct question, by its predicate and sample. */
  index: Map<string, number>;
}

export async function answerAll(asks: readonly Asked[], ctx: MeasureContext): Promise<Found[]> {
  const groups: Group[] = [];
  const placed = asks.map((ask, n) => {
    const setup = ask.setup ?? [];
    const key = ask.own ? `own ${n}` : `${ask.table}\u0000${setup.join('\u0000')}`;
    let group = groups.find((g) => g.key === key);
    if (!group) {
      group = { key, table: ask.table, setup, questions: [], index: new Map() };
      groups.push(group);
    }
    const g = group;
    return { group: g, at: ask.questions.map((q) => questionIndex(g, q)) };
  });
  const rows = new Map<string, BoundedCount | Unknown>();
  const answers = new Map<Group, (Answer | Unknown)[]>();
  // Every question about an empty table has the answer 0 without a scan.
  const empty = await emptyTables([...new Set(groups.map((g) => g.table))], ctx);
  const zero = count(0, ctx.limits.countCap);
  for (const table of empty) rows.set(table, zero);
  for (const group of scanOrder(groups)) {
    if (empty.has(group.table)) {
      answers.set(group, group.questions.map(() => ({ count: zero, samples: [] })));
      continue;
    }
    const wantRows = !rows.has(group.table);
    const scan: ScanGroup = { table: group.table, questions: group.questions, setup: group.setup, rows: wantRows };
    const outcome = await scanGroup(scan, ctx);
    if (wantRows && outcome.rows) rows.set(group.table, outcome.rows);
    answers.set(group, outcome.answers);
  }
  return asks.map((ask, n) => {
    const { group, at } = placed[n] as (typeof placed)[number];
    const tableRows = rows.get(ask.table) ?? { unknown: 'probe budget spent' };
    if ('unknown' in tableRows) return tableRows;
    const mine = at.map((i) => answers.get(group)?.[i] ?? { unknown: 'probe budget spent' as const });
    const missing = mine.find((a): a is Unknown => 'unknown' in a);
    return missing ?? { rows: tableRows, answers: mine as Answer[] };
  });
}

function questionIndex(group: Group, q: Question): number {
  const key = `${q.where}\u0000${q.sample ?? ''}\u0000${q.sample === undefined}`;
  let i = group.index.get(key);
  if (i === undefined) {
    i = group.questions.push(q) - 1;
    group.index.set(key, i);
  }
  return i;
}

/**
 * Table by table in the order the plan first names them; within a table the shared scan first (it
 * counts the table's rows), then scans with a setup, then scans of their own.
 */
function scanOrder(groups: readonly Group[]): Group[] {
  const tables = [...new Set(groups.map((g) => g.table))];
  const rank = (g: Group) => (g.key.startsWith('own ') ? 2 : g.setup.length ? 1 : 0);
  return tables.flatMap((t) => groups.filter((g) => g.table === t).sort((a, b) => rank(a) - rank(b)));
}
