/**
 * Row counts of every user table, exact when the table is small enough to count and otherwise the
 * planner's estimate, labelled so.
 *
 * How big a table is comes from pg_class, as the planner reads it: reltuples rows over relpages
 * pages at the last VACUUM/ANALYZE, scaled to the table's current size (the planner does the same,
 * so a table filled since it was analysed is not mistaken for a small one). A table never analysed
 * has reltuples = -1 from PostgreSQL 14, and relpages = 0 on every version (0 rows over 0 pages on
 * 13, which an empty table also shows): its size on disk bounds its rows (at most
 * MaxHeapTuplesPerPage per page), and a table whose bound passes the limit gets the planner's own
 * guess from EXPLAIN instead.
 *
 * Partitioned tables are counted as a whole (count(*) reads every partition) and their partitions
 * on their own too; their size is the sum of their leaf partitions'. Foreign tables are left out
 * (counting them reads the remote server), and so are temporary tables, extension members, the
 * system schemas and pgdrift_backup (backups.ts counts those against the manifest).
 */
import type { Queryable } from '../../db/queryable';
import { quoteIdent } from '../../model/ids';
import { displayIdent } from '../../render/objectName';
import { exactCounts } from './exactCounts';

export interface RowCount {
  /** public."TimeEntry". */
  table: string;
  rows: number;
  exact: boolean;
}

export interface RowCountSnapshot {
  counts: Map<string, RowCount>;
  notes: string[];
}

interface TableRow {
  schema: string;
  name: string;
  reltuples: number;
  relpages: string;
  bytes: string;
  block_size: string;
  readable: boolean;
}

const TABLES_SQL = `
  SELECT n.nspname AS schema, c.relname AS name,
    coalesce(p.reltuples, c.reltuples)::float8 AS reltuples,
    coalesce(p.relpages, c.relpages)::int8::text AS relpages,
    coalesce(p.bytes, pg_catalog.pg_relation_size(c.oid))::int8::text AS bytes,
    pg_catalog.current_setting('block_size') AS block_size,
    pg_catalog.has_table_privilege(c.oid, 'SELECT') AS readable
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN LATERAL (
    SELECT CASE WHEN bool_or(l.reltuples < 0) THEN -1 ELSE coalesce(sum(l.reltuples), 0) END AS reltuples,
      coalesce(sum(l.relpages), 0) AS relpages,
      coalesce(sum(pg_catalog.pg_relation_size(l.oid)), 0) AS bytes
    FROM pg_catalog.pg_partition_tree(c.oid) t
    JOIN pg_catalog.pg_class l ON l.oid = t.relid
    WHERE t.isleaf AND l.relkind = 'r'
  ) p ON c.relkind = 'p'
  WHERE c.relkind IN ('r', 'p') AND c.relpersistence <> 't'
    AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgdrift_backup')
    AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
    AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend d
      WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'e')
  ORDER BY n.nspname, c.relname`;

export async function countRows(q: Queryable, exactCountLimit: number): Promise<RowCountSnapshot> {
  const tables = (await q.query<TableRow>(TABLES_SQL)).rows;
  const counts = new Map<string, RowCount>();
  const notes: string[] = [];
  const exact: { table: string; sql: string }[] = [];
  for (const t of tables) {
    const table = `${displayIdent(t.schema)}.${displayIdent(t.name)}`;
    const sql = `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
    if (!t.readable) {
      notes.push(`${table} is not readable by this role: its rows are not counted`);
      continue;
    }
    const size = sizeOf(t);
    if (size.upTo <= exactCountLimit) {
      exact.push({ table, sql });
    } else if (size.estimate !== undefined) {
      counts.set(table, { table, rows: size.estimate, exact: false });
    } else {
      counts.set(table, { table, rows: await plannerGuess(q, sql), exact: false });
      notes.push(`${table} has never been analysed: its row count is the planner's guess from its size`);
    }
  }
  const rows = await exactCounts(q, exact.map((t) => t.sql));
  exact.forEach((t, i) => counts.set(t.table, { table: t.table, rows: rows[i] ?? 0, exact: true }));
  return { counts, notes };
}

/**
 * The planner's estimate of a table's rows (undefined when it has none), and an upper bound on
 * them: the estimate itself when there is one, else what its pages can hold at most.
 */
function sizeOf(t: TableRow): { estimate?: number; upTo: number } {
  const blockSize = Number(t.block_size);
  const pages = Math.ceil(Number(t.bytes) / blockSize);
  const relpages = Number(t.relpages);
  if (t.reltuples >= 0 && relpages > 0) {
    const estimate = Math.round((t.reltuples / relpages) * pages);
    return { estimate, upTo: estimate };
  }
  // MaxHeapTuplesPerPage: a page header of 24 bytes, then per tuple a 4-byte line pointer and a
  // header of at least 24 bytes.
  const maxTuplesPerPage = Math.floor((blockSize - 24) / (24 + 4));
  return { upTo: pages * maxTuplesPerPage };
}

async function plannerGuess(q: Queryable, table: string): Promise<number> {
  const r = await q.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) SELECT 1 FROM ${table}`);
  const plan = r.rows[0]?.['QUERY PLAN'];
  const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as { Plan?: { 'Plan Rows'?: number } }[];
  return Math.round(parsed[0]?.Plan?.['Plan Rows'] ?? 0);
}
