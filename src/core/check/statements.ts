/**
 * Hazards of the statements other than ALTER TABLE: DROP TABLE and DROP INDEX, CREATE INDEX, and
 * the statements that only change what later statements refer to (CREATE TABLE, renames,
 * SET search_path).
 */
import type { AlterExtensionStmt, DropStmt, IndexStmt, Node, RenameStmt, VariableSetStmt } from 'libpg-query';
import { droppedExtension, updatedExtension } from '../diff/schemas';
import { positionLost } from '../diff/sequences';
import { columnRenamed, tableRenamed } from '../diff/renames';
import { nameOfId, qualify, quoteIdent } from '../diff/sql';
import { hazard, type Hazard } from '../hazards/types';
import { ids } from '../model/ids';
import type { ObjectId } from '../model/types';
import { displayIdent } from '../render/objectName';
import { columnRefs, listItems, names } from './ast';
import { probe, type Existing } from './constraints';
import { existing, listElementsAt, tableOf, trailingWhere, type StatementContext } from './context';
import { defaultName } from './defaultNames';
import { nonTransactional } from './transactions';
import { formatTypeName } from './typeName';

export function dropHazards(ctx: StatementContext, s: DropStmt): Hazard[] {
  const out: Hazard[] = [];
  // CASCADE drops what depends on the object without a word: every table of a schema, every
  // column of a type (PostgreSQL only notices "drop cascades to …"). Without CASCADE the statement
  // fails instead when anything depends on it.
  const cascade = s.behavior === 'DROP_CASCADE';
  for (const object of s.objects ?? []) {
    if (s.removeType === 'OBJECT_SCHEMA' && cascade && 'String' in object) out.push(...droppedSchema(ctx, object.String.sval ?? ''));
    if ((s.removeType === 'OBJECT_TYPE' || s.removeType === 'OBJECT_DOMAIN') && cascade && 'TypeName' in object) {
      out.push(...droppedType(ctx, formatTypeName(object.TypeName, (schema, name) => ctx.catalog.userType(schema, name)), s.removeType === 'OBJECT_TYPE' ? 'TYPE' : 'DOMAIN'));
    }
    const parts = names(listItems(object));
    const name = parts[parts.length - 1] ?? '';
    const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
    if (s.removeType === 'OBJECT_TABLE') out.push(...dropTable(ctx, schema, name));
    if (s.removeType === 'OBJECT_INDEX') out.push(...dropIndex(ctx, schema, name, s.concurrent === true));
    if (s.removeType === 'OBJECT_SEQUENCE') out.push(...dropSequence(ctx, schema, name));
    if (s.removeType === 'OBJECT_EXTENSION' && 'String' in object) {
      const extension = ctx.catalog.extension(object.String.sval ?? '');
      if (extension) out.push(droppedExtension(extension.id, extension.name, extension.version));
    }
  }
  return out;
}

/** DL-10 (compat): a sequence of the target dropped; the file may recreate it, which starts over. */
function dropSequence(ctx: StatementContext, schema: string | undefined, name: string): Hazard[] {
  const seq = ctx.catalog.sequence(schema, name);
  if (!seq) return [];
  const shown = qualify(seq.schema, seq.name);
  return [positionLost(seq.id, `Dropping ${shown}`, `SELECT last_value, is_called FROM ${shown}`)];
}

/** ALTER EXTENSION … UPDATE [TO version] of an extension the target has: CP-07. */
export function extensionUpdated(ctx: StatementContext, s: AlterExtensionStmt): Hazard[] {
  const extension = ctx.catalog.extension(s.extname ?? '');
  if (!extension) return [];
  const to = (s.options ?? []).flatMap((o) => ('DefElem' in o && o.DefElem.defname === 'new_version' && o.DefElem.arg && 'String' in o.DefElem.arg ? [o.DefElem.arg.String.sval ?? ''] : []))[0];
  return [updatedExtension(extension.id, extension.name, extension.version, to)];
}

function dropTable(ctx: StatementContext, schema: string | undefined, name: string): Hazard[] {
  const entry = ctx.catalog.table(schema, name);
  if (!entry) return [];
  ctx.catalog.dropTable(entry);
  if (!existing(entry)) return [];
  const table = ctx.catalog.tableId(entry);
  const out = [hazard('DL-01', table, `Dropping ${nameOfId(table)} deletes all its rows.`, probe(ctx, entry, {}))];
  // Dropping a table drops its foreign keys, which takes ACCESS EXCLUSIVE on each referenced table.
  const referenced = new Set(ctx.catalog.constraints(entry).flatMap((c) => (c.foreignKey && c.foreignKey.referencedTable !== entry.target.id ? [c.foreignKey.referencedTable] : [])));
  for (const r of [...referenced].sort()) out.push(hazard('LK-10', r, `Dropping ${nameOfId(table)} takes ACCESS EXCLUSIVE on ${nameOfId(r)} too.`));
  return out;
}

