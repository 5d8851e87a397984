/**
 * Tables: CREATE TABLE with its columns, partition bound, inheritance and storage options; table
 * level alterations (RLS, logging, options, replica identity, attach/detach). Columns are compared
 * in columns.ts, constraints, indexes, triggers and policies in their own files.
 */
import type { Constraint, ObjectId, Table } from '../model/types';
import type { Statement } from '../plan/types';
import { columnDefinition } from './columnSql';
import { commentAfterCreate, commentChange } from './comments';
import { columnId, requirementsOf, type DiffContext } from './context';
import { alterStatement, createStatement, dropStatement, type Alteration, type KindDiffer } from './kind';
import { ownershipAfterCreate, ownershipChange } from './ownership';
import { nameOfId, qualify, quoteIdent } from './sql';
import { storageOptionChange } from './storageOptions';
import { PgdriftError } from '../errors';
import { hazard, type Hazard } from '../hazards/types';

export const tables: KindDiffer<Table> = {
  list: (model) => model.tables,
  kind: () => 'table',
  create: createTable,
  drop(table, ctx) {
    const owned = ownedByTable(table, ctx);
    // Whatever the sub-objects rely on (a trigger's function, another table's key) must outlive
    // the DROP TABLE that removes them.
    const held = requirementsOf(ctx.from, table.id, ...owned).filter((id) => !owned.includes(id));
    return [dropStatement(`DROP ${table.kind === 'foreign table' ? 'FOREIGN TABLE' : 'TABLE'} ${qualify(table.schema, table.name)}`, table.id, {
      drops: [table.id, ...owned], holds: held,
      hazards: [hazard('DL-01', table.id, `Dropping ${nameOfId(table.id)} deletes all its rows.`, { table: qualify(table.schema, table.name) })],
    })];
  },
  alter: alterTable,
  // A partition goes with its partitioned parent.
  droppedWithParent: (table, ctx) => table.partitionOf !== undefined && ctx.removed.has(table.partitionOf.parent),
};

function tableName(table: Table): string {
  return qualify(table.schema, table.name);
}

/** Everything DROP TABLE takes with it: columns, constraints, indexes, triggers, policies, owned sequences, partitions. */
function ownedByTable(table: Table, ctx: DiffContext): ObjectId[] {
  const m = ctx.from.model;
  const out: ObjectId[] = table.columns.map((c) => columnId(table.id, c.name));
  for (const c of m.constraints) if (c.table === table.id && !referencesOtherTable(c)) out.push(c.id);
  for (const i of m.indexes) if (i.table === table.id) out.push(i.id);
  for (const t of m.triggers) if (t.table === table.id) out.push(t.id);
  for (const p of m.policies) if (p.table === table.id) out.push(p.id);
  for (const s of m.sequences) if (s.ownedBy?.table === table.id) out.push(s.id);
  for (const t of m.tables) if (t.partitionOf?.parent === table.id) out.push(t.id, ...ownedByTable(t, ctx));
  return out;
}

/**
 * A foreign key to another table is dropped on its own before the tables: two dropped tables that
 * reference each other could otherwise not be dropped in either order.
 */
export function referencesOtherTable(c: Constraint): boolean {
  return c.foreignKey !== undefined && c.foreignKey.referencedTable !== c.table;
}

