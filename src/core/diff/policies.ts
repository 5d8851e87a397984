/**
 * Row-level security policies. ALTER POLICY changes roles, USING and WITH CHECK in place; the
 * command and PERMISSIVE/RESTRICTIVE cannot change, so those drop and create the policy.
 */
import type { Policy } from '../model/types';
import type { Statement } from '../plan/types';
import { commentAfterCreate, commentChange } from './comments';
import { requirementsOf } from './context';
import { alterStatement, createStatement, dropStatement, type KindDiffer } from './kind';
import { nameOfId, quoteIdent } from './sql';

export const policies: KindDiffer<Policy> = {
  list: (model) => model.policies,
  kind: () => 'policy',
  parent: (p) => p.table,
  create(policy, ctx) {
    const parts = [
      `CREATE POLICY ${quoteIdent(policy.name)} ON ${nameOfId(policy.table)}`,
      `AS ${policy.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'}`,
      `FOR ${policy.command.toUpperCase()}`,
      `TO ${roles(policy)}`,
    ];
    if (policy.using !== undefined) parts.push(`USING (${policy.using})`);
    if (policy.withCheck !== undefined) parts.push(`WITH CHECK (${policy.withCheck})`);
    return [
      createStatement(parts.join(' '), policy.id, { needs: [policy.table, ...requirementsOf(ctx.to, policy.id)] }),
      ...commentAfterCreate(target(policy), policy.id, policy.comment, ctx),
    ];
  },
  drop(policy, ctx) {
    return [dropStatement(`DROP POLICY ${quoteIdent(policy.name)} ON ${nameOfId(policy.table)}`, policy.id, {
      holds: [policy.table, ...requirementsOf(ctx.from, policy.id)],
    })];
  },
  alter(from, to, ctx) {
    if (from.command !== to.command || from.permissive !== to.permissive) return 'recreate';
    // ALTER POLICY can set an expression but not remove one.
    if ((from.using !== undefined && to.using === undefined) || (from.withCheck !== undefined && to.withCheck === undefined)) return 'recreate';
    const statements: Statement[] = [];
    const details: string[] = [];
    const clauses: string[] = [];
    if (from.roles.join() !== to.roles.join()) {
      clauses.push(`TO ${roles(to)}`);
      details.push(`roles: ${to.roles.join(', ')}`);
    }
    if (from.using !== to.using && to.using !== undefined) {
      clauses.push(`USING (${to.using})`);
      details.push('USING changed');
    }
    if (from.withCheck !== to.withCheck && to.withCheck !== undefined) {
      clauses.push(`WITH CHECK (${to.withCheck})`);
      details.push('WITH CHECK changed');
    }
    if (clauses.length) {
      statements.push(alterStatement(`ALTER POLICY ${quoteIdent(to.name)} ON ${nameOfId(to.table)} ${clauses.join(' ')}`, to.id, {
        needs: [to.id, ...requirementsOf(ctx.to, to.id)], holds: requirementsOf(ctx.from, to.id),
      }));
    }
    const comment = commentChange(target(to), to.id, from.comment, to.comment, ctx);
    statements.push(...comment.statements);
    details.push(...comment.details);
    return { statements, details };
  },
  droppedWithParent: (p, ctx) => ctx.removed.has(p.table),
};

function target(policy: Policy): string {
  return `POLICY ${quoteIdent(policy.name)} ON ${nameOfId(policy.table)}`;
}

function roles(policy: Policy): string {
  return policy.roles.map((r) => (r === 'public' ? 'PUBLIC' : quoteIdent(r))).join(', ');
}
