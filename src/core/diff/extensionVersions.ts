/**
 * Extension versions of SQL files. `CREATE EXTENSION citext` without VERSION asks for the default
 * version of whatever server runs it; loaded into the embedded PostgreSQL 18 that is PGlite's
 * (citext 1.8), while a PostgreSQL 15 server has 1.6 and cannot update to 1.8 at all. For such an
 * extension the comparison takes the other side's version, and when only the SQL files have it,
 * it is created at the target server's default version (no VERSION clause).
 */
import type { Extension, SchemaModel } from '../model/types';

export interface VersionedSide {
  model: SchemaModel;
  /** Extensions whose version this side does not state (src/core/sources/extensions.ts). */
  unpinnedExtensions?: readonly string[] | undefined;
}

export function alignExtensionVersions(from: VersionedSide, to: VersionedSide): { from: SchemaModel; to: SchemaModel } {
  return {
    from: aligned(from, to.model, false),
    to: aligned(to, from.model, true),
  };
}

function aligned(side: VersionedSide, other: SchemaModel, desired: boolean): SchemaModel {
  const unpinned = new Set(side.unpinnedExtensions ?? []);
  if (unpinned.size === 0) return side.model;
  const versions = new Map(other.extensions.map((e) => [e.name, e.version]));
  const extensions = side.model.extensions.map((e): Extension => {
    if (!unpinned.has(e.name)) return e;
    const version = versions.get(e.name);
    // Only the desired side is created from; an empty version means "the server's default".
    if (version === undefined) return desired ? { ...e, version: '' } : e;
    return { ...e, version };
  });
  return { ...side.model, extensions };
}
