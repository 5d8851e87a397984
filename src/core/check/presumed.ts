/**
 * A schema presumed from the migration file alone, for checking it without a target: every table
 * the file alters, drops, indexes or renames before creating it is presumed to exist, with the
 * columns the file drops, renames, makes NOT NULL or puts in a constraint. Presumed columns are
 * nullable and of unknown type, and presumed tables have no constraints, so what depends on the
 * real schema (type changes, a column already NOT NULL, foreign keys of a dropped table) says
 * nothing rather than guessing.
 */
import type { AlterTableCmd, Node, RangeVar } from 'libpg-query';
import { ids } from '../model/ids';
import type { Column, SchemaModel, Table } from '../model/types';
import { listItems, names } from './ast';
import type { LocatedStatement } from './split';

/** Where unqualified names are presumed to live (PostgreSQL's default search path, for a role without its own schema). */
export const PRESUMED_SEARCH_PATH = ['public'];

export function presumedModel(statements: readonly LocatedStatement[]): SchemaModel {
  const created = new Set<string>();
  const tables = new Map<string, { schema: string; name: string; columns: Set<string> }>();
  const use = (schema: string | undefined, name: string | undefined, columns: readonly string[] = []) => {
    if (!name) return;
    const s = schema ?? PRESUMED_SEARCH_PATH[0] ?? 'public';
    const key = `${s}\0${name}`;
    if (created.has(key)) return;
    const table = tables.get(key) ?? { schema: s, name, columns: new Set<string>() };
    for (const c of columns) table.columns.add(c);
    tables.set(key, table);
  };
  const relation = (r: RangeVar | undefined, columns: readonly string[] = []) => use(r?.schemaname, r?.relname, columns);
  for (const { node } of statements) {
    if ('AlterTableStmt' in node && node.AlterTableStmt.objtype === 'OBJECT_TABLE') {
      const cmds = (node.AlterTableStmt.cmds ?? []).flatMap((c) => ('AlterTableCmd' in c ? [c.AlterTableCmd] : []));
      relation(node.AlterTableStmt.relation, cmds.flatMap(columnsOf));
    } else if ('DropStmt' in node && node.DropStmt.removeType === 'OBJECT_TABLE') {
      for (const object of node.DropStmt.objects ?? []) {
        const parts = names(listItems(object));
        use(parts.length > 1 ? parts[parts.length - 2] : undefined, parts[parts.length - 1]);
      }
    } else if ('IndexStmt' in node) {
      relation(node.IndexStmt.relation);
    } else if ('RenameStmt' in node && (node.RenameStmt.renameType === 'OBJECT_TABLE' || node.RenameStmt.renameType === 'OBJECT_COLUMN')) {
      relation(node.RenameStmt.relation, node.RenameStmt.subname ? [node.RenameStmt.subname] : []);
    } else {
      const r = createdRelation(node);
      if (r?.relname) created.add(`${r.schemaname ?? PRESUMED_SEARCH_PATH[0] ?? 'public'}\0${r.relname}`);
    }
  }
  return {
    schemas: [], extensions: [], enums: [], domains: [], composites: [], sequences: [],
    tables: [...tables.values()].map(presumedTable), constraints: [], indexes: [], views: [], routines: [], triggers: [], policies: [], dependencies: [],
  };
}

/** The columns of the target a subcommand reads: the ones it drops, makes NOT NULL or constrains. */
function columnsOf(cmd: AlterTableCmd): string[] {
  switch (cmd.subtype) {
    case 'AT_DropColumn': case 'AT_SetNotNull':
      return cmd.name ? [cmd.name] : [];
    case 'AT_AddConstraint': {
      const c = cmd.def && 'Constraint' in cmd.def ? cmd.def.Constraint : undefined;
      return [...names(c?.keys), ...names(c?.fk_attrs)];
    }
    default:
      return [];
  }
}

function createdRelation(node: Node): RangeVar | undefined {
  if ('CreateStmt' in node) return node.CreateStmt.relation;
  if ('CreateTableAsStmt' in node && node.CreateTableAsStmt.objtype === 'OBJECT_TABLE') return node.CreateTableAsStmt.into?.rel;
  if ('SelectStmt' in node) return node.SelectStmt.intoClause?.rel;
  return undefined;
}

function presumedTable(t: { schema: string; name: string; columns: Set<string> }): Table {
  // An empty type never equals a type the file names, and nothing reads it as one.
  const columns: Column[] = [...t.columns].map((name) => ({ name, type: '', notNull: false }));
  return { id: ids.table(t.schema, t.name), schema: t.schema, name: t.name, kind: 'table', owner: '', rowSecurity: false, forceRowSecurity: false, columns };
}
