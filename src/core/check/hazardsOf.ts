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
  createdTable(ctx, node);
  typeStatement(ctx, node);
  const standalone = nonTransactionalStatement(node, ctx.catalog.path);
  return standalone ? [nonTransactional(standalone.object, standalone.what, ctx.inTransactionBlock)] : [];
}
