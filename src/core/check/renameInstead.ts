/**
 * Rename instead of drop + add: DROP COLUMN a and ADD COLUMN b of the same type on the same table
 * delete a's values and leave b empty; the RENAME COLUMN the plan writes (diff/renames.ts) keeps them.
 */
import type { AlterTableCmd, AlterTableStmt, ColumnDef } from 'libpg-query';
import { renameColumnSql } from '../diff/renames';
import { qualify } from '../diff/sql';
import { show } from '../hazards/measure/bounded';
import { FileCatalog } from './catalog';
import type { LocatedHazard } from './index';
import type { LocatedStatement } from './split';
import type { KnownSchema } from './static';
import { alterOf, columnOfId, commands, sameRelation, tableIdOf, wholeLines, withSemicolon, type CheckedText, type StatementRemedy, type TextEdit } from './statementEdits';
import { formatTypeName } from './typeName';

/** ADD COLUMN with a type only (NULL allowed): the same column a RENAME leaves. */
function plainAdd(cmd: AlterTableCmd): ColumnDef | undefined {
  if (cmd.subtype !== 'AT_AddColumn' || cmd.missing_ok || !cmd.def || !('ColumnDef' in cmd.def)) return undefined;
  const def = cmd.def.ColumnDef;
  const constraints = (def.constraints ?? []).flatMap((n) => ('Constraint' in n ? [n.Constraint] : []));
  if (def.collClause || def.is_not_null || constraints.some((c) => c.contype !== 'CONSTR_NULL')) return undefined;
  return def;
}

export function renameInstead(h: LocatedHazard, file: CheckedText, schema: KnownSchema | undefined): StatementRemedy | undefined {
  const drop = h.statement;
  const stmt = alterOf(drop);
  if (h.code !== 'DL-02' || !stmt || !schema) return undefined;
  const dropped = columnOfId(h.object);
  const cmds = commands(stmt);
  const dropCmd = cmds.find((c) => c.subtype === 'AT_DropColumn' && c.name === dropped);
  const table = schema.model.tables.find((t) => t.id === tableIdOf(h.object));
  const column = table?.columns.find((c) => c.name === dropped);
  // The column a RENAME keeps must be the one the ADD creates: nullable, no default, not computed.
  if (!dropCmd || !table || !column || column.notNull || column.default !== undefined || column.identity || column.generated || column.collation) return undefined;
  const catalog = new FileCatalog(schema.model, [...schema.searchPath]);
  const sameType = (def: ColumnDef) => def.typeName !== undefined && formatTypeName(def.typeName, (s, n) => catalog.userType(s, n)) === column.type;
  const relation = stmt.relation;
  let add: { name: string; statement?: LocatedStatement } | undefined;
  if (cmds.length === 2) {
    const def = cmds.map(plainAdd).find((d) => d !== undefined);
    if (def?.colname && sameType(def)) add = { name: def.colname };
  } else if (cmds.length === 1) {
    const later = file.statements.filter((s) => {
      const a = s.index > drop.index ? alterOf(s) : undefined;
      if (!a || !sameRelation(a.relation, relation)) return false;
      const only = commands(a);
      const def = only.length === 1 && only[0] ? plainAdd(only[0]) : undefined;
      return def?.colname !== undefined && sameType(def);
    });
    const found = later.length === 1 ? later[0] : undefined;
    const def = found ? plainAdd(commands(alterOf(found) as AlterTableStmt)[0] as AlterTableCmd) : undefined;
    if (found && def?.colname) add = { name: def.colname, statement: found };
  }
  if (!add || add.name === dropped) return undefined;
  const sql = `${renameColumnSql(qualify(table.schema, table.name), column.name, add.name)};`;
  const edits: TextEdit[] = [{ ...withSemicolon(file.text, drop), text: sql }];
  if (add.statement) edits.push({ ...wholeLines(file.text, add.statement), text: '' });
  const values = h.evidence?.values;
  const kept = values ? `keeps its ${show(values)} value${values.value === 1 && !values.capped ? '' : 's'}` : 'keeps its values';
  return { kind: 'rename', title: `Rename ${dropped} to ${add.name} instead (${kept})`, edits };
}
