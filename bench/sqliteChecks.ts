/**
 * What the SQLite copy benchmark checks after every copy, so that a copy that lost rows, read the
 * time stamps in the wrong zone or turned 0/1 into something else cannot give a figure: the same
 * aggregates taken from the SQLite file and from the PostgreSQL database must be equal.
 *
 * Per table the row count; then booleans counted true, non-null counts of foreign keys and of the
 * REAL column, a sum of integers, and the earliest and latest DATETIME. On the PostgreSQL side a
 * time stamp is printed as wall-clock time in the source zone, which must give back SQLite's text:
 * the same instant only if the copy read the text in that zone.
 */
import type { Database } from 'sql.js';
import type { Client } from 'pg';
import { type AppTable, APP_TABLES, SOURCE_TIME_ZONE } from './sqliteData';

type Measure = 'rows' | 'true' | 'nonNull' | 'sum' | 'minTime' | 'maxTime';

interface Check {
  table: AppTable;
  measure: Measure;
  column?: string;
}

export const CHECKS: readonly Check[] = [
  ...APP_TABLES.map((table): Check => ({ table, measure: 'rows' })),
  { table: 'machines', measure: 'true', column: 'retired' },
  { table: 'users', measure: 'true', column: 'active' },
  { table: 'users', measure: 'minTime', column: 'created_at' },
  { table: 'shifts', measure: 'nonNull', column: 'operator_id' },
  { table: 'shifts', measure: 'minTime', column: 'started_at' },
  { table: 'shifts', measure: 'maxTime', column: 'ended_at' },
  { table: 'production_orders', measure: 'sum', column: 'quantity' },
  { table: 'production_orders', measure: 'true', column: 'rush' },
  { table: 'production_orders', measure: 'nonNull', column: 'shift_id' },
  { table: 'production_orders', measure: 'nonNull', column: 'weight' },
  { table: 'production_orders', measure: 'minTime', column: 'due_at' },
  { table: 'production_orders', measure: 'maxTime', column: 'due_at' },
];

const label = (c: Check): string => `${c.table}: ${c.measure}${c.column ? `(${c.column})` : ''}`;

function sqliteExpression(c: Check): string {
  switch (c.measure) {
    case 'rows': return 'count(*)';
    case 'true': return `sum(${c.column} = 1)`;
    case 'nonNull': return `count(${c.column})`;
    case 'sum': return `sum(${c.column})`;
    case 'minTime': return `min(${c.column})`;
    case 'maxTime': return `max(${c.column})`;
  }
}

function pgExpression(c: Check): string {
  const wallClock = (x: string) => `to_char(${x} AT TIME ZONE '${SOURCE_TIME_ZONE}', 'YYYY-MM-DD HH24:MI:SS')`;
  switch (c.measure) {
    case 'rows': return 'count(*)';
    case 'true': return `count(*) FILTER (WHERE ${c.column})`;
    case 'nonNull': return `count(${c.column})`;
    case 'sum': return `sum(${c.column})`;
    case 'minTime': return wallClock(`min(${c.column})`);
    case 'maxTime': return wallClock(`max(${c.column})`);
  }
}

export type CheckValues = Record<string, string>;

/** The expected values, from the SQLite file. */
export function sqliteValues(db: Database): CheckValues {
  const out: CheckValues = {};
  for (const c of CHECKS) out[label(c)] = String(db.exec(`SELECT ${sqliteExpression(c)} FROM ${c.table}`)[0]!.values[0]![0]);
  return out;
}

/** The same values from a PostgreSQL database the file was copied into. */
export async function postgresValues(client: Client): Promise<CheckValues> {
  const out: CheckValues = {};
  for (const c of CHECKS) {
    const { rows } = await client.query<{ v: unknown }>(`SELECT (${pgExpression(c)})::text AS v FROM ${c.table}`);
    out[label(c)] = String(rows[0]?.v);
  }
  return out;
}

/** "table: measure: expected X, found Y" for every value that differs; empty when the copy is whole. */
export function mismatches(expected: CheckValues, found: CheckValues): string[] {
  return Object.entries(expected).filter(([k, v]) => found[k] !== v).map(([k, v]) => `${k}: expected ${v}, found ${found[k]}`);
}
