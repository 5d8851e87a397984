/**
 * The schema model: plain data keyed by stable ids, built from the catalog and compared by the diff.
 *
 * Every definition is text the server itself printed (format_type, pg_get_expr, pg_get_indexdef,
 * pg_get_constraintdef, pg_get_viewdef, pg_get_functiondef, pg_get_triggerdef), so the same schema
 * reads the same on two databases. Nothing here depends on oids, which differ between databases.
 * Optional fields are omitted rather than set to undefined so the JSON is canonical.
 */

/** "schema:\"public\"", "table:\"public\".\"Job\"", "column:\"public\".\"Job\".\"status\"", … */
export type ObjectId = string;

/** Owner and privileges: modelled always, compared only when the user asks. */
export interface Ownership {
  owner: string;
  /** aclitem texts ("alice=arwdDxt/owner"), sorted; absent when the object has default privileges. */
  acl?: string[];
}

export interface Commented {
  comment?: string;
}

export interface Schema extends Ownership, Commented {
  id: ObjectId;
  name: string;
}

export interface Extension extends Commented {
  id: ObjectId;
  name: string;
  schema: string;
  version: string;
}

export interface EnumType extends Ownership, Commented {
  id: ObjectId;
  schema: string;
  name: string;
  /** Labels in their sort order (enumsortorder), which is the order ADD VALUE must preserve. */
  values: string[];
}

export interface DomainCheck {
  name: string;
  definition: string;
  validated: boolean;
}

export interface DomainType extends Ownership, Commented {
  id: ObjectId;
  schema: string;
  name: string;
  baseType: string;
  notNull: boolean;
  default?: string;
  collation?: string;
  checks: DomainCheck[];
}

export interface CompositeAttribute {
  name: string;
  type: string;
  collation?: string;
}

export interface CompositeType extends Ownership, Commented {
  id: ObjectId;
  schema: string;
  name: string;
  attributes: CompositeAttribute[];
}

export interface SequenceOptions {
  dataType: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
}

export interface Sequence extends Ownership, Commented, SequenceOptions {
  id: ObjectId;
  schema: string;
  name: string;
  /** OWNED BY: the sequence is dropped with this column. */
  ownedBy?: { table: ObjectId; column: string };
}

export type Identity = 'always' | 'by default';

export interface Column extends Commented {
  name: string;
  /** format_type(atttypid, atttypmod): "character varying(40)", "numeric(12,2)", "\"JobStatus\"". */
  type: string;
  notNull: boolean;
  default?: string;
  identity?: { kind: Identity; sequence: SequenceOptions };
  /** Expression of a generated column; stored, or virtual (PostgreSQL 18). */
  generated?: { expression: string; kind: 'stored' | 'virtual' };
  /** Only when it differs from the type's default collation. */
  collation?: string;
  /** Per-column TOAST compression (PostgreSQL 14+), only when set explicitly. */
  compression?: string;
  /** Storage strategy, only when it differs from the type's default. */
  storage?: 'plain' | 'external' | 'extended' | 'main';
  /** Defined only by a parent table (inheritance or partitioning), not locally. */
  inherited?: true;
  acl?: string[];
}

export type TableKind = 'table' | 'partitioned table' | 'foreign table';

export interface Table extends Ownership, Commented {
  id: ObjectId;
  schema: string;
  name: string;
  kind: TableKind;
  unlogged?: true;
  /** Columns in attnum order, dropped columns skipped. */
  columns: Column[];
  /** pg_get_partkeydef: "RANGE (created_at)". */
  partitionKey?: string;
  /** For a partition: its parent and bound ("FOR VALUES FROM (…) TO (…)", "DEFAULT"). */
  partitionOf?: { parent: ObjectId; bound: string };
  /** Classic (non-partition) inheritance parents, in inhseqno order. */
  inherits?: ObjectId[];
  rowSecurity: boolean;
  forceRowSecurity: boolean;
  /** reloptions, e.g. "fillfactor=70", sorted. */
  options?: string[];
  /** REPLICA IDENTITY when not DEFAULT. */
  replicaIdentity?: 'nothing' | 'full' | 'index';
}

export type ConstraintKind = 'primary key' | 'unique' | 'check' | 'foreign key' | 'exclusion';
export type ForeignKeyAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface Constraint extends Commented {
  id: ObjectId;
  table: ObjectId;
  name: string;
  kind: ConstraintKind;
  /** pg_get_constraintdef: "FOREIGN KEY (\"jobId\") REFERENCES \"Job\"(id) ON DELETE CASCADE". */
  definition: string;
  columns: string[];
  deferrable: boolean;
  initiallyDeferred: boolean;
  /** false for NOT VALID constraints: existing rows were never checked. */
  validated: boolean;
  /** false for NOT ENFORCED constraints (PostgreSQL 18). */
  enforced: boolean;
  /** Inherited from a parent table or cloned from a partitioned parent. */
  inherited?: true;
  /** NULLS NOT DISTINCT on a unique constraint (PostgreSQL 15+). */
  nullsNotDistinct?: true;
  foreignKey?: {
    referencedTable: ObjectId;
    referencedColumns: string[];
    onUpdate: ForeignKeyAction;
    onDelete: ForeignKeyAction;
    match: 'simple' | 'full' | 'partial';
  };
}

