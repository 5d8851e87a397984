/**
 * The SQLite database the SQLite copy benchmark moves into PostgreSQL: a production application
 * of 1,000,000 rows in all, built with sql.js (the WebAssembly SQLite pgdrift reads with).
 *
 * - machines (1,000): INTEGER PRIMARY KEY, unique code, capacity, DECIMAL(10,2) rate, DATE, BOOLEAN;
 * - users (10,000): INTEGER PRIMARY KEY AUTOINCREMENT, unique VARCHAR(60) e-mail, BOOLEAN, DATETIME;
 * - shifts (189,000): 189 eight-hour shifts per machine, each with an operator (a foreign key to
 *   users, NULL for one shift in 50), DATETIME start and end, a CHECK that the end is later;
 * - production_orders (800,000): foreign keys to machines and shifts, quantity with a CHECK,
 *   status text, REAL weight (NULL in one row in 10), DATETIME due time, BOOLEAN, notes.
 *
 * DATETIME values are written as SQLite applications write local time: 'YYYY-MM-DD HH:MM:SS' text
 * without an offset, meant in South African time (SAST, UTC+2); booleans as 0/1. Every value fits
 * its PostgreSQL type, so the copy is not stopped by a misfit. The rows come from a seeded
 * generator: the same file every time.
 *
 * Built in one transaction with one prepared statement per table, then exported to
 * bench/tmp/sqlite-copy/app.db. The file is kept and used again while this file's text (the
 * generator and its parameters) is unchanged: its hash is stored beside it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Database } from 'sql.js';
import { openSqliteBytes } from '../src/core/sqlite/open';

export const ROW_COUNTS = { machines: 1_000, users: 10_000, shifts: 189_000, production_orders: 800_000 } as const;
export type AppTable = keyof typeof ROW_COUNTS;
/** Parents before children. */
export const APP_TABLES = Object.keys(ROW_COUNTS) as AppTable[];
export const TOTAL_ROWS = Object.values(ROW_COUNTS).reduce((a, b) => a + b, 0);
/** The zone the DATETIME text is meant in (no daylight saving: UTC+2 all year). */
export const SOURCE_TIME_ZONE = 'Africa/Johannesburg';

const SHIFTS_PER_MACHINE = ROW_COUNTS.shifts / ROW_COUNTS.machines;
const SHIFT_HOURS = 8;
/** 2023-01-02 06:00 wall-clock time, as milliseconds of a UTC date holding the same digits. */
const FIRST_SHIFT = Date.UTC(2023, 0, 2, 6, 0, 0);
const HOUR = 3_600_000;
const STATUSES = ['open', 'released', 'running', 'done', 'done', 'done', 'cancelled'];

const SCHEMA = `
CREATE TABLE machines (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  capacity_per_hour INTEGER,
  hourly_rate DECIMAL(10,2) DEFAULT 0,
  installed_on DATE,
  retired BOOLEAN NOT NULL DEFAULT 0
);
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email VARCHAR(60) NOT NULL UNIQUE,
  name TEXT,
  active BOOLEAN NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL
);
CREATE TABLE shifts (
  id INTEGER PRIMARY KEY,
  machine_id INTEGER NOT NULL REFERENCES machines(id) ON DELETE CASCADE,
  operator_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  started_at DATETIME NOT NULL,
  ended_at DATETIME,
  CONSTRAINT shift_order CHECK (ended_at IS NULL OR ended_at > started_at)
);
CREATE INDEX shifts_machine ON shifts (machine_id, started_at);
CREATE TABLE production_orders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  order_no TEXT NOT NULL,
  machine_id INTEGER NOT NULL REFERENCES machines(id),
  shift_id INTEGER REFERENCES shifts(id),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  status TEXT NOT NULL DEFAULT 'open',
  weight REAL,
  due_at DATETIME NOT NULL,
  rush BOOLEAN NOT NULL DEFAULT 0,
  notes TEXT
);
CREATE INDEX production_orders_machine ON production_orders (machine_id);
CREATE INDEX production_orders_shift ON production_orders (shift_id);
`;

export interface SqliteBenchFile {
  path: string;
  bytes: number;
  rows: Record<AppTable, number>;
  /** Building it in this run; undefined when the cached file was used. */
  buildMs?: number;
}

