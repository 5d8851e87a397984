/**
 * Owners and privileges, compared only when the options ask (roles rarely match between
 * environments). Privileges are read from aclitem text, "grantee=privileges/grantor", where an
 * empty grantee is PUBLIC and a "*" after a letter marks WITH GRANT OPTION.
 */
import type { Commented, ObjectId, Ownership } from '../model/types';
import { commentAfterCreate, commentChange } from './comments';
import type { Change, Statement } from '../plan/types';
import { hazard as makeHazard } from '../hazards/types';
import type { DiffContext } from './context';
import { alterStatement } from './kind';
import { nameOfId, quoteIdent } from './sql';

const PRIVILEGES: Record<string, string> = {
  r: 'SELECT', w: 'UPDATE', a: 'INSERT', d: 'DELETE', D: 'TRUNCATE', x: 'REFERENCES', t: 'TRIGGER',
  X: 'EXECUTE', U: 'USAGE', C: 'CREATE', c: 'CONNECT', T: 'TEMPORARY', m: 'MAINTAIN', s: 'SET', A: 'ALTER SYSTEM',
};

interface AclItem {
  grantee: string;
  privileges: string[];
  grantable: string[];
}

function parseAclItem(item: string): AclItem | undefined {
  const match = /^(.*)=([A-Za-z*]*)\/(.*)$/.exec(item);
  if (!match) return undefined;
  const grantee = unquoteRole(match[1] ?? '');
  const privileges: string[] = [];
  const grantable: string[] = [];
  const letters = match[2] ?? '';
  for (let i = 0; i < letters.length; i++) {
    const name = PRIVILEGES[letters[i] ?? ''];
    if (!name) continue;
    if (letters[i + 1] === '*') grantable.push(name);
    else privileges.push(name);
  }
  return { grantee, privileges, grantable };
}

function unquoteRole(text: string): string {
  return text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text;
}

function roleName(grantee: string): string {
  return grantee === '' ? 'PUBLIC' : quoteIdent(grantee);
}

/** GRANT names tables, views and materialized views all as TABLE. */
function grantTarget(keyword: string): string {
  return keyword === 'VIEW' || keyword === 'MATERIALIZED VIEW' || keyword === 'FOREIGN TABLE' ? 'TABLE' : keyword;
}

/** Owner and privileges of a freshly created object, when compared. */
export function ownershipAfterCreate(keyword: string, name: string, id: ObjectId, object: Ownership, ctx: DiffContext): Statement[] {
  return ownershipChange(keyword, name, id, undefined, object, ctx).statements;
}

export function ownershipChange(
  keyword: string, name: string, id: ObjectId, from: Ownership | undefined, to: Ownership, ctx: DiffContext,
): { statements: Statement[]; details: string[] } {
  const statements: Statement[] = [];
  const details: string[] = [];
  if (ctx.options.owners && from?.owner !== to.owner) {
    statements.push(alterStatement(`ALTER ${keyword} ${name} OWNER TO ${quoteIdent(to.owner)}`, id, { needs: [id] }));
    if (from) details.push(`owner: ${from.owner} → ${to.owner}`);
  }
  const fromAcl = from?.acl;
  const toAcl = to.acl;
  // Absent acl means the kind's default privileges, which a new object already has.
  if (ctx.options.privileges && (from ? JSON.stringify(fromAcl) !== JSON.stringify(toAcl) : toAcl !== undefined)) {
    const target = `${grantTarget(keyword)} ${name}`;
    const revokeFrom = new Set<string>(['']);
    for (const item of fromAcl ?? []) {
      const parsed = parseAclItem(item);
      if (parsed) revokeFrom.add(parsed.grantee);
    }
    for (const grantee of [...revokeFrom].sort()) {
      statements.push(alterStatement(`REVOKE ALL ON ${target} FROM ${roleName(grantee)}`, id, { needs: [id] }));
    }
    for (const item of toAcl ?? []) {
      const parsed = parseAclItem(item);
      if (!parsed) continue;
      if (parsed.privileges.length) {
        statements.push(alterStatement(`GRANT ${parsed.privileges.join(', ')} ON ${target} TO ${roleName(parsed.grantee)}`, id, { needs: [id] }));
      }
      if (parsed.grantable.length) {
        statements.push(alterStatement(`GRANT ${parsed.grantable.join(', ')} ON ${target} TO ${roleName(parsed.grantee)} WITH GRANT OPTION`, id, { needs: [id] }));
      }
    }
    if (from) details.push('privileges changed');
  }
  return { statements, details };
}

/**
 * CP-05: a table or view that is dropped and created again loses the privileges granted on it.
 * With privileges compared the new one gets the desired grants; otherwise nothing restores them,
 * and roles that could read or write it no longer can. The hazard goes on the DROP.
 */
export function lostGrants(changes: readonly Change[], ctx: DiffContext): void {
  if (ctx.options.privileges) return;
  for (const change of changes) {
    if (change.action !== 'recreate' || !['table', 'view', 'materialized view'].includes(change.kind)) continue;
    const from = ctx.from.objects.get(change.id) as (Ownership & { id: ObjectId }) | undefined;
    const grants = (from?.acl ?? []).flatMap((item) => {
      const parsed = parseAclItem(item);
      const all = parsed ? [...parsed.privileges, ...parsed.grantable] : [];
      return parsed && parsed.grantee !== from?.owner && all.length ? [`${roleName(parsed.grantee)} (${all.join(', ')})`] : [];
    });
    const drop = change.statements.find((s) => s.action === 'drop' && s.object === change.id);
    if (!grants.length || !drop) continue;
    const hazard = makeHazard('CP-05', change.id, `Recreating ${nameOfId(change.id)} drops what was granted on it to ${grants.join(', ')}, and privileges are not compared, so the plan does not grant it again: compare with --privileges, or repeat the GRANTs after the plan.`);
    drop.hazards = [...(drop.hazards ?? []), hazard];
  }
}

/** The comment, and when compared the owner and privileges, a freshly created object needs. */
export function metadataAfterCreate(keyword: string, name: string, id: ObjectId, object: Ownership & Commented, ctx: DiffContext): Statement[] {
  return [...commentAfterCreate(`${keyword} ${name}`, id, object.comment, ctx), ...ownershipAfterCreate(keyword, name, id, object, ctx)];
}

/** Comment, owner and privilege changes of an object altered in place. */
export function metadataChange(
  keyword: string, name: string, id: ObjectId, from: Ownership & Commented, to: Ownership & Commented, ctx: DiffContext,
): { statements: Statement[]; details: string[] } {
  const comment = commentChange(`${keyword} ${name}`, id, from.comment, to.comment, ctx);
  const ownership = ownershipChange(keyword, name, id, from, to, ctx);
  return { statements: [...comment.statements, ...ownership.statements], details: [...comment.details, ...ownership.details] };
}
