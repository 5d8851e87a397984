/**
 * Functions and procedures. CREATE OR REPLACE keeps the routine's oid (and every trigger, default
 * or view that calls it) but may not change its return type, its parameter names or defaults, or
 * turn a function into a procedure; those changes drop and create it, with its dependants. A
 * changed argument list is a different routine (its id includes the argument types): the old one
 * is dropped and the new one created. Aggregates have no CREATE statement the server can print.
 */
import type { Routine } from '../model/types';
import type { Statement } from '../plan/types';
import { commentAfterCreate, commentChange } from './comments';
import { requirementsOf } from './context';
import { alterStatement, createStatement, dropStatement, type KindDiffer } from './kind';
import { ownershipAfterCreate, ownershipChange } from './ownership';
import { qualify } from './sql';
import { PgdriftError } from '../errors';

export const routines: KindDiffer<Routine> = {
  list: (model) => model.routines,
  kind: (r) => r.kind,
  create(routine, ctx) {
    if (routine.definition === undefined) {
      throw new PgdriftError('unsupported', `cannot create ${signatureOf(routine).toLowerCase()}: the server did not print its definition`);
    }
    const signature = signatureOf(routine);
    // The id carries the argument names, but PostgreSQL tells routines apart by argument types
    // only: a routine whose parameter is renamed is "removed" and "added", and the old one must be
    // gone before the new one can be created. Any removed overload of the same name goes first.
    const sameName = ctx.from.model.routines
      .filter((r) => r.schema === routine.schema && r.name === routine.name && r.id !== routine.id && !ctx.to.objects.has(r.id))
      .map((r) => r.id);
    return [
      createStatement(routine.definition?.trim() ?? '', routine.id, {
        phase: 'routines', needs: requirementsOf(ctx.to, routine.id), ...(sameName.length ? { afterDropOf: sameName } : {}),
      }),
      ...commentAfterCreate(signature, routine.id, routine.comment, ctx),
      ...ownershipAfterCreate(keyword(routine), signature.slice(keyword(routine).length + 1), routine.id, routine, ctx),
    ];
  },
  drop(routine, ctx) {
    return [dropStatement(`DROP ${signatureOf(routine)}`, routine.id, { holds: requirementsOf(ctx.from, routine.id) })];
  },
  alter(from, to, ctx) {
    // There is no CREATE OR REPLACE AGGREGATE before PostgreSQL 12's, and ours is a plain CREATE.
    if (from.kind !== to.kind || from.returns !== to.returns || from.arguments !== to.arguments) return 'recreate';
    if (to.kind === 'aggregate' && from.definition !== to.definition) return 'recreate';
    const statements: Statement[] = [];
    const details: string[] = [];
    if (from.definition !== to.definition) {
      statements.push(alterStatement(to.definition?.trim() ?? '', to.id, {
        phase: 'routines', needs: requirementsOf(ctx.to, to.id), holds: requirementsOf(ctx.from, to.id),
      }));
      details.push('body or attributes changed');
    }
    const signature = signatureOf(to);
    const comment = commentChange(signature, to.id, from.comment, to.comment, ctx);
    statements.push(...comment.statements);
    details.push(...comment.details);
    const ownership = ownershipChange(keyword(to), signature.slice(keyword(to).length + 1), to.id, from, to, ctx);
    statements.push(...ownership.statements);
    details.push(...ownership.details);
    return { statements, details };
  },
};

function keyword(routine: Routine): string {
  return routine.kind === 'procedure' ? 'PROCEDURE' : routine.kind === 'aggregate' ? 'AGGREGATE' : 'FUNCTION';
}

/** "FUNCTION "s"."f"(integer, text)": how DROP, COMMENT ON and ALTER name a routine. */
function signatureOf(routine: Routine): string {
  return `${keyword(routine)} ${qualify(routine.schema, routine.name)}(${routine.identityArguments})`;
}
