/**
 * Indexes that stand on their own (not a constraint's, not a partition's copy of its parent's
 * index). PostgreSQL can rename an index or change its storage parameters in place; anything else
 * in pg_get_indexdef means a new index, so a changed definition drops and creates it.
 */
import type { Index } from '../model/types';
import type { Statement } from '../plan/types';
import { hazard } from '../hazards/types';
import { commentAfterCreate, commentChange } from './comments';
import { requirementsOf, type DiffContext } from './context';
import { alterStatement, createStatement, dropStatement, type Alteration, type KindDiffer } from './kind';
import { nameOfId, qualify, quoteIdent } from './sql';
import { storageOptionChange } from './storageOptions';

export const indexes: KindDiffer<Index> = {
  // A constraint creates its own index; an index attached to a partitioned parent's index is
  // created by PostgreSQL on every partition when the parent's is.
  list: (model) => model.indexes.filter((i) => i.definition !== undefined && i.parentIndex === undefined),
  kind: () => 'index',
  parent: (i) => i.table,
  create(index, ctx) {
    // pg_get_indexdef already carries the storage parameters (WITH (…)).
    return [
      createStatement(createSql(index, ctx), index.id, {
        needs: [index.table, ...requirementsOf(ctx.to, index.id)],
        ...(ctx.from.objects.has(index.table) && !ctx.removed.has(index.table)
          ? { hazards: [hazard('LK-08', index.table, `Building ${index.name} blocks writes to ${nameOfId(index.table)} until it is done.`)] }
          : {}),
      }),
      ...commentAfterCreate(`INDEX ${qualify(index.schema, index.name)}`, index.id, index.comment, ctx),
      ...(index.replicaIdentity ? [replicaIdentity(index)] : []),
    ];
  },
  drop(index, ctx) {
    return [dropStatement(`DROP INDEX ${qualify(index.schema, index.name)}`, index.id, {
      holds: requirementsOf(ctx.from, index.id),
      hazards: [hazard('LK-09', index.table, `Dropping ${index.name} takes ACCESS EXCLUSIVE on ${nameOfId(index.table)}.`)],
    })];
  },
  alter(from, to, ctx): Alteration | 'recreate' {
    if (from.definition !== to.definition || from.table !== to.table) return 'recreate';
    const name = qualify(to.schema, to.name);
    const options = storageOptionChange(`INDEX ${name}`, to.id, from.options ?? [], to.options ?? []);
    const statements: Statement[] = [...options.statements];
    const details: string[] = [...options.details];
    const comment = commentChange(`INDEX ${name}`, to.id, from.comment, to.comment, ctx);
    statements.push(...comment.statements);
    details.push(...comment.details);
    if (from.valid !== to.valid) return 'recreate';
    if (to.replicaIdentity && !from.replicaIdentity) {
      statements.push(replicaIdentity(to));
      details.push('replica identity');
    }
    return { statements, details };
  },
  droppedWithParent: (index, ctx) => ctx.removed.has(index.table),
};

function replicaIdentity(index: Index) {
  return alterStatement(`ALTER TABLE ${nameOfId(index.table)} REPLICA IDENTITY USING INDEX ${quoteIdent(index.name)}`, index.id, { needs: [index.id] });
}

/**
 * pg_get_indexdef prints an index on a partitioned table as ON ONLY, which is how pg_dump builds
 * it (the partitions' indexes attached one by one). Without ONLY, PostgreSQL creates and attaches
 * an index on every partition itself, which is what a migration wants.
 */
function createSql(index: Index, ctx: DiffContext): string {
  const definition = index.definition ?? '';
  const table = ctx.to.objects.get(index.table) as { kind?: string } | undefined;
  return table?.kind === 'partitioned table' ? definition.replace(/ ON ONLY /, ' ON ') : definition;
}

/** What a constraint's ADD CONSTRAINT does not say about the index it creates. */
export function indexExtras(index: Index, ctx: DiffContext): Statement[] {
  const name = qualify(index.schema, index.name);
  return [
    ...(index.options?.length ? [alterStatement(`ALTER INDEX ${name} SET (${index.options.join(', ')})`, index.id, { needs: [index.id] })] : []),
    ...commentAfterCreate(`INDEX ${name}`, index.id, index.comment, ctx),
  ];
}

/**
 * The index of a primary key, unique or exclusion constraint: created and dropped by the
 * constraint (constraints.ts), but its storage parameters and comment change here.
 */
export const constraintIndexes: KindDiffer<Index> = {
  list: (model) => model.indexes.filter((i) => i.definition === undefined && i.parentIndex === undefined),
  kind: () => 'index',
  parent: (i) => i.table,
  create: () => [],
  drop: () => [],
  alter(from, to, ctx) {
    const name = qualify(to.schema, to.name);
    const statements: Statement[] = [];
    const details: string[] = [];
    const options = storageOptionChange(`INDEX ${name}`, to.id, from.options ?? [], to.options ?? []);
    statements.push(...options.statements);
    details.push(...options.details);
    const comment = commentChange(`INDEX ${name}`, to.id, from.comment, to.comment, ctx);
    statements.push(...comment.statements);
    details.push(...comment.details);
    return { statements, details };
  },
};

