/**
 * Reference-data sync: the rows of a few small tables (roles, permissions, lookup lists), compared
 * by primary key between the target (--from) and the desired state (--to), made equal by the
 * statements of the plan's migrate-data phase.
 */
import type { Statement } from '../plan/types';

export const DEFAULT_DATA_MAX_ROWS = 10_000;

/**
 * How the sync's messages name what the user controls: the CLI's options by default; the editor
 * names its settings and the two sides' profiles instead.
 */
export interface DataWording {
  /** What marks a table: `--data`. */
  marked: string;
  /** The row limit: `--data-max-rows`. */
  maxRows: string;
  /** The target: `the target (--from)`. */
  from: string;
  /** The desired state: `--to`. */
  to: string;
}

export const CLI_DATA_WORDING: DataWording = { marked: '--data', maxRows: '--data-max-rows', from: 'the target (--from)', to: '--to' };

export interface DataSyncOptions {
  /** The tables marked as reference data: `schema.table` (or `"Schema"."Table"`), as the to-side names them. */
  tables: string[];
  /** Also delete the target's rows that --to does not have (off by default). */
  deleteMissing?: boolean;
  /** A table with more rows than this on either side is refused (default 10,000). */
  maxRows?: number;
  /** How refusals name the options and sides (default: the CLI's). */
  wording?: DataWording;
}

/** A row of the desired state left out of the plan because a row it refers to will not exist in the target. */
export interface OrphanRow {
  /** The table's id (`table:"public"."RoleAssignment"`). */
  table: string;
  /** The row's primary key, as text, in key-column order. */
  key: (string | null)[];
  /** The foreign key it breaks. */
  constraint: string;
  /** The referenced table's id. */
  references: string;
  /** The missing referenced values, as text. */
  values: (string | null)[];
}

/** What the sync does to one table. */
export interface TableSync {
  table: string;
  inserted: number;
  updated: number;
  deleted: number;
  /** Rows the target keeps although --to does not have them (deleteMissing off). */
  kept: number;
  /** The count the table must have once the data statements ran. */
  expected: number;
}

export interface DataSyncResult {
  /** In run order, all in the migrate-data phase: DELETEs child-first, upserts parent-first, then the count checks. */
  statements: Statement[];
  tables: TableSync[];
  orphans: OrphanRow[];
  /** Deletes that reach tables not marked (by their foreign keys), one sentence each. */
  warnings: string[];
}
