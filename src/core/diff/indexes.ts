/**
 * Indexes that stand on their own (not a constraint's, not a partition's copy of its parent's
 * index). PostgreSQL can rename an index or change its storage parameters in place; anything else
 * in pg_get_indexdef means a new index, so a changed definition drops and creates it.
 */
import type { Index } from '../model/types';
import { commentAfterCreate, commentChange } from './comments';
import { requirementsOf, type DiffContext } from './context';
import { alterStatement, createStatement, dropStatement, type Alteration, type KindDiffer } from './kind';
import { nameOfId, qualify, quoteIdent } from './sql';

export const indexes: KindDiffer<Index> = {
  // A constraint creates its own index; an index attached to a partitioned parent's index is
  // created by PostgreSQL on every partition when the parent's is.
  list: (model) => model.indexes.filter((i) => i.definition !== undefined && i.parentIndex === undefined),
  kind: () => 'index',
  parent: (i) => i.table,
  create(index, ctx) {
    const name = qualify(index.schema, index.name);
    return [
      createStatement(createSql(index, ctx), index.id, { needs: [index.table, ...requirementsOf(ctx.to, index.id)] }),
      ...(index.options?.length ? [alterStatement(`ALTER INDEX ${name} SET (${index.options.join(', ')})`, index.id, { needs: [index.id] })] : []),
      ...commentAfterCreate(`INDEX ${name}`, index.id, index.comment, ctx),
      ...(index.replicaIdentity ? [replicaIdentity(index)] : []),
    ];
  },
  drop(index, ctx) {
    return [dropStatement(`DROP INDEX ${qualify(index.schema, index.name)}`, index.id, {
      holds: requirementsOf(ctx.from, index.id),
    })];
  },
  alter(from, to, ctx): Alteration | 'recreate' {
    if (from.definition !== to.definition || from.table !== to.table) return 'recreate';
    const name = qualify(to.schema, to.name);
    const statements = [];
    const details: string[] = [];
    const fromOptions = from.options ?? [];
    const toOptions = to.options ?? [];
    if (fromOptions.join() !== toOptions.join()) {
      const reset = fromOptions.map((o) => o.split('=')[0] ?? o).filter((k) => !toOptions.some((o) => o.startsWith(`${k}=`)));
      if (reset.length) statements.push(alterStatement(`ALTER INDEX ${name} RESET (${reset.join(', ')})`, to.id, { needs: [to.id] }));
      if (toOptions.length) statements.push(alterStatement(`ALTER INDEX ${name} SET (${toOptions.join(', ')})`, to.id, { needs: [to.id] }));
      details.push(`storage options: ${toOptions.join(', ') || 'defaults'}`);
    }
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
