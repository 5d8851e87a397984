import type { ObjectId } from '../model/types';

/**
 * Maps catalog identities (catalog, oid, sub-id) to model ids while the model is being built, so
 * that pg_depend rows, which speak in oids, can be turned into edges between model objects.
 * Oids never leave introspection: they differ from one database to the next.
 */
export type CatalogName =
  | 'pg_namespace'
  | 'pg_extension'
  | 'pg_type'
  | 'pg_class'
  | 'pg_attrdef'
  | 'pg_constraint'
  | 'pg_proc'
  | 'pg_trigger'
  | 'pg_policy'
  | 'pg_rewrite';

export class OidMap {
  private readonly map = new Map<string, ObjectId>();

  set(catalog: CatalogName, oid: number, id: ObjectId, subId = 0): void {
    this.map.set(`${catalog}:${oid}:${subId}`, id);
  }

  /** The model id for a catalog object; a column (subId > 0) falls back to its relation. */
  get(catalog: string, oid: number, subId = 0): ObjectId | undefined {
    return this.map.get(`${catalog}:${oid}:${subId}`) ?? (subId !== 0 ? this.map.get(`${catalog}:${oid}:0`) : undefined);
  }
}

/** The fields every owned object reads the same way (see ownershipColumns in query.ts). */
export interface OwnershipRow {
  owner: string;
  acl: string[];
  default_acl: boolean;
  comment: string | null;
}

/** Owner, privileges and comment in model form: absent fields stay absent. */
export function ownership(row: OwnershipRow): { owner: string; acl?: string[]; comment?: string } {
  const out: { owner: string; acl?: string[]; comment?: string } = { owner: row.owner };
  if (!row.default_acl) out.acl = row.acl;
  if (row.comment !== null) out.comment = row.comment;
  return out;
}

export function commentOf(comment: string | null): { comment?: string } {
  return comment === null ? {} : { comment };
}
