import type { Dependency, DependencyType } from '../model/types';
import { CATALOG_OIDS, type CatalogName, type OidMap } from './oidMap';
import { catalogQuery } from './query';

/**
 * Dependency edges from pg_depend, translated to model ids.
 *
 * Kept: normal ('n': a view reads a column, a trigger calls a function, a default calls nextval on
 * a sequence, a foreign key needs the referenced table's unique index), auto ('a': an index or
 * constraint on a column) and internal ('i': a constraint's index, a view's rule). Objects created
 * by initdb have oids below 16384 (FirstNormalObjectId) and are never part of a user schema, so
 * rows touching them are skipped in the query, with one exception: the public schema is made by
 * initdb (oid 2200) yet is a user schema, and objects in it depend on it as objects in any other
 * schema depend on theirs, so references to schemas are kept whatever their oid. Rows whose ends
 * are not in the model (extension members, system schemas) are dropped by the translation, as are
 * edges from an object to itself (a view's rule on its own view).
 *
 * Rows that can never become an edge are filtered in the query, as they are most of pg_depend in a
 * large schema: the internal links of row types and array types to their relation or element type,
 * and the internal triggers that implement each foreign key. (A column default's auto link to its
 * own column is dropped as a self-edge, not here: on PostgreSQL 13 a generated column's links to
 * the columns it reads are auto links from the same pg_attrdef row.) Catalogs come back as their
 * oids (see CATALOG_OIDS), not as regclass text.
 *
 * The rows travel as one text value, a line per row: a 1,000-table schema has ~20,000 of them, and
 * splitting one string costs a fraction of what building a row object per row does in the driver.
 */
export const dependenciesQuery = catalogQuery('dependencies', `
  SELECT
    string_agg(concat_ws(' ', d.classid, d.objid, d.objsubid, d.refclassid, d.refobjid, d.refobjsubid, d.deptype), E'\\n')
      FILTER (WHERE d.deptype <> 'e') AS edges,
    string_agg(concat_ws(' ', d.classid, d.objid), E'\\n') FILTER (WHERE d.deptype = 'e') AS extension_members
  FROM pg_catalog.pg_depend d
  WHERE d.deptype = 'e'
    OR (d.deptype IN ('n', 'a', 'i') AND d.objid >= 16384
      AND (d.refobjid >= 16384 OR d.refclassid = 'pg_catalog.pg_namespace'::regclass)
      AND NOT (d.classid = 'pg_catalog.pg_type'::regclass AND d.deptype = 'i')
      AND NOT (d.classid = 'pg_catalog.pg_trigger'::regclass AND d.refclassid = 'pg_catalog.pg_constraint'::regclass))`);

export interface DependencyRow {
  /** "classid objid objsubid refclassid refobjid refobjsubid deptype" lines; null when none. */
  edges: string | null;
  /** "classid objid" lines of the objects extensions own (deptype 'e'); null when none. */
  extension_members: string | null;
}

/**
 * Objects that belong to an extension: CREATE EXTENSION brings them back, so they are not part of
 * the schema model. Read from the same pg_depend pass as the edges, so that no catalog query has
 * to test each of its rows against pg_depend (an anti-join per query, a full scan of pg_depend each
 * time); the builders skip these oids instead.
 */
export class ExtensionMembers {
  private readonly byCatalog = new Map<number, Set<number>>();

  constructor(rows: readonly DependencyRow[]) {
    const text = rows[0]?.extension_members ?? '';
    for (const line of text === '' ? [] : text.split('\n')) {
      const [classId, objId] = line.split(' ').map(Number);
      if (classId === undefined || objId === undefined) continue;
      let set = this.byCatalog.get(classId);
      if (!set) {
        set = new Set();
        this.byCatalog.set(classId, set);
      }
      set.add(objId);
    }
  }

  has(catalog: CatalogName, oid: number): boolean {
    return this.byCatalog.get(CATALOG_OIDS[catalog])?.has(oid) ?? false;
  }
}

const TYPES: Record<string, DependencyType> = { n: 'normal', a: 'auto', i: 'internal' };

export function buildDependencies(rows: DependencyRow[], oids: OidMap): Dependency[] {
  const seen = new Map<string, Map<string, Dependency>>();
  const edges: Dependency[] = [];
  const text = rows[0]?.edges ?? '';
  for (const line of text === '' ? [] : text.split('\n')) {
    const [classId, objId, objSubId, refClassId, refObjId, refObjSubId, deptype] = line.split(' ');
    const type = TYPES[deptype ?? ''];
    if (!type) continue;
    const from = oids.byClassOid(Number(classId), Number(objId), Number(objSubId));
    const to = oids.byClassOid(Number(refClassId), Number(refObjId), Number(refObjSubId));
    if (!from || !to || from === to) continue;
    let targets = seen.get(from);
    if (!targets) {
      targets = new Map();
      seen.set(from, targets);
    }
    const existing = targets.get(to);
    // Several catalog rows can map to one edge (a view reading three columns of a table reads
    // the table); the strongest kind wins so the edge is the same whichever row came first.
    if (!existing) {
      const edge: Dependency = { from, to, type };
      targets.set(to, edge);
      edges.push(edge);
    } else if (rank(type) > rank(existing.type)) {
      existing.type = type;
    }
  }
  return edges;
}

function rank(type: DependencyType): number {
  return type === 'normal' ? 2 : type === 'internal' ? 1 : 0;
}
