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
  | 'DL-04' // a dropped and an added column that look like a rename: the old values
  | 'DL-05' // twin columns (same name up to case or snake/camel form): values to copy first
  | 'DL-06' // a dropped and a created table that look like a rename: the old rows
  | 'DL-08' // a USING cast that silently truncates or rounds
  | 'DL-09' // enum value removed while rows use it
  | 'DL-10' // a sequence (or an identity) dropped on its own: its position is lost (compat: a counter, not rows; not measured)
  | 'FL-01' // ADD COLUMN … NOT NULL without a default fails on a table with rows
  | 'FL-02' // SET NOT NULL fails while the column holds NULLs
  | 'FL-03' // type change whose cast fails on some stored values
  | 'FL-04' // narrowing type change (length, precision, range) that existing values exceed
  | 'FL-05' // new UNIQUE / PRIMARY KEY on columns holding duplicates
  | 'FL-06' // new FOREIGN KEY while rows point at missing parents
  | 'FL-07' // new CHECK that existing rows violate
  | 'FL-15' // type change on a column whose default cannot be cast
  | 'LK-02' // ADD COLUMN that rewrites the table (volatile default, identity, stored generated)
  | 'LK-03' // ALTER COLUMN TYPE that rewrites the table and its indexes
  | 'LK-04' // SET NOT NULL: full scan under ACCESS EXCLUSIVE
  | 'LK-05' // ADD CHECK without NOT VALID: full scan under ACCESS EXCLUSIVE
  | 'LK-06' // ADD FOREIGN KEY without NOT VALID: scan, and a lock on the referenced table
  | 'LK-07' // ADD UNIQUE / PRIMARY KEY: index build under ACCESS EXCLUSIVE
  | 'LK-08' // CREATE INDEX (not CONCURRENTLY) on an existing table: writes blocked while it builds
  | 'LK-09' // DROP INDEX (not CONCURRENTLY): ACCESS EXCLUSIVE on the table
  | 'LK-10' // dropping a foreign key or a referencing table locks the referenced table too
  | 'LK-11' // ATTACH PARTITION scans the partition under ACCESS EXCLUSIVE; DETACH without CONCURRENTLY
  | 'LK-13' // ADD EXCLUDE: cannot be NOT VALID; scan and index build under ACCESS EXCLUSIVE
  | 'LK-14' // ALTER DOMAIN … ADD CONSTRAINT / SET NOT NULL: checks every column of the domain, blocking writes
  | 'LK-15' // other ACCESS EXCLUSIVE forms: SET LOGGED/UNLOGGED (rewrite), ENABLE/DISABLE/FORCE ROW LEVEL SECURITY
  | 'CP-01' // a declared rename: code still using the old name breaks
  | 'CP-03' // DROP NOT NULL: readers may now see NULLs
  | 'CP-05' // RLS enabled with no policy; a recreated table or view loses its grants (privileges not compared)
  | 'CP-07' // ALTER EXTENSION … UPDATE, DROP EXTENSION
  | 'CP-08' // a json column on an existing table: no equality operator (DISTINCT, GROUP BY, UNION fail)
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
  /**
   * Rows that make the statement fail or that it would change: values the cast rejects, values it
   * would truncate or round, rows using a removed enum value, orphans of a new foreign key, rows
   * violating a new CHECK, rows in duplicate groups of a new unique key.
   */
  failing?: BoundedCount;
  /** For a new unique key: how many distinct duplicated keys. */
  groups?: BoundedCount;
  /** For twin columns: values only the old twin holds (to copy), and values the two disagree on. */
  toCopy?: BoundedCount;
  conflicts?: BoundedCount;
  /** Up to five of those values, as text (each cut at 200 characters). */
  samples?: string[];
  /**
   * Set when the probe could not answer; the hazard then stands as stated, unmeasured (and
   * blocking). `probe budget spent`: the plan's probes had used up their time together before this
   * one could finish; `too many rows`: an exact search (duplicate keys) would read more rows than
   * the limits allow, so it did not start.
   */
  unknown?: 'timed out' | 'table locked' | 'probe budget spent' | 'too many rows';
}

/**
 * What a probe looks at, as SQL fragments it can use as they are (names quoted, the table
 * schema-qualified). The same fragments drive the backup a remedy writes, so what is counted is
 * exactly what is saved.
 */
export interface ProbeTarget {
  table: string;
  column?: string;
  /**
   * A predicate over the table (alias `t`) that selects the rows concerned: the values lost, the
   * rows that would fail. Absent: the whole table (DL-01, FL-01).
   */
  where?: string;
  /** An expression (alias `t`) shown as a sample of each row found; default: the column as text. */
  sample?: string;
  /** The table's primary-key columns, quoted, when it has one (backups keep them with the values). */
  key?: string[];
  /** For a type change: the column's current and new type (the probe picks the exact method per version). */
  cast?: { from: string; to: string };
  /** For a new unique key: the columns, quoted, and whether NULLs count as equal. */
  unique?: { columns: string[]; nullsNotDistinct?: boolean };
  /** For a twin column (DL-05): the kept column, quoted, that receives the values before the drop. */
  copyInto?: string;
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
  /** What the plan does about it (a backup, a copy, a cast policy), in one sentence. */
  remedy?: string;
  /**
   * Set when the user decided: `policy` when a remedy they chose handles it (a cast policy, a
   * mapping), `directive` when they accepted it by name (`-- pgdrift:accept`, `--accept`).
   */
  accepted?: 'policy' | 'directive';
}

export const SEVERITY: Record<HazardCode, HazardSeverity> = {
  'DL-01': 'data-loss',
  'DL-02': 'data-loss',
  'DL-04': 'data-loss',
  'DL-05': 'data-loss',
  'DL-06': 'data-loss',
  'DL-08': 'data-loss',
  'DL-09': 'data-loss',
  // HAZARDS.md calls it DATA LOSS (counter): no stored row or value goes, and no probe measures
  // the position yet, so it is reported, not blocking (an unmeasured data-loss code always blocks).
  'DL-10': 'compat',
  'FL-01': 'failure',
  'FL-02': 'failure',
  'FL-03': 'failure',
  'FL-04': 'failure',
  'FL-05': 'failure',
  'FL-06': 'failure',
  'FL-07': 'failure',
  'FL-15': 'failure',
  'LK-02': 'lock',
  'LK-03': 'lock',
  'LK-04': 'lock',
  'LK-05': 'lock',
  'LK-06': 'lock',
  'LK-07': 'lock',
  'LK-08': 'lock',
  'LK-09': 'lock',
  'LK-10': 'lock',
  'LK-11': 'lock',
  'LK-13': 'lock',
  'LK-14': 'lock',
  'LK-15': 'lock',
  'CP-01': 'compat',
  'CP-03': 'compat',
  'CP-05': 'compat',
  'CP-07': 'compat',
  'CP-08': 'compat',
  'TX-01': 'transaction',
};

export function hazard(code: HazardCode, object: ObjectId, message: string, target?: ProbeTarget): Hazard {
  return { code, severity: SEVERITY[code], object, message, ...(target ? { target } : {}) };
}
