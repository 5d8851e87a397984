/**
 * Table constraints. PostgreSQL can only rename, validate or change the deferrability of a foreign
 * key in place, so any other change drops and adds the constraint. A primary key, unique or
 * exclusion constraint brings its index with it.
 */
import type { Constraint, ObjectId } from '../model/types';
import type { Statement } from '../plan/types';
import { commentAfterCreate, commentChange } from './comments';
import { requirementsOf, type DiffContext } from './context';
import { createStatement, dropStatement, sameExcept, type KindDiffer } from './kind';
import { indexExtras } from './indexes';
import { nameOfId, quoteIdent } from './sql';
import { referencesOtherTable } from './tables';

export const constraints: KindDiffer<Constraint> = {
  list: (model) => model.constraints.filter((c) => !c.inherited),
  kind: () => 'constraint',
  parent: (c) => c.table,
  create(c, ctx) {
    const table = nameOfId(c.table);
    const index = backingIndex(c, ctx, 'to');
    const statements: Statement[] = [createStatement(`ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(c.name)} ${definition(c)}`, c.id, {
      creates: index ? [c.id, index] : [c.id],
      needs: [c.table, ...requirementsOf(ctx.to, c.id, ...(index ? [index] : []))],
    })];
    statements.push(...commentAfterCreate(`CONSTRAINT ${quoteIdent(c.name)} ON ${table}`, c.id, c.comment, ctx));
    // The index comes with the constraint, but not its storage parameters (pg_get_constraintdef
    // leaves them out) nor its comment.
    const backing = index ? ctx.to.model.indexes.find((i) => i.id === index) : undefined;
    if (backing) statements.push(...indexExtras(backing, ctx));
    return statements;
  },
  drop(c, ctx) {
    const index = backingIndex(c, ctx, 'from');
    return [dropStatement(`ALTER TABLE ${nameOfId(c.table)} DROP CONSTRAINT ${quoteIdent(c.name)}`, c.id, {
      drops: index ? [c.id, index] : [c.id],
      holds: [c.table, ...requirementsOf(ctx.from, c.id, ...(index ? [index] : []))],
    })];
  },
  alter(from, to, ctx) {
    if (!sameExcept(from, to, 'comment')) return 'recreate';
    return commentChange(`CONSTRAINT ${quoteIdent(to.name)} ON ${nameOfId(to.table)}`, to.id, from.comment, to.comment, ctx);
  },
  droppedWithParent: (c, ctx) => ctx.removed.has(c.table) && !referencesOtherTable(c),
};

/**
 * pg_get_constraintdef already says NOT VALID (and, on 18, NOT ENFORCED). A constraint added NOT
 * VALID skips checking existing rows, which is what the desired database has too.
 */
function definition(c: Constraint): string {
  return c.definition;
}

/** The id of the index a primary key, unique or exclusion constraint owns. */
function backingIndex(c: Constraint, ctx: DiffContext, side: 'from' | 'to'): ObjectId | undefined {
  if (c.kind !== 'primary key' && c.kind !== 'unique' && c.kind !== 'exclusion') return undefined;
  const model = ctx[side].model;
  return model.indexes.find((i) => i.table === c.table && i.constraint === c.name)?.id;
}
