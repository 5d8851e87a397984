import { compare } from '../model/normalise';
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

/**
 * The oids of the system catalogs themselves, as pg_depend.classid names them. They are fixed at
 * bootstrap (CATALOG(pg_class,1259,…) in the server's headers) and the same on every version; an
 * acceptance test checks them against `'pg_class'::regclass::oid` and friends on each server.
 */
export const CATALOG_OIDS: Record<CatalogName, number> = {
  pg_namespace: 2615,
  pg_extension: 3079,
  pg_type: 1247,
  pg_class: 1259,
  pg_attrdef: 2604,
  pg_constraint: 2606,
  pg_proc: 1255,
  pg_trigger: 2620,
  pg_policy: 3256,
  pg_rewrite: 2618,
};

/** Column numbers stay below 1600 (MaxHeapAttributeNumber), so oid * 2048 + sub-id is unique. */
const SUB_IDS = 2048;

/** A number naming (relation oid, attnum) or (object oid, sub-id), for numeric map keys. */
export function attributeKey(oid: number, subId: number): number {
  return oid * SUB_IDS + subId;
}

export class OidMap {
  // One numeric-keyed map per catalog: a 1,000-table schema registers ~20,000 objects, and string
  // keys built for each of them showed up in profiles.
  private readonly maps = new Map<number, Map<number, ObjectId>>();

  set(catalog: CatalogName, oid: number, id: ObjectId, subId = 0): void {
    const classOid = CATALOG_OIDS[catalog];
    let map = this.maps.get(classOid);
    if (!map) {
      map = new Map();
      this.maps.set(classOid, map);
    }
    map.set(attributeKey(oid, subId), id);
  }

  /** By catalog name, for lookups while building the model. */
  get(catalog: CatalogName, oid: number, subId = 0): ObjectId | undefined {
    return this.byClassOid(CATALOG_OIDS[catalog], oid, subId);
  }

  /** By the catalog's own oid, as pg_depend gives it; a column (subId > 0) falls back to its relation. */
  byClassOid(classOid: number, oid: number, subId = 0): ObjectId | undefined {
    const map = this.maps.get(classOid);
    if (!map) return undefined;
    return map.get(attributeKey(oid, subId)) ?? (subId !== 0 ? map.get(attributeKey(oid, 0)) : undefined);
  }
}

/** Tables and views by oid: what constraints, triggers and policies hang off. */
export type RelationsByOid = ReadonlyMap<number, { schema: string; name: string; id: ObjectId }>;

/** The fields every owned object reads the same way (see ownershipColumns in query.ts). */
export interface OwnershipRow {
  owner: string;
  acl: string[] | null;
  comment: string | null;
}

/** Owner, privileges and comment in model form: absent fields stay absent. */
export function ownership(row: OwnershipRow): { owner: string; acl?: string[]; comment?: string } {
  const out: { owner: string; acl?: string[]; comment?: string } = { owner: row.owner };
  if (row.acl !== null) out.acl = sortedStrings(row.acl);
  if (row.comment !== null) out.comment = row.comment;
  return out;
}

/** A text list in code-unit order (not the database's collation order); null reads as empty. */
export function sortedStrings(values: readonly string[] | null): string[] {
  return values === null ? [] : [...values].sort(compare);
}

export function commentOf(comment: string | null): { comment?: string } {
  return comment === null ? {} : { comment };
}
