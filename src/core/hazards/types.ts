/**
 * Hazards are typed data on plan statements: one closed set of codes from the catalogue
 * (../shared/docs/HAZARDS.md), each with a severity, a message and, once measured on the
 * from-database, evidence. Every surface (CLI exit code, tree, SQL comments, diagnostics) reads
 * these fields; nothing detects danger by reading SQL text.
 */
import type { ObjectId } from '../model/types';

export type HazardSeverity = 'data-loss' | 'failure' | 'lock' | 'compat' | 'transaction';

/**
 * The codes pgdrift knows. Static ones come from the statement alone; the data-loss and failure
 * codes become exact (counts, samples) when a probe has measured them.
 */
export type HazardCode =
  | 'DL-01' // DROP TABLE: the table's rows
  | 'DL-02' // DROP COLUMN: the column's values
  | 'FL-01' // ADD COLUMN … NOT NULL without a default fails on a table with rows
  | 'FL-02' // SET NOT NULL fails while the column holds NULLs
  | 'LK-02' // ADD COLUMN that rewrites the table (volatile default, identity, stored generated)
  | 'LK-03' // ALTER COLUMN TYPE that rewrites the table and its indexes
  | 'LK-04' // SET NOT NULL: full scan under ACCESS EXCLUSIVE
  | 'LK-05' // ADD CHECK without NOT VALID: full scan under ACCESS EXCLUSIVE
  | 'LK-06' // ADD FOREIGN KEY without NOT VALID: scan, and a lock on the referenced table
  | 'LK-07' // ADD UNIQUE / PRIMARY KEY: index build under ACCESS EXCLUSIVE
  | 'LK-08' // CREATE INDEX (not CONCURRENTLY) on an existing table: writes blocked while it builds
  | 'LK-09' // DROP INDEX (not CONCURRENTLY): ACCESS EXCLUSIVE on the table
  | 'LK-10' // dropping a foreign key or a referencing table locks the referenced table too
  | 'LK-13' // ADD EXCLUDE: cannot be NOT VALID; scan and index build under ACCESS EXCLUSIVE
  | 'CP-03' // DROP NOT NULL: readers may now see NULLs
  | 'TX-01'; // runs outside the transaction: not rolled back if a later statement fails

/** A count from a bounded probe: `capped` means "at least this many" (the probe stopped there). */
export interface BoundedCount {
  value: number;
  capped: boolean;
}

/** What a probe on the from-database found. */
export interface Evidence {
  /** Rows of the table concerned. */
  rows?: BoundedCount;
  /** Non-null values that would be lost. */
  values?: BoundedCount;
  /** Rows holding NULL where NOT NULL is about to be required. */
  nulls?: BoundedCount;
  /** Up to five of those values, as text (each cut at 200 characters). */
  samples?: string[];
  /** Set when the probe could not answer; the hazard then stands as stated, unmeasured. */
  unknown?: 'timed out' | 'table locked';
}

/** Quoted, schema-qualified names a probe can use as they are. */
export interface ProbeTarget {
  table: string;
  column?: string;
}

export interface Hazard {
  code: HazardCode;
  severity: HazardSeverity;
  /** The object the hazard is about (a table for a lock, a column for lost values). */
  object: ObjectId;
  /** One sentence a user can act on; with evidence, it gives the numbers. */
  message: string;
  /** For hazards a probe can measure: what to look at. */
  target?: ProbeTarget;
  /** Present once measured on the from-database. */
  evidence?: Evidence;
}

export const SEVERITY: Record<HazardCode, HazardSeverity> = {
  'DL-01': 'data-loss',
  'DL-02': 'data-loss',
  'FL-01': 'failure',
  'FL-02': 'failure',
  'LK-02': 'lock',
  'LK-03': 'lock',
  'LK-04': 'lock',
  'LK-05': 'lock',
  'LK-06': 'lock',
  'LK-07': 'lock',
  'LK-08': 'lock',
  'LK-09': 'lock',
  'LK-10': 'lock',
  'LK-13': 'lock',
  'CP-03': 'compat',
  'TX-01': 'transaction',
};

export function hazard(code: HazardCode, object: ObjectId, message: string, target?: ProbeTarget): Hazard {
  return { code, severity: SEVERITY[code], object, message, ...(target ? { target } : {}) };
}
