/** What a comparison looks at, with its one place of defaults. */
export interface DiffOptions {
  /** Compare owners (ALTER … OWNER TO). Off by default: environments rarely share roles. */
  owners: boolean;
  /** Compare privileges (GRANT/REVOKE). Off by default, for the same reason. */
  privileges: boolean;
  /** Compare comments (COMMENT ON). On by default. */
  comments: boolean;
  /**
   * Online changes: NOT NULL through a validated CHECK, foreign keys and checks NOT VALID then
   * VALIDATE in a later transaction, indexes built CONCURRENTLY outside a transaction.
   */
  online: boolean;
  /** What to do with values a type change cannot cast, per column ("schema.table.column"). */
  casts: Record<string, CastPolicy>;
  /** Renames the user declared (pgdrift.mapping.json), applied before comparing. */
  mapping: Mapping;
  /**
   * server_version_num of the from-database, when known: SQL written into the plan may use what
   * that version has (pg_input_is_valid from 16); unknown, only what every supported version has.
   */
  serverVersionNum?: number;
}

/**
 * A column's invalid values: `fail` (the default: the plan blocks with the evidence), `null`
 * (they become NULL, backed up first), or `map` (listed values become the given SQL expressions;
 * any other invalid value still fails).
 */
export type CastPolicy = { invalid: 'fail' } | { invalid: 'null' } | { invalid: 'map'; map: Record<string, string> };

/** pgdrift.mapping.json: names are unquoted and case-sensitive, tables as "schema.table". */
export interface Mapping {
  /** Old table → new table name ("public.employees" → "Employee"): same schema. */
  tables: Record<string, string>;
  /** Per table (as named in the desired state): old column → new column. */
  columns: Record<string, Record<string, string>>;
}

export function diffOptions(partial: Partial<DiffOptions> = {}): DiffOptions {
  return { owners: false, privileges: false, comments: true, online: false, casts: {}, mapping: { tables: {}, columns: {} }, ...partial };
}