function createTable(table: Table, ctx: DiffContext): Statement[] {
  const name = tableName(table);
  if (table.kind === 'foreign table') {
    throw new PgdriftError('unsupported', `cannot create foreign table ${name}: pgdrift does not read foreign servers and table options (README, "Known gaps")`);
  }
  const local = table.columns.filter((c) => !c.inherited);
  const columnIds = table.columns.map((c) => columnId(table.id, c.name));
  let sql: string;
  if (table.partitionOf) {
    sql = `CREATE TABLE ${name} PARTITION OF ${nameOfId(table.partitionOf.parent)} ${table.partitionOf.bound}`;
  } else {
    const unlogged = table.unlogged ? 'UNLOGGED ' : '';
    sql = local.length
      ? `CREATE ${unlogged}TABLE ${name} (\n${local.map((c) => `  ${columnDefinition(c)}`).join(',\n')}\n)`
      : `CREATE ${unlogged}TABLE ${name} ()`;
    if (table.inherits?.length) sql += ` INHERITS (${table.inherits.map(nameOfId).join(', ')})`;
  }
  if (table.partitionKey !== undefined) sql += ` PARTITION BY ${table.partitionKey}`;
  if (table.options?.length) sql += ` WITH (${table.options.join(', ')})`;
  const needs = requirementsOf(ctx.to, table.id, ...columnIds);
  if (table.partitionOf) needs.push(table.partitionOf.parent);
  for (const parent of table.inherits ?? []) needs.push(parent);
  const statements: Statement[] = [createStatement(sql, table.id, { creates: [table.id, ...columnIds], needs })];
  statements.push(...inheritedColumnOverrides(table, ctx));
  statements.push(...tableSettings(table, undefined, ctx));
  statements.push(...commentAfterCreate(`TABLE ${name}`, table.id, table.comment, ctx));
  for (const column of table.columns) {
    statements.push(...commentAfterCreate(`COLUMN ${name}.${quoteIdent(column.name)}`, columnId(table.id, column.name), column.comment, ctx));
  }
  statements.push(...ownershipAfterCreate('TABLE', name, table.id, table, ctx));
  return statements;
}

/**
 * A partition or child table takes its inherited columns' defaults and NOT NULL from the parent;
 * where the desired table has its own, they are set after CREATE TABLE.
 */
function inheritedColumnOverrides(table: Table, ctx: DiffContext): Statement[] {
  const parents = [table.partitionOf?.parent, ...(table.inherits ?? [])].flatMap((id) => {
    const parent = id ? ctx.to.objects.get(id) as Table | undefined : undefined;
    return parent ? [parent] : [];
  });
  const out: Statement[] = [];
  for (const column of table.columns) {
    if (!column.inherited) continue;
    const inherited = parents.map((p) => p.columns.find((c) => c.name === column.name)).find((c) => c !== undefined);
    if (!inherited) continue;
    const id = columnId(table.id, column.name);
    const alter = (clause: string) => out.push(alterStatement(`ALTER TABLE ${tableName(table)} ALTER COLUMN ${quoteIdent(column.name)} ${clause}`, id, {
      needs: [id, ...requirementsOf(ctx.to, id)],
    }));
    if (column.default !== inherited.default) alter(column.default === undefined ? 'DROP DEFAULT' : `SET DEFAULT ${column.default}`);
    if (column.notNull && !inherited.notNull) alter('SET NOT NULL');
  }
  return out;
}

/** Settings that are not part of CREATE TABLE, from their current values (undefined: a new table). */
function tableSettings(to: Table, from: Table | undefined, ctx: DiffContext): Statement[] {
  const name = tableName(to);
  const out: Statement[] = [];
  const alter = (clause: string, hazards: Hazard[] = []) =>
    out.push(alterStatement(`ALTER TABLE ${name} ${clause}`, to.id, { needs: [to.id], ...(hazards.length ? { hazards } : {}) }));
  // Row security switches take ACCESS EXCLUSIVE (HAZARDS.md §7.1); on a new table nobody waits.
  const rls = (clause: string) => alter(clause, from ? [accessExclusive(to.id, clause), ...rowsHidden(to, from, clause, ctx)] : []);
  if (to.rowSecurity !== (from?.rowSecurity ?? false)) rls(to.rowSecurity ? 'ENABLE ROW LEVEL SECURITY' : 'DISABLE ROW LEVEL SECURITY');
  if (to.forceRowSecurity !== (from?.forceRowSecurity ?? false)) rls(to.forceRowSecurity ? 'FORCE ROW LEVEL SECURITY' : 'NO FORCE ROW LEVEL SECURITY');
  // USING INDEX is set by the index (indexes.ts), which must exist first.
  if (to.replicaIdentity !== from?.replicaIdentity && to.replicaIdentity !== 'index') {
    alter(`REPLICA IDENTITY ${(to.replicaIdentity ?? 'default').toUpperCase()}`);
  }
  return out;
}

