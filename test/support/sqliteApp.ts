/**
 * A small production application's SQLite database, built with sql.js in the test: users,
 * machines, shifts and production orders, DATETIME values written as local South African time
 * (SAST, UTC+2, no daylight saving), booleans as 0/1, and on purpose a few values PostgreSQL's
 * types will not take (text in an INTEGER column, 2 in a BOOLEAN, a DATETIME that is no date, an
 * e-mail longer than its VARCHAR(40)).
 */
import type { Database } from 'sql.js';
import { openSqliteBytes } from '../../src/core/sqlite';

export const APP_SCHEMA = `
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email VARCHAR(40) NOT NULL,
  name TEXT,
  active BOOLEAN NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX users_email_unique ON users (email);
CREATE TABLE machines (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  capacity_per_hour INTEGER,
  hourly_rate DECIMAL(10,2) DEFAULT 0,
  installed_on DATE,
  retired BOOLEAN DEFAULT 0
);
CREATE TABLE shifts (
  id INTEGER PRIMARY KEY,
  machine_id INTEGER NOT NULL REFERENCES machines(id) ON DELETE CASCADE,
  operator_id INTEGER REFERENCES users ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
  started_at DATETIME NOT NULL,
  ended_at DATETIME,
  CONSTRAINT shift_order CHECK (ended_at IS NULL OR ended_at > started_at)
);
CREATE TABLE production_orders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  order_no TEXT NOT NULL,
  machine_id INTEGER NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  status TEXT NOT NULL DEFAULT 'open',
  weight REAL DEFAULT -1.5,
  due_at TIMESTAMP DEFAULT (datetime('now', '+1 day')),
  notes TEXT CHECK (length(notes) <= 500),
  batch_code TEXT CHECK (batch_code GLOB '[A-Z]*'),
  payload BLOB,
  FOREIGN KEY (machine_id) REFERENCES machines(id) ON DELETE CASCADE ON UPDATE NO ACTION
);
CREATE INDEX production_orders_open ON production_orders (machine_id, due_at DESC) WHERE status = 'open';
CREATE INDEX production_orders_lower_no ON production_orders (lower(order_no));
CREATE VIEW open_orders AS SELECT * FROM production_orders WHERE status = 'open';
`;

export const APP_ROWS = `
INSERT INTO users (id, email, name, active, created_at) VALUES
  (1, 'thandi@example.co.za', 'Thandi', 1, '2024-03-05 08:00:00'),
  (2, 'pieter@example.co.za', 'Pieter', 0, '2024-03-05 23:30:00'),
  (3, 'a-very-long-address-for-a-varchar-40@example.co.za', NULL, 1, '2024-01-01 00:00:00');
INSERT INTO machines (id, code, capacity_per_hour, hourly_rate, installed_on, retired) VALUES
  (1, 'PRESS-1', 120, 350.50, '2019-06-01', 0),
  (2, 'LATHE-2', 'n/a', 410, '2021-02-15', 1),
  (3, 'MILL-3', 60, 0, NULL, 2);
INSERT INTO shifts (id, machine_id, operator_id, started_at, ended_at) VALUES
  (1, 1, 1, '2024-03-05 06:00:00', '2024-03-05 14:00:00'),
  (2, 1, 2, '2024-03-05 14:00:00', NULL),
  (3, 3, 1, '2024-03-06 22:00:00', 'yesterday');
INSERT INTO production_orders (order_no, machine_id, quantity, status, weight, due_at, notes, batch_code, payload) VALUES
  ('PO-1001', 1, 500, 'open', 12.5, '2024-03-08 17:00:00', 'rush', 'A1', X'DEADBEEF'),
  ('PO-1002', 2, 40, 'done', NULL, '2024-03-01 09:15:30', NULL, NULL, NULL);
`;

export async function buildAppDatabase(): Promise<Database> {
  const db = await openSqliteBytes(new Uint8Array());
  db.exec(APP_SCHEMA);
  db.exec(APP_ROWS);
  return db;
}