function droppedSchema(ctx: StatementContext, schema: string): Hazard[] {
  return ctx.catalog.tablesIn(schema).flatMap((entry) => dropTable(ctx, entry.schema, entry.name));
}

function droppedType(ctx: StatementContext, type: string, kind: string): Hazard[] {
  const out: Hazard[] = [];
  for (const entry of ctx.catalog.tablesIn(undefined)) {
    if (!existing(entry)) continue;
    for (const column of entry.target.columns) {
      if (column.type !== type && column.type !== `${type}[]`) continue;
      const current = ctx.catalog.currentName(entry, column.name);
      if (current === undefined) continue;
      ctx.catalog.dropColumn(entry, current);
      const table = ctx.catalog.tableId(entry);
      out.push(hazard('DL-02', ids.column(entry.schema, entry.name, current), `DROP ${kind} ${type} CASCADE drops ${nameOfId(table)}.${current} and deletes its values.`, probe(ctx, entry, { column: quoteIdent(column.name) })));
    }
  }
  return out;
}

function dropIndex(ctx: StatementContext, schema: string | undefined, name: string, concurrently: boolean): Hazard[] {
  const found = ctx.catalog.index(schema, name);
  const id = found ? found.index.id : ids.index(schema ?? ctx.catalog.creationSchema, name);
  if (concurrently) return [nonTransactional(id, 'DROP INDEX CONCURRENTLY', ctx.inTransactionBlock)];
  if (!found?.table || !existing(found.table)) return [];
  const table = ctx.catalog.tableId(found.table);
  return [hazard('LK-09', table, `Dropping ${name} takes ACCESS EXCLUSIVE on ${nameOfId(table)}.`)];
}

export function createIndexHazards(ctx: StatementContext, s: IndexStmt): Hazard[] {
  const entry = tableOf(ctx, s.relation);
  const params = (s.indexParams ?? []).flatMap((p) => ('IndexElem' in p ? [p.IndexElem] : []));
  const keyNames = params.map((p) => p.name ?? 'expr');
  const tableName = s.relation?.relname ?? '';
  const name = s.idxname ?? defaultName(tableName, keyNames, 'idx');
  const id = ids.index(entry?.schema ?? s.relation?.schemaname ?? ctx.catalog.creationSchema, name);
  const out: Hazard[] = [];
  if (s.concurrent) out.push(nonTransactional(id, 'CREATE INDEX CONCURRENTLY', ctx.inTransactionBlock));
  if (!existing(entry)) return out;
  const table = ctx.catalog.tableId(entry);
  const shown = nameOfId(table);
  if (!s.concurrent) out.push(hazard('LK-08', table, `Building ${name} blocks writes to ${shown} until it is done.`));
  if (s.unique) out.push(uniqueIndexHazard(ctx, entry, s, id, name, keyNames));
  return out;
}

/**
 * FL-05 for CREATE UNIQUE INDEX: duplicates among the keys, which may be expressions, counted
 * only among the rows a partial index covers. A key with its own collation, operator class or
 * ordering is left unmeasured.
 */
function uniqueIndexHazard(ctx: StatementContext, entry: Existing, s: IndexStmt, id: ObjectId, name: string, keyNames: string[]): Hazard {
  const shown = nameOfId(ctx.catalog.tableId(entry));
  const message = `Building the unique index ${name} fails if ${shown} holds duplicates in (${keyNames.map(displayIdent).join(', ')}).`;
  const params = (s.indexParams ?? []).flatMap((p) => ('IndexElem' in p ? [p.IndexElem] : []));
  const texts = listElementsAt(ctx, s.relation?.location ?? 0);
  const where = s.whereClause ? trailingWhere(ctx) : undefined;
  const columns: string[] = [];
  for (const [i, p] of params.entries()) {
    const plain = p.name !== undefined ? ctx.catalog.column(entry, p.name).target?.name : undefined;
    const decorated = p.collation?.length || p.opclass?.length || (p.ordering ?? 'SORTBY_DEFAULT') !== 'SORTBY_DEFAULT' || (p.nulls_ordering ?? 'SORTBY_NULLS_DEFAULT') !== 'SORTBY_NULLS_DEFAULT';
    // Expressions name the table's columns bare, which a probe over `table t` reads the same way.
    const expression = p.expr !== undefined && !decorated && columnRefs(p.expr).every((c) => ctx.catalog.column(entry, c).target?.name === c) ? texts?.[i] : undefined;
    const key = plain !== undefined && !decorated ? quoteIdent(plain) : expression;
    if (key === undefined || (s.whereClause && where === undefined)) return hazard('FL-05', id, message);
    columns.push(key);
  }
  return hazard('FL-05', id, message, probe(ctx, entry, {
    unique: { columns, ...(s.nulls_not_distinct ? { nullsNotDistinct: true } : {}) },
    ...(where !== undefined ? { where } : {}),
  }));
}