/**
 * LK-11: ATTACH PARTITION takes ACCESS EXCLUSIVE on the table it attaches (and on the parent's
 * default partition) and scans it to prove every row fits the bound, unless a validated CHECK
 * constraint already implies the bound; the default partition is scanned for rows that now
 * belong to the new one.
 */
function attachScan(table: Table, partitionOf: NonNullable<Table['partitionOf']>, ctx: DiffContext): Hazard {
  const fallback = ctx.from.model.tables.find((t) => t.partitionOf?.parent === partitionOf.parent && t.partitionOf.bound === 'DEFAULT' && t.id !== table.id);
  return attachHazard(table.id, partitionOf.bound, fallback?.id);
}

/** LK-11 for ATTACH PARTITION of `table` (bound as pg_get_expr prints it, when known). */
export function attachHazard(table: ObjectId, bound: string | undefined, defaultPartition: ObjectId | undefined): Hazard {
  const also = defaultPartition ? `, and scans the default partition ${nameOfId(defaultPartition)} under the same lock,` : '';
  const fits = bound === 'DEFAULT' ? 'that none of its rows belongs to another partition' : `that its rows fit ${bound ?? 'the partition bound'}`;
  return hazard('LK-11', table, `ATTACH PARTITION scans ${nameOfId(table)} under ACCESS EXCLUSIVE to check ${fits}${also} unless a validated CHECK constraint already implies the bound: add one (NOT VALID, then VALIDATE) before attaching a large table.`);
}

/** LK-11 for DETACH PARTITION (not CONCURRENTLY) of `partition` from `parent`. */
export function detachHazard(parent: ObjectId, partition: string): Hazard {
  return hazard('LK-11', parent, `DETACH PARTITION ${partition} takes ACCESS EXCLUSIVE on ${nameOfId(parent)}: every query on the partitioned table waits; from PostgreSQL 14, DETACH PARTITION … CONCURRENTLY (outside a transaction, no default partition) does not.`);
}

/** LK-15: a row security switch on a table in use. */
export function accessExclusive(table: ObjectId, clause: string): Hazard {
  return hazard('LK-15', table, `${clause} takes ACCESS EXCLUSIVE on ${nameOfId(table)}: it waits for every query on the table and blocks all others while it waits, so run it when the table is quiet.`);
}

/** LK-15: SET LOGGED / SET UNLOGGED copy the table. */
export function relogged(table: ObjectId, clause: string): Hazard {
  return hazard('LK-15', table, `${clause} rewrites ${nameOfId(table)} under ACCESS EXCLUSIVE: reads and writes wait until the whole table is copied.`);
}

/**
 * CP-05: row security that becomes enabled (or forced) on an existing table while the desired
 * state has no policy for it: PostgreSQL then shows no row and refuses every insert, without an
 * error on reads, to every role it applies to.
 */
function rowsHidden(to: Table, from: Table, clause: string, ctx: DiffContext): Hazard[] {
  if (!to.rowSecurity || ctx.to.model.policies.some((p) => p.table === to.id)) return [];
  let who: string;
  if (clause === 'ENABLE ROW LEVEL SECURITY') {
    who = to.forceRowSecurity ? 'every role but superusers and BYPASSRLS roles, the owner included,' : 'every role but the owner, superusers and BYPASSRLS roles';
  } else if (clause === 'FORCE ROW LEVEL SECURITY' && from.rowSecurity) {
    who = 'its owner too';
  } else {
    return [];
  }
  return [hazard('CP-05', to.id, `${clause} on ${nameOfId(to.id)}, which has no policy: ${who} will see no rows and cannot insert any; create its policies in the same plan or leave row security off.`)];
}

