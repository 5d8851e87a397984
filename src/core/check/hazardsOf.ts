/**
 * A statement's hazards, read from its parse tree (never from its text), in the file's order:
 * each statement also updates what later ones see (tables created, renamed, dropped).
 */
import type { Hazard } from '../hazards/types';
import { alterTableHazards } from './alterTable';
import { tableOf, type StatementContext } from './context';
import type { LocatedStatement } from './split';
import { createdTable, createIndexHazards, dropHazards, extensionUpdated, renamed, searchPathSet, typeStatement } from './statements';
import { nonTransactional, nonTransactionalStatement, transactionBlockAfter } from './transactions';

/**
 * Statements that may fill the columns the file added (catalog.onlyNull): DML on a table, and
 * anything that runs code (DO, CALL, a SELECT, which may call a function that writes).
 */
function wroteRows(ctx: StatementContext, node: LocatedStatement['node']): void {
  const dml = 'UpdateStmt' in node ? node.UpdateStmt : 'InsertStmt' in node ? node.InsertStmt : 'MergeStmt' in node ? node.MergeStmt : 'CopyStmt' in node ? node.CopyStmt : undefined;
  // A table the catalog does not know could be any of them.
  if (dml) ctx.catalog.wrote(dml.relation ? tableOf(ctx, dml.relation) : undefined);
  else if ('DoStmt' in node || 'CallStmt' in node || 'SelectStmt' in node) {
    ctx.catalog.wrote(undefined);
  }
}

export function hazardsOf(ctx: StatementContext, statement: LocatedStatement): Hazard[] {
  const node = statement.node;
  ctx.statement = statement;
  ctx.inTransactionBlock = transactionBlockAfter(node, ctx.inTransactionBlock === true);
  if ('AlterTableStmt' in node) {
    const s = node.AlterTableStmt;
    if (s.objtype !== 'OBJECT_TABLE') return [];
    const entry = tableOf(ctx, s.relation);
    if (!entry) return [];
    return (s.cmds ?? []).flatMap((c) => ('AlterTableCmd' in c ? alterTableHazards(ctx, entry, c.AlterTableCmd) : []));
  }
  if ('DropStmt' in node) return dropHazards(ctx, node.DropStmt);
  if ('IndexStmt' in node) return createIndexHazards(ctx, node.IndexStmt);
  if ('RenameStmt' in node) return renamed(ctx, node.RenameStmt);
  if ('AlterExtensionStmt' in node) return extensionUpdated(ctx, node.AlterExtensionStmt);
  if ('VariableSetStmt' in node) {
    searchPathSet(ctx, node.VariableSetStmt);
    return [];
  }
  wroteRows(ctx, node);
  createdTable(ctx, node);
  typeStatement(ctx, node);
  const standalone = nonTransactionalStatement(node, ctx.catalog.path);
  return standalone ? [nonTransactional(standalone.object, standalone.what, ctx.inTransactionBlock)] : [];
}