/** CREATE TABLE, CREATE TABLE AS, SELECT INTO: a table later statements find new and empty. */
export function createdTable(ctx: StatementContext, node: Node): void {
  const relation = 'CreateStmt' in node ? node.CreateStmt.relation
    : 'CreateTableAsStmt' in node && node.CreateTableAsStmt.objtype === 'OBJECT_TABLE' ? node.CreateTableAsStmt.into?.rel
      : 'SelectStmt' in node ? node.SelectStmt.intoClause?.rel
        : undefined;
  if (!relation?.relname) return;
  // CREATE TABLE IF NOT EXISTS of a table that is there does nothing.
  const ifNotExists = 'CreateStmt' in node && node.CreateStmt.if_not_exists === true;
  if (ifNotExists && tableOf(ctx, relation)) return;
  ctx.catalog.createTable(relation.schemaname, relation.relname);
}

/** RENAME of a table or column: followed, and on the target's own objects CP-01. */
export function renamed(ctx: StatementContext, s: RenameStmt): Hazard[] {
  const entry = tableOf(ctx, s.relation);
  if (!entry || !s.newname) return [];
  const before = ctx.catalog.tableId(entry);
  if (s.renameType === 'OBJECT_TABLE') {
    ctx.catalog.renameTable(entry, s.newname);
    return existing(entry) ? [tableRenamed(ctx.catalog.tableId(entry), nameOfId(before), s.newname)] : [];
  }
  if (s.renameType === 'OBJECT_COLUMN' && s.subname) {
    const column = ctx.catalog.column(entry, s.subname).target;
    ctx.catalog.renameColumn(entry, s.subname, s.newname);
    return existing(entry) && column ? [columnRenamed(ids.column(entry.schema, entry.name, s.newname), nameOfId(before), s.subname, s.newname)] : [];
  }
  return [];
}

/** CREATE TYPE (enum, composite), CREATE DOMAIN, ALTER TYPE … ADD VALUE: types later statements can use. */
export function typeStatement(ctx: StatementContext, node: Node): void {
  const split = (parts: string[]): [string | undefined, string] => [parts.length > 1 ? parts[parts.length - 2] : undefined, parts[parts.length - 1] ?? ''];
  if ('CreateEnumStmt' in node) {
    const [schema, name] = split(names(node.CreateEnumStmt.typeName));
    ctx.catalog.createType(schema, name, names(node.CreateEnumStmt.vals));
  } else if ('CreateDomainStmt' in node) {
    ctx.catalog.createType(...split(names(node.CreateDomainStmt.domainname)));
  } else if ('CompositeTypeStmt' in node && node.CompositeTypeStmt.typevar?.relname) {
    ctx.catalog.createType(node.CompositeTypeStmt.typevar.schemaname, node.CompositeTypeStmt.typevar.relname);
  } else if ('AlterEnumStmt' in node && node.AlterEnumStmt.newVal !== undefined) {
    ctx.catalog.enumLabel(...split(names(node.AlterEnumStmt.typeName)), node.AlterEnumStmt.newVal, node.AlterEnumStmt.oldVal);
  }
}

/** `SET [LOCAL] search_path TO a, b`; `TO DEFAULT` and `RESET` go back to the connection's. */
export function searchPathSet(ctx: StatementContext, s: VariableSetStmt): void {
  if (s.name !== 'search_path') return;
  if (s.kind === 'VAR_SET_VALUE') {
    ctx.catalog.setSearchPath((s.args ?? []).flatMap((a) => ('A_Const' in a && a.A_Const.sval?.sval !== undefined ? [a.A_Const.sval.sval] : [])));
  } else if (s.kind === 'VAR_SET_DEFAULT' || s.kind === 'VAR_RESET' || s.kind === 'VAR_RESET_ALL') {
    ctx.catalog.setSearchPath(undefined);
  }
}
