import { ids } from '../model/ids';
import type { Extension } from '../model/types';
import { commentOf, type OidMap } from './oidMap';
import { catalogQuery, describedBy } from './query';

/**
 * Installed extensions, wherever they live. plpgsql is left out: initdb installs it in every
 * database, so it is part of the server, not of anyone's schema.
 */
export const extensionsQuery = catalogQuery('extensions', `
  SELECT e.oid, e.extname AS name, n.nspname AS schema, e.extversion AS version,
    d.description AS comment
  FROM pg_catalog.pg_extension e
  ${describedBy('d', 'pg_extension', 'e.oid')}
  JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
  WHERE e.extname <> 'plpgsql'
  ORDER BY e.extname`);

export interface ExtensionRow {
  oid: number;
  name: string;
  schema: string;
  version: string;
  comment: string | null;
}

export function buildExtensions(rows: ExtensionRow[], oids: OidMap): Extension[] {
  return rows.map((r) => {
    const id = ids.extension(r.name);
    oids.set('pg_extension', r.oid, id);
    return { id, name: r.name, schema: r.schema, version: r.version, ...commentOf(r.comment) };
  });
}