export interface Index extends Commented {
  id: ObjectId;
  /** The table or materialized view indexed. */
  table: ObjectId;
  schema: string;
  name: string;
  /**
   * pg_get_indexdef: the full CREATE INDEX statement. Absent for an index that implements a
   * constraint: the constraint's definition describes it, and it is created and dropped with it.
   */
  definition?: string;
  method: string;
  /** Storage parameters (reloptions), e.g. "fillfactor=70", sorted. */
  options?: string[];
  unique: boolean;
  /** Key columns or expressions, as printed by pg_get_indexdef(oid, k, true). */
  keys: string[];
  include?: string[];
  predicate?: string;
  nullsNotDistinct?: true;
  /** The constraint this index implements (primary key, unique, exclusion): created with it. */
  constraint?: string;
  /** For an index on a partition attached to an index on the partitioned parent. */
  parentIndex?: ObjectId;
  /** false after a failed CREATE INDEX CONCURRENTLY. */
  valid: boolean;
  /** The table's REPLICA IDENTITY USING INDEX. */
  replicaIdentity?: true;
}

export interface ViewColumn extends Commented {
  name: string;
  type: string;
}

export interface View extends Ownership, Commented {
  id: ObjectId;
  schema: string;
  name: string;
  materialized: boolean;
  /** pg_get_viewdef(oid, true): the SELECT the view stores. */
  definition: string;
  columns: ViewColumn[];
  /** reloptions: security_barrier, security_invoker, check_option, …, sorted. */
  options?: string[];
  /** Materialized views only: false when created WITH NO DATA. */
  populated?: boolean;
}

export type RoutineKind = 'function' | 'procedure' | 'aggregate' | 'window';

export interface Routine extends Ownership, Commented {
  /** Includes the identity arguments: "function:\"public\".\"touch\"(integer, text)". */
  id: ObjectId;
  schema: string;
  name: string;
  kind: RoutineKind;
  /** pg_get_function_identity_arguments: the part of the signature that identifies it. */
  identityArguments: string;
  /** pg_get_function_arguments: with names and defaults. */
  arguments: string;
  /** pg_get_function_result; absent for procedures. */
  returns?: string;
  language: string;
  volatility: 'immutable' | 'stable' | 'volatile';
  strict: boolean;
  securityDefiner: boolean;
  leakproof: boolean;
  parallel: 'safe' | 'restricted' | 'unsafe';
  /** SET clauses (proconfig), e.g. "search_path=public". */
  config?: string[];
  /** pg_get_functiondef: the whole CREATE OR REPLACE statement (not for aggregates). */
  definition?: string;
}

export type TriggerEvent = 'insert' | 'update' | 'delete' | 'truncate';

export interface Trigger extends Commented {
  id: ObjectId;
  /** The table or view the trigger is on. */
  table: ObjectId;
  name: string;
  /** pg_get_triggerdef(oid, true): the whole CREATE TRIGGER statement. */
  definition: string;
  function: ObjectId;
  timing: 'before' | 'after' | 'instead of';
  events: TriggerEvent[];
  /** UPDATE OF columns. */
  updateColumns?: string[];
  level: 'row' | 'statement';
  when?: string;
  /** O = fires in origin/local mode (the default), D disabled, R replica only, A always. */
  enabled: 'origin' | 'disabled' | 'replica' | 'always';
  constraint?: { deferrable: boolean; initiallyDeferred: boolean };
  /** REFERENCING OLD TABLE AS … / NEW TABLE AS … */
  oldTable?: string;
  newTable?: string;
  /** Cloned onto a partition from a trigger on its partitioned parent. */
  inherited?: true;
}

export interface Policy extends Commented {
  id: ObjectId;
  table: ObjectId;
  name: string;
  command: 'all' | 'select' | 'insert' | 'update' | 'delete';
  permissive: boolean;
  /** Role names; "public" for PUBLIC. Sorted. */
  roles: string[];
  using?: string;
  withCheck?: string;
}

export type DependencyType = 'normal' | 'auto' | 'internal';

/** `from` cannot exist without `to` (pg_depend: dependent → referenced). */
export interface Dependency {
  from: ObjectId;
  to: ObjectId;
  type: DependencyType;
}

export interface SchemaModel {
  schemas: Schema[];
  extensions: Extension[];
  enums: EnumType[];
  domains: DomainType[];
  composites: CompositeType[];
  sequences: Sequence[];
  tables: Table[];
  constraints: Constraint[];
  indexes: Index[];
  views: View[];
  routines: Routine[];
  triggers: Trigger[];
  policies: Policy[];
  dependencies: Dependency[];
}

/** Where a model came from; kept beside the model, not in it, so it never changes the fingerprint. */
export interface ModelSource {
  serverVersion: string;
  serverVersionNum: number;
  database: string;
}

export interface Inspection {
  source: ModelSource;
  fingerprint: string;
  model: SchemaModel;
}
