/** What a comparison looks at, with its one place of defaults. */
export interface DiffOptions {
  /** Compare owners (ALTER … OWNER TO). Off by default: environments rarely share roles. */
  owners: boolean;
  /** Compare privileges (GRANT/REVOKE). Off by default, for the same reason. */
  privileges: boolean;
  /** Compare comments (COMMENT ON). On by default. */
  comments: boolean;
}

export function diffOptions(partial: Partial<DiffOptions> = {}): DiffOptions {
  return { owners: false, privileges: false, comments: true, ...partial };
}
