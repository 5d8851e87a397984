/**
 * Indexes that stand on their own (not a constraint's, not a partition's copy of its parent's
 * index). PostgreSQL can rename an index or change its storage parameters in place; anything else
 * in pg_get_indexdef means a new index, so a changed definition drops and creates it.
 */
import type { Index } from '../model/types';
import type { Statement } from '../plan/types';
import { hazard, type Hazard } from '../hazards/types';
import { commentAfterCreate, commentChange } from './comments';
import { concurrentBuild, existingTable, uniqueHazard, type UniqueKey } from './constraints';
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
    const online = concurrently(index, ctx);
    // pg_get_indexdef already carries the storage parameters (WITH (…)).
    return [
      createStatement(online ? createSql(index, ctx).replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX CONCURRENTLY ') : createSql(index, ctx), index.id, {
        needs: [index.table, ...requirementsOf(ctx.to, index.id), ...(online ? newExtensions(ctx) : [])],
        ...(online ? { transactional: false as const } : {}),
        ...createHazards(index, ctx, online),
      }),
      ...commentAfterCreate(`INDEX ${qualify(index.schema, index.name)}`, index.id, index.comment, ctx),
      ...(index.replicaIdentity ? [replicaIdentity(index)] : []),
    ];
  },
  drop(index, ctx) {
    const online = concurrently(index, ctx);
    const name = qualify(index.schema, index.name);
    return [dropStatement(`DROP INDEX ${online ? 'CONCURRENTLY ' : ''}${name}`, index.id, {
      holds: requirementsOf(ctx.from, index.id),
      ...(online
        ? { transactional: false as const, hazards: [hazard('TX-01', index.table, `DROP INDEX CONCURRENTLY ${name} commits on its own: it stays dropped if a later statement fails.`)] }
        : { hazards: [hazard('LK-09', index.table, `Dropping ${index.name} takes ACCESS EXCLUSIVE on ${nameOfId(index.table)}.`)] }),
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

/**
 * With the `online` option, an index on a table that exists before the plan is built and dropped
 * CONCURRENTLY: SHARE UPDATE EXCLUSIVE instead of SHARE (build) or ACCESS EXCLUSIVE (drop), so
 * reads and writes go on, at the price of running outside any transaction block. PostgreSQL
 * refuses CONCURRENTLY on a partitioned table's index; a table the plan creates is empty anyway.
 */
function concurrently(index: Index, ctx: DiffContext): boolean {
  if (!ctx.options.online || !existingTable(index.table, ctx)) return false;
  const from = ctx.from.objects.get(index.table) as { kind?: string; materialized?: boolean } | undefined;
  const to = ctx.to.objects.get(index.table) as { kind?: string; materialized?: boolean } | undefined;
  const plain = (o: typeof from) => o?.kind === 'table' || o?.materialized === true;
  return plain(from) && plain(to);
}

/**
 * Extensions the plan creates. An index using an extension's operator class or function depends
 * on that member, which the model leaves out (CREATE EXTENSION brings it), so no edge says the
 * index waits for the extension; a statement run outside a transaction is ordered first in its
 * phase, so a CONCURRENTLY build waits for every new extension explicitly.
 */
export function newExtensions(ctx: DiffContext): string[] {
  return ctx.to.model.extensions.filter((e) => !ctx.from.objects.has(e.id)).map((e) => e.id);
}

/**
 * Building an index on an existing table blocks writes until it is done (LK-08), unless built
 * CONCURRENTLY (then TX-01: it commits on its own). A unique index also fails on duplicates (FL-05).
 */
function createHazards(index: Index, ctx: DiffContext, online: boolean): { hazards?: Hazard[] } {
  if (!existingTable(index.table, ctx)) return {};
  const out: Hazard[] = [];
  const unique = index.unique ? uniqueHazard(uniqueKeyOf(index), ctx) : undefined;
  if (unique) out.push(unique);
  out.push(online
    ? concurrentBuild(index.name, index.table)
    : hazard('LK-08', index.table, `Building ${index.name} blocks writes to ${nameOfId(index.table)} until it is done.`));
  return { hazards: out };
}

/** An index's keys as a probe groups them: plain columns quoted, expressions as printed. */
function uniqueKeyOf(index: Index): UniqueKey {
  const plain = index.keys.map(plainColumn);
  return {
    object: index.id, name: index.name, table: index.table,
    columns: index.keys.map((k, i) => (plain[i] !== undefined ? quoteIdent(plain[i]) : k)),
    plainColumns: plain.filter((n): n is string => n !== undefined),
    nullsNotDistinct: index.nullsNotDistinct === true, primaryKey: false,
    ...(index.predicate !== undefined ? { predicate: index.predicate } : {}),
  };
}

/** The column a key names, as pg_get_indexdef prints it (quoted only when needed); undefined for an expression. */
function plainColumn(key: string): string | undefined {
  if (/^[a-z_][a-z0-9_$]*$/.test(key)) return key;
  const m = /^"((?:[^"]|"")*)"$/.exec(key);
  return m ? (m[1] ?? '').replace(/""/g, '"') : undefined;
}

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

