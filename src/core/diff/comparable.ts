/**
 * Two models made comparable before diffing, when they come from different PostgreSQL versions or
 * one comes from SQL files (loaded into the embedded PostgreSQL 18): each step changes only what
 * one server version or the embedded database spells differently from the other, and only in the
 * copies compared. The models read, and their fingerprints, are left as they are.
 */
import type { SchemaModel } from '../model/types';
import { alignExtensionVersions } from './extensionVersions';
import { alignMaintainPrivilege } from './privilegeSpelling';
import { alignViewSpelling } from './viewSpelling';

export interface ComparedSide {
  model: SchemaModel;
  serverVersionNum: number;
  /** SQL files: extensions created without a VERSION (src/core/sources/extensions.ts). */
  unpinnedExtensions?: readonly string[] | undefined;
}

export async function comparableModels(from: ComparedSide, to: ComparedSide): Promise<{ from: SchemaModel; to: SchemaModel }> {
  const versions = alignExtensionVersions(from, to);
  const privileges = alignMaintainPrivilege(
    { model: versions.from, serverVersionNum: from.serverVersionNum }, { model: versions.to, serverVersionNum: to.serverVersionNum },
  );
  return alignViewSpelling(
    { model: privileges.from, serverVersionNum: from.serverVersionNum }, { model: privileges.to, serverVersionNum: to.serverVersionNum },
  );
}
