/**
 * COMMENT ON for any object. A comment lives in pg_description keyed by the object, so it
 * disappears with the object and must be set again after every create.
 */
import type { ObjectId } from '../model/types';
import type { Statement } from '../plan/types';
import type { DiffContext } from './context';
import { alterStatement } from './kind';
import { literal } from './sql';

/** `target` is what follows COMMENT ON: `TABLE "s"."t"`, `COLUMN "s"."t"."c"`, `TRIGGER "x" ON "s"."t"`. */
export function commentOn(target: string, object: ObjectId, comment: string | undefined): Statement {
  return alterStatement(`COMMENT ON ${target} IS ${comment === undefined ? 'NULL' : literal(comment)}`, object, {
    needs: [object],
  });
}

/** The comment to set after a create, when there is one and comments are compared. */
export function commentAfterCreate(target: string, object: ObjectId, comment: string | undefined, ctx: DiffContext): Statement[] {
  return comment !== undefined && ctx.options.comments ? [commentOn(target, object, comment)] : [];
}

/** The comment change between two versions, when comments are compared. */
export function commentChange(
  target: string, object: ObjectId, from: string | undefined, to: string | undefined, ctx: DiffContext,
): { statements: Statement[]; details: string[] } {
  if (!ctx.options.comments || from === to) return { statements: [], details: [] };
  return {
    statements: [commentOn(target, object, to)],
    details: [to === undefined ? 'comment removed' : from === undefined ? 'comment added' : 'comment changed'],
  };
}
