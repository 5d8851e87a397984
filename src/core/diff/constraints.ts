/**
 * Table constraints. PostgreSQL can only rename, validate or change the deferrability of a foreign
 * key in place, so any other change drops and adds the constraint. A primary key, unique or
 * exclusion constraint brings its index with it.
 */
import type { Constraint, Index, ObjectId } from '../model/types';
import { hazard, type Hazard } from '../hazards/types';
import type { Statement } from '../plan/types';
import { commentAfterCreate, commentChange } from './comments';
import { constraintKey, requirementsOf, type DiffContext } from './context';
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
      ...addHazards(c, ctx),
    })];
    statements.push(...commentAfterCreate(`CONSTRAINT ${quoteIdent(c.name)} ON ${table}`, c.id, c.comment, ctx));
    // The index comes with the constraint, but not its storage parameters (pg_get_constraintdef
    // leaves them out) nor its comment.
    const backing = index ? ctx.to.objects.get(index) as Index | undefined : undefined;
    if (backing) statements.push(...indexExtras(backing, ctx));
    return statements;
  },
  drop(c, ctx) {
    const index = backingIndex(c, ctx, 'from');
    return [dropStatement(`ALTER TABLE ${nameOfId(c.table)} DROP CONSTRAINT ${quoteIdent(c.name)}`, c.id, {
      drops: index ? [c.id, index] : [c.id],
      holds: [c.table, ...requirementsOf(ctx.from, c.id, ...(index ? [index] : []))],
      ...(c.foreignKey && c.foreignKey.referencedTable !== c.table
        ? { hazards: [hazard('LK-10', c.foreignKey.referencedTable, `Dropping ${c.name} takes ACCESS EXCLUSIVE on ${nameOfId(c.foreignKey.referencedTable)} too.`)] }
        : {}),
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
  return ctx[side].constraintIndexes.get(constraintKey(c.table, c.name));
}

/**
 * Adding a constraint to a table that already exists checks every row under a lock (HAZARDS.md
 * §7.1); on a table the plan creates there is nothing to check. NOT VALID skips the check.
 */
function addHazards(c: Constraint, ctx: DiffContext): { hazards?: Hazard[] } {
  if (!ctx.from.objects.has(c.table) || ctx.removed.has(c.table)) return {};
  const table = nameOfId(c.table);
  const out: Hazard[] = [];
  if (c.kind === 'check' && c.validated) out.push(hazard('LK-05', c.table, `Adding ${c.name} scans ${table} under ACCESS EXCLUSIVE.`));
  if (c.kind === 'foreign key' && c.validated && c.foreignKey) {
    out.push(hazard('LK-06', c.table, `Adding ${c.name} scans ${table} and blocks writes to it and to ${nameOfId(c.foreignKey.referencedTable)}.`));
  }
  if (c.kind === 'primary key' || c.kind === 'unique') out.push(hazard('LK-07', c.table, `Adding ${c.name} builds its index on ${table} under ACCESS EXCLUSIVE.`));
  if (c.kind === 'exclusion') out.push(hazard('LK-13', c.table, `Adding ${c.name} (cannot be NOT VALID) scans ${table} and builds its index under ACCESS EXCLUSIVE.`));
  return out.length ? { hazards: out } : {};
}
