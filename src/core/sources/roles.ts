/**
 * Roles of SQL files. Roles live in the cluster, not in a database, so a plain `pg_dump
 * --schema-only` (without --no-owner and --no-privileges) names roles it never creates: `ALTER
 * TABLE … OWNER TO app`, `GRANT SELECT … TO reporting`, `CREATE POLICY … TO app`. The embedded
 * database has only its superuser, so every role the files name but do not create is created
 * first, NOLOGIN and without privileges of its own, and the statements load as on the server they
 * came from. Role names are read from the parse trees, never from the text.
 */
import type { Queryable } from '../db/queryable';
import type { Script } from './script';

export function rolesNamed(scripts: readonly Script[]): string[] {
  const named = new Set<string>();
  const created = new Set<string>();
  for (const script of scripts) {
    for (const { node } of script.split.statements) {
      const create = (node as { CreateRoleStmt?: { role?: string } }).CreateRoleStmt;
      if (create?.role) created.add(create.role);
      collectRoleSpecs(node, named);
    }
  }
  return [...named].filter((r) => !created.has(r)).sort();
}

function collectRoleSpecs(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRoleSpecs(item, out);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  // A role reference is a RoleSpec, wrapped as { RoleSpec: … } where any node may stand and bare
  // in fields that hold only a role (CREATE SCHEMA … AUTHORIZATION, OWNER TO). PUBLIC,
  // CURRENT_USER, SESSION_USER and CURRENT_ROLE are other role types: not names.
  const spec = node as { roletype?: string; rolename?: string };
  if (spec.roletype === 'ROLESPEC_CSTRING' && spec.rolename) out.add(spec.rolename);
  for (const value of Object.values(node)) collectRoleSpecs(value, out);
}

/** Creates the roles the embedded database does not have yet. */
export async function createMissingRoles(db: Queryable, roles: readonly string[]): Promise<void> {
  if (roles.length === 0) return;
  const existing = new Set((await db.query<{ rolname: string }>('SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY($1::text[])', [roles])).rows.map((r) => r.rolname));
  for (const role of roles) {
    if (existing.has(role)) continue;
    const name = (await db.query<{ q: string }>('SELECT pg_catalog.quote_ident($1) AS q', [role])).rows[0]?.q;
    if (name) await db.query(`CREATE ROLE ${name} NOLOGIN`);
  }
}