function alterTable(from: Table, to: Table, ctx: DiffContext): Alteration | 'recreate' {
  // A table cannot become partitioned (or stop being so), change its partition key, or become a
  // foreign table in place: PostgreSQL has no ALTER for any of these.
  if (from.kind !== to.kind || from.partitionKey !== to.partitionKey) return 'recreate';
  const name = tableName(to);
  const statements: Statement[] = [];
  const details: string[] = [];
  const alter = (clause: string, extra: Partial<Statement> = {}) =>
    statements.push(alterStatement(`ALTER TABLE ${name} ${clause}`, to.id, { needs: [to.id], ...extra }));

  if (from.partitionOf?.parent !== to.partitionOf?.parent || from.partitionOf?.bound !== to.partitionOf?.bound) {
    if (from.partitionOf) {
      const parent = nameOfId(from.partitionOf.parent);
      statements.push(alterStatement(`ALTER TABLE ${parent} DETACH PARTITION ${name}`, to.id, {
        holds: [from.partitionOf.parent],
        hazards: [detachHazard(from.partitionOf.parent, name)],
      }));
      details.push(`detached from ${nameOfId(from.partitionOf.parent)}`);
    }
    if (to.partitionOf) {
      statements.push(alterStatement(`ALTER TABLE ${nameOfId(to.partitionOf.parent)} ATTACH PARTITION ${name} ${to.partitionOf.bound}`, to.id, {
        needs: [to.id, to.partitionOf.parent, ...to.columns.map((c) => columnId(to.id, c.name))],
        hazards: [attachScan(to, to.partitionOf, ctx)],
      }));
      details.push(`attached to ${nameOfId(to.partitionOf.parent)} ${to.partitionOf.bound}`);
    }
  }
  const fromParents = from.inherits ?? [];
  const toParents = to.inherits ?? [];
  for (const parent of fromParents) if (!toParents.includes(parent)) {
    alter(`NO INHERIT ${nameOfId(parent)}`, { holds: [parent] });
    details.push(`no longer inherits ${nameOfId(parent)}`);
  }
  for (const parent of toParents) if (!fromParents.includes(parent)) {
    // The child must have every column the parent has at that moment: the parent's new columns
    // are added first, the ones it loses dropped first.
    const parentColumns = (ctx.to.objects.get(parent) as Table | undefined)?.columns ?? [];
    const parentLoses = ((ctx.from.objects.get(parent) as Table | undefined)?.columns ?? [])
      .filter((c) => !parentColumns.some((k) => k.name === c.name)).map((c) => columnId(parent, c.name));
    alter(`INHERIT ${nameOfId(parent)}`, {
      needs: [to.id, parent, ...to.columns.map((c) => columnId(to.id, c.name)), ...parentColumns.map((c) => columnId(parent, c.name))],
      ...(parentLoses.length ? { afterDropOf: parentLoses } : {}),
    });
    details.push(`inherits ${nameOfId(parent)}`);
  }
  if (Boolean(from.unlogged) !== Boolean(to.unlogged)) {
    const clause = to.unlogged ? 'SET UNLOGGED' : 'SET LOGGED';
    alter(clause, { hazards: [relogged(to.id, clause)] });
    details.push(to.unlogged ? 'unlogged' : 'logged');
  }
  const settings = tableSettings(to, from, ctx);
  statements.push(...settings);
  if (from.rowSecurity !== to.rowSecurity) details.push(`row level security ${to.rowSecurity ? 'enabled' : 'disabled'}`);
  if (from.forceRowSecurity !== to.forceRowSecurity) details.push(`row level security ${to.forceRowSecurity ? 'forced' : 'no longer forced'}`);
  if (from.replicaIdentity !== to.replicaIdentity) details.push(`replica identity ${to.replicaIdentity ?? 'default'}`);

  const options = storageOptionChange(`TABLE ${name}`, to.id, from.options ?? [], to.options ?? []);
  statements.push(...options.statements);
  details.push(...options.details);

  const comment = commentChange(`TABLE ${name}`, to.id, from.comment, to.comment, ctx);
  statements.push(...comment.statements);
  details.push(...comment.details);
  const ownership = ownershipChange('TABLE', name, to.id, from, to, ctx);
  statements.push(...ownership.statements);
  details.push(...ownership.details);
  return { statements, details };
}
