/**
 * A plan is a list of statements, each declaring which objects it brings into being, which it
 * removes, and which it relies on before and after the change. Ordering is computed from those
 * declarations (see graph.ts), never from the order in which the differs happened to emit them.
 */
import type { Hazard } from '../hazards/types';
import type { ObjectId } from '../model/types';

/**
 * Phases in run order. A phase runs as one unit (one transaction unless a statement cannot run in
 * one), so every dependency edge points from a phase to the same or a later one.
 * - preflight: expectations that encode what the probes measured (the run stops if the database
 *   no longer looks like that);
 * - backup: copies of exactly the data the plan destroys, into the pgdrift_backup schema;
 * - expand: additive changes (schemas, types, tables, columns, constraints, indexes, views), and
 *   the drops they need out of the way first (a view over a column whose type changes, dropped
 *   and recreated in the same transaction);
 * - migrate-data: copies between columns (twins, renames) and data fixes;
 * - routines: functions and procedures, then the triggers that call them;
 * - contract: drops of what the desired state no longer has;
 * - validate: deferred validations (VALIDATE CONSTRAINT) and the object and row counts the run
 *   must see.
 * The diff places statements in expand, migrate-data, routines and contract; preflight, backup
 * and validate come from the remedies (hazards/remedies.ts).
 */
export const PHASES = ['preflight', 'backup', 'expand', 'migrate-data', 'routines', 'contract', 'validate'] as const;
export type PhaseName = (typeof PHASES)[number];

export type StatementAction = 'create' | 'drop' | 'alter';

export interface Statement {
  /** One SQL statement, without the trailing semicolon. */
  sql: string;
  /** The object the statement acts on; also what the statement is sorted and reported by. */
  object: ObjectId;
  action: StatementAction;
  /** Where the statement belongs when nothing forces it elsewhere. */
  phase: PhaseName;
  /** Objects that exist (in their desired form) once the statement has run. */
  creates?: ObjectId[];
  /** Objects (in their current form) that no longer exist once the statement has run. */
  drops?: ObjectId[];
  /** Objects in their desired form that must exist before the statement runs. */
  needs?: ObjectId[];
  /** Objects in their current form that must still exist when the statement runs. */
  holds?: ObjectId[];
  /** Objects in their current form that must be gone first (a primary key before DROP NOT NULL). */
  afterDropOf?: ObjectId[];
  /** False for statements PostgreSQL refuses inside a transaction block. */
  transactional?: false;
  /** What running it risks, known from the statement alone (locks, rewrites, lost data). */
  hazards?: Hazard[];
  /**
   * For an expectation (`-- pgdrift:expect`): `sql` is a query returning one number, which must
   * compare to `value` with `op` when the run reaches it.
   */
  expect?: { op: '=' | '>=' | '<='; value: number };
  /** For `COPY … FROM STDIN`: where the rows come from; the runner streams them (`-- pgdrift:copy-from`). */
  copy?: CopySource;
}

/** A SQLite file's table, its values converted as the plan was made for (the source time zone). */
export interface CopySource {
  kind: 'sqlite';
  /** The SQLite file; a relative path is read from the migration file's folder. */
  path: string;
  /** The SQLite table's name. */
  table: string;
  /** IANA zone the DATETIME text was written in. */
  zone: string;
  /**
   * "sha256:…" of the file when the plan read every value of this table and found all of them fit:
   * a run on the same bytes need not probe them again.
   */
  checked?: string;
}

export type ObjectKind =
  | 'schema' | 'extension' | 'enum' | 'domain' | 'type' | 'sequence' | 'table' | 'column'
  | 'constraint' | 'index' | 'view' | 'materialized view' | 'function' | 'procedure' | 'aggregate'
  | 'window' | 'trigger' | 'policy';

export type ChangeAction = 'create' | 'drop' | 'alter' | 'recreate';

/** One difference between the two models, with the statements that realise it. */
export interface Change {
  id: ObjectId;
  kind: ObjectKind;
  action: ChangeAction;
  /** For a column, constraint, index, trigger or policy: the table (or view) it belongs to. */
  parent?: ObjectId;
  /** Human-readable essentials: "type: text → uuid", "value added: 'archived' after 'done'". */
  details: string[];
  /** Set when the change is not in the models' difference itself but forced by another change. */
  cause?: ObjectId;
  statements: Statement[];
}

/** A statement in its final place. */
export interface PlannedStatement extends Statement {
  /** The phase it runs in, which may be earlier than its preferred one when another needs it. */
  phase: PhaseName;
  /** The change it belongs to. */
  change: ObjectId;
}

export interface Plan {
  changes: Change[];
  /** In run order; phases are contiguous and in PHASES order. */
  statements: PlannedStatement[];
}
