/**
 * Statements PostgreSQL refuses inside a transaction block ("… cannot run inside a transaction
 * block"): run on their own, they commit at once, so a later failure does not undo them (TX-01).
 */
import type { Node } from 'libpg-query';
import { hazard, type Hazard } from '../hazards/types';
import { ids, quoteIdent } from '../model/ids';
import type { ObjectId } from '../model/types';

export function nonTransactional(object: ObjectId, what: string, inBlock = false): Hazard {
  return hazard('TX-01', object, inBlock
    ? `${what} is inside the file's BEGIN … COMMIT: PostgreSQL refuses it there ("cannot run inside a transaction block").`
    : `${what} cannot run inside a transaction block: it commits on its own and stays if a later statement fails.`);
}

/** BEGIN / START TRANSACTION opens a block; COMMIT, END, ROLLBACK (not TO SAVEPOINT) close it. */
export function transactionBlockAfter(node: Node, inBlock: boolean): boolean {
  if (!('TransactionStmt' in node)) return inBlock;
  const kind = node.TransactionStmt.kind;
  if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') return true;
  if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK' || kind === 'TRANS_STMT_PREPARE') return false;
  return inBlock;
}

/**
 * The statements that are never transactional whatever they act on: what to call them, and the
 * object a hazard names (so `-- pgdrift:accept TX-01 <object>` can name it).
 */
export function nonTransactionalStatement(node: Node, searchPath: readonly string[]): { what: string; object: ObjectId } | undefined {
  const relation = (schema: string | undefined, name: string | undefined, kind: 'table' | 'index'): ObjectId =>
    ids[kind](schema ?? searchPath[0] ?? 'public', name ?? '');
  if ('VacuumStmt' in node) {
    if (!node.VacuumStmt.is_vacuumcmd) return undefined;
    const first = (node.VacuumStmt.rels ?? []).flatMap((r) => ('VacuumRelation' in r && r.VacuumRelation.relation ? [r.VacuumRelation.relation] : []))[0];
    return { what: 'VACUUM', object: first ? relation(first.schemaname, first.relname, 'table') : 'database:""' };
  }
  if ('ReindexStmt' in node) {
    const s = node.ReindexStmt;
    if (!(s.params ?? []).some((p) => 'DefElem' in p && p.DefElem.defname === 'concurrently')) return undefined;
    const object = s.relation
      ? relation(s.relation.schemaname, s.relation.relname, s.kind === 'REINDEX_OBJECT_INDEX' ? 'index' : 'table')
      : `database:${quoteIdent(s.name ?? '')}`;
    return { what: 'REINDEX CONCURRENTLY', object };
  }
  if ('CreatedbStmt' in node) return { what: 'CREATE DATABASE', object: `database:${quoteIdent(node.CreatedbStmt.dbname ?? '')}` };
  if ('DropdbStmt' in node) return { what: 'DROP DATABASE', object: `database:${quoteIdent(node.DropdbStmt.dbname ?? '')}` };
  if ('CreateTableSpaceStmt' in node) return { what: 'CREATE TABLESPACE', object: `tablespace:${quoteIdent(node.CreateTableSpaceStmt.tablespacename ?? '')}` };
  if ('DropTableSpaceStmt' in node) return { what: 'DROP TABLESPACE', object: `tablespace:${quoteIdent(node.DropTableSpaceStmt.tablespacename ?? '')}` };
  if ('AlterSystemStmt' in node) return { what: 'ALTER SYSTEM', object: `setting:${quoteIdent(node.AlterSystemStmt.setstmt?.name ?? '')}` };
  if ('ClusterStmt' in node && !node.ClusterStmt.relation) return { what: 'CLUSTER', object: 'database:""' };
  return undefined;
}