/** mulberry32: a small seeded generator, so the file is the same on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
/** Wall-clock text as SQLite applications store DATETIME: the digits of `ms` read as UTC. */
function wallClock(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function fill(db: Database): void {
  const rnd = random(20240305);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const insert = (sql: string, rows: number, row: (i: number) => (string | number | null)[]): void => {
    const statement = db.prepare(sql);
    try {
      for (let i = 1; i <= rows; i++) statement.run(row(i));
    } finally {
      statement.free();
    }
  };
  insert('INSERT INTO machines VALUES (?, ?, ?, ?, ?, ?)', ROW_COUNTS.machines, (i) => [
    i, `M-${pad(i, 4)}`, int(20, 400), int(15000, 90000) / 100, `20${pad(int(5, 22))}-${pad(int(1, 12))}-${pad(int(1, 28))}`, rnd() < 0.05 ? 1 : 0,
  ]);
  insert('INSERT INTO users VALUES (?, ?, ?, ?, ?)', ROW_COUNTS.users, (i) => [
    i, `user${i}@plant.example.co.za`, rnd() < 0.03 ? null : `Operator ${i}`, rnd() < 0.9 ? 1 : 0,
    wallClock(Date.UTC(2020, 0, 1) + int(0, 3 * 365 * 24) * HOUR + int(0, 3599) * 1000),
  ]);
  // Shift ids run machine by machine; shift k of a machine starts k × 8 hours after the first.
  const shiftStart = (id: number): number => FIRST_SHIFT + ((id - 1) % SHIFTS_PER_MACHINE) * SHIFT_HOURS * HOUR;
  insert('INSERT INTO shifts VALUES (?, ?, ?, ?, ?)', ROW_COUNTS.shifts, (i) => {
    const start = shiftStart(i);
    const last = (i - 1) % SHIFTS_PER_MACHINE === SHIFTS_PER_MACHINE - 1;
    return [i, Math.ceil(i / SHIFTS_PER_MACHINE), rnd() < 0.02 ? null : int(1, ROW_COUNTS.users),
      wallClock(start), last ? null : wallClock(start + SHIFT_HOURS * HOUR - int(0, 20) * 60_000)];
  });
  insert('INSERT INTO production_orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', ROW_COUNTS.production_orders, (i) => {
    const shift = int(1, ROW_COUNTS.shifts);
    const status = STATUSES[int(0, STATUSES.length - 1)]!;
    return [i, `PO-${pad(i, 7)}`, Math.ceil(shift / SHIFTS_PER_MACHINE), rnd() < 0.01 ? null : shift, int(1, 5000), status,
      rnd() < 0.1 ? null : Math.round(rnd() * 250_000) / 100, wallClock(shiftStart(shift) + int(1, 72) * HOUR),
      rnd() < 0.08 ? 1 : 0, rnd() < 0.7 ? null : `batch ${int(1, 999)}, line ${int(1, 12)}${status === 'cancelled' ? ': cancelled by planner' : ''}`];
  });
}

/** The generator's text decides whether the cached file is still this generator's output. */
function generatorKey(): string {
  return createHash('sha256').update(readFileSync(__filename)).digest('hex');
}

export async function sqliteBenchFile(dir: string, log: (line: string) => void = () => undefined): Promise<SqliteBenchFile> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'app.db');
  const keyPath = join(dir, 'app.db.key');
  const key = generatorKey();
  const rows = { ...ROW_COUNTS };
  if (existsSync(path) && existsSync(keyPath) && readFileSync(keyPath, 'utf8').trim() === key) {
    const bytes = readFileSync(path).length;
    log(`bench: sqlite: using the cached ${path} (${(bytes / 1024 / 1024).toFixed(1)} MiB, ${TOTAL_ROWS.toLocaleString('en')} rows)`);
    return { path, bytes, rows };
  }
  const start = performance.now();
  const db = await openSqliteBytes(new Uint8Array());
  let bytes: Uint8Array;
  try {
    db.exec(SCHEMA);
    db.exec('BEGIN');
    fill(db);
    db.exec('COMMIT');
    for (const table of APP_TABLES) {
      const count = Number(db.exec(`SELECT count(*) FROM ${table}`)[0]!.values[0]![0]);
      if (count !== ROW_COUNTS[table]) throw new Error(`generated ${count} rows in ${table}, expected ${ROW_COUNTS[table]}`);
    }
    bytes = db.export();
  } finally {
    db.close();
  }
  writeFileSync(`${path}.part`, bytes);
  renameSync(`${path}.part`, path);
  writeFileSync(keyPath, `${key}\n`);
  const buildMs = performance.now() - start;
  log(`bench: sqlite: built ${path} in ${(buildMs / 1000).toFixed(1)} s (${(bytes.length / 1024 / 1024).toFixed(1)} MiB, ${TOTAL_ROWS.toLocaleString('en')} rows)`);
  return { path, bytes: bytes.length, rows, buildMs };
}
