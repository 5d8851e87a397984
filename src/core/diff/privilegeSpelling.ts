/**
 * MAINTAIN, the privilege PostgreSQL 17 added for relations (VACUUM, ANALYZE, REINDEX, REFRESH
 * MATERIALIZED VIEW, CLUSTER, LOCK TABLE), is the letter `m` of an aclitem. From 17 on a
 * relation's owner holds it with every other privilege (`app=arwdDxtm/app`, where 13-16 print
 * `app=arwdDxt/app`), and a 13-16 server cannot grant it at all. So when the two sides straddle
 * 17 (SQL files load into PostgreSQL 18), the newer side's table and view privileges are compared
 * without it; each side's model and fingerprint stay as read.
 */
import type { SchemaModel } from '../model/types';

const MAINTAIN_SINCE = 170000;

export function alignMaintainPrivilege(
  from: { model: SchemaModel; serverVersionNum: number }, to: { model: SchemaModel; serverVersionNum: number },
): { from: SchemaModel; to: SchemaModel } {
  const fromNew = from.serverVersionNum >= MAINTAIN_SINCE;
  const toNew = to.serverVersionNum >= MAINTAIN_SINCE;
  if (fromNew === toNew) return { from: from.model, to: to.model };
  return { from: fromNew ? withoutMaintain(from.model) : from.model, to: toNew ? withoutMaintain(to.model) : to.model };
}

function withoutMaintain(model: SchemaModel): SchemaModel {
  const strip = <T extends { acl?: string[] }>(o: T): T => (o.acl ? { ...o, acl: o.acl.map(withoutM) } : o);
  return { ...model, tables: model.tables.map(strip), views: model.views.map(strip) };
}

/** "app=arwdDxtm/app" → "app=arwdDxt/app"; `m*` (with grant option) goes too. */
export function withoutM(aclitem: string): string {
  const slash = aclitem.lastIndexOf('/');
  const eq = aclitem.lastIndexOf('=', slash);
  if (eq < 0 || slash < eq) return aclitem;
  return `${aclitem.slice(0, eq + 1)}${aclitem.slice(eq + 1, slash).replace(/m\*?/g, '')}${aclitem.slice(slash)}`;
}
