/**
 * Views and materialized views. CREATE OR REPLACE VIEW keeps the view's oid, and with it every
 * object that depends on it, but PostgreSQL only accepts it when the existing columns keep their
 * names, types and order (new columns may be appended). Anything else, and any change to a
 * materialized view's query, drops and creates the view, with whatever depends on it.
 */
import type { View } from '../model/types';
import type { Statement } from '../plan/types';
import { commentAfterCreate, commentChange } from './comments';
import { requirementsOf, type DiffContext } from './context';
import { alterStatement, createStatement, dropStatement, type Alteration, type KindDiffer } from './kind';
import { ownershipAfterCreate, ownershipChange } from './ownership';
import { qualify, quoteIdent } from './sql';
import { storageOptionChange } from './storageOptions';

export const views: KindDiffer<View> = {
  list: (model) => model.views,
  kind: (v) => (v.materialized ? 'materialized view' : 'view'),
  create(view, ctx) {
    const name = qualify(view.schema, view.name);
    const statements: Statement[] = [createStatement(createSql(view, false), view.id, { needs: requirementsOf(ctx.to, view.id) })];
    statements.push(...commentAfterCreate(`${keyword(view)} ${name}`, view.id, view.comment, ctx));
    for (const column of view.columns) {
      statements.push(...commentAfterCreate(`COLUMN ${name}.${quoteIdent(column.name)}`, view.id, column.comment, ctx));
    }
    statements.push(...ownershipAfterCreate(keyword(view), name, view.id, view, ctx));
    return statements;
  },
  drop(view, ctx) {
    return [dropStatement(`DROP ${keyword(view)} ${qualify(view.schema, view.name)}`, view.id, {
      holds: requirementsOf(ctx.from, view.id),
    })];
  },
  alter: alterView,
};

function keyword(view: View): string {
  return view.materialized ? 'MATERIALIZED VIEW' : 'VIEW';
}

/**
 * pg_get_viewdef pretty-prints the query on its own lines and ends it with a semicolon, which a
 * CREATE statement cannot contain.
 */
function query(view: View): string {
  return view.definition.trimEnd().replace(/;$/, '');
}

function createSql(view: View, replace: boolean): string {
  const options = view.options?.length ? ` WITH (${view.options.join(', ')})` : '';
  const head = `CREATE ${replace ? 'OR REPLACE ' : ''}${keyword(view)} ${qualify(view.schema, view.name)}${options}`;
  if (view.materialized) return `${head} AS\n${query(view)}\nWITH ${view.populated === false ? 'NO ' : ''}DATA`;
  return `${head} AS\n${query(view)}`;
}

function alterView(from: View, to: View, ctx: DiffContext): Alteration | 'recreate' {
  const name = qualify(to.schema, to.name);
  const statements: Statement[] = [];
  const details: string[] = [];
  const columnsCompatible = from.columns.every((c, i) => to.columns[i]?.name === c.name && to.columns[i]?.type === c.type);
  if (from.definition !== to.definition || from.columns.length !== to.columns.length || !columnsCompatible) {
    if (to.materialized || !columnsCompatible) return 'recreate';
    // The replace reads the new query (needs) and stops reading the old one (holds).
    statements.push(alterStatement(createSql(to, true), to.id, {
      needs: requirementsOf(ctx.to, to.id), holds: requirementsOf(ctx.from, to.id),
    }));
    details.push('query changed');
  } else {
    const options = storageOptionChange(`${keyword(to)} ${name}`, to.id, from.options ?? [], to.options ?? []);
    statements.push(...options.statements);
    details.push(...options.details);
  }
  if (from.materialized && from.populated !== to.populated) {
    if (!to.populated) return 'recreate';
    statements.push(alterStatement(`REFRESH MATERIALIZED VIEW ${name}`, to.id, { needs: [to.id] }));
    details.push('populated');
  }
  const comment = commentChange(`${keyword(to)} ${name}`, to.id, from.comment, to.comment, ctx);
  statements.push(...comment.statements);
  details.push(...comment.details);
  for (const column of to.columns) {
    const before = from.columns.find((c) => c.name === column.name);
    const change = commentChange(`COLUMN ${name}.${quoteIdent(column.name)}`, to.id, before?.comment, column.comment, ctx);
    statements.push(...change.statements);
    details.push(...change.details.map((d) => `${column.name}: ${d}`));
  }
  const ownership = ownershipChange(keyword(to), name, to.id, from, to, ctx);
  statements.push(...ownership.statements);
  details.push(...ownership.details);
  return { statements, details };
}
