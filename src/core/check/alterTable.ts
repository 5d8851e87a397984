/**
 * ALTER TABLE, one subcommand at a time. On a table the file created earlier only the column
 * bookkeeping happens: it is empty, so nothing can be lost, rejected or locked for long.
 */
import type { AlterTableCmd, ColumnDef, Constraint as ConstraintNode, Node } from 'libpg-query';
import { nameOfId, quoteIdent } from '../diff/sql';
import { enumLabelSql } from '../hazards/measure/casts';
import { VOLATILE_DEFAULT_FUNCTIONS, typeChangeRewrites } from '../hazards/rewrites';
import { typeChangeEffects } from '../hazards/typeEffects';
import { hazard, type Hazard, type HazardCode } from '../hazards/types';
import { ids } from '../model/ids';
import { names, walk } from './ast';
import type { TableEntry } from './catalog';
import { addedConstraintHazards, notNullHazards, probe, validatedConstraintHazards, type Existing } from './constraints';
import { existing, tableOf, type StatementContext } from './context';
import { isJson, jsonHazard } from '../diff/columns';
import { accessExclusive, attachHazard, detachHazard, relogged } from '../diff/tables';
import { nonTransactional } from './transactions';
import { formatTypeName } from './typeName';

/** serial types: a sequence default, so every existing row gets a value (a rewrite). */
const SERIAL = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

export function alterTableHazards(ctx: StatementContext, entry: TableEntry, cmd: AlterTableCmd): Hazard[] {
  const name = cmd.name ?? '';
  switch (cmd.subtype) {
    case 'AT_AddColumn':
      return cmd.def && 'ColumnDef' in cmd.def ? addColumn(ctx, entry, cmd.def.ColumnDef) : [];
    case 'AT_DropColumn':
      return dropColumn(ctx, entry, name);
    case 'AT_SetNotNull':
      if (!existing(entry)) return [];
      return notNullHazards(ctx, entry, [name], (column) => `SET NOT NULL on ${column} fails if it holds NULLs.`, true);
    case 'AT_DropNotNull': {
      const column = existing(entry) ? ctx.catalog.column(entry, name).target : undefined;
      if (!column?.notNull) return [];
      return [hazard('CP-03', ids.column(entry.schema, entry.name, name), `Readers of ${nameOfId(ctx.catalog.tableId(entry))}.${name} may now see NULLs.`)];
    }
    case 'AT_AlterColumnType':
      return existing(entry) && cmd.def && 'ColumnDef' in cmd.def ? alterType(ctx, entry, name, cmd.def.ColumnDef) : [];
    case 'AT_AddConstraint':
      return existing(entry) && cmd.def && 'Constraint' in cmd.def ? addedConstraintHazards(ctx, entry, cmd.def.Constraint) : [];
    case 'AT_ValidateConstraint':
      return existing(entry) ? validatedConstraintHazards(ctx, entry, name) : [];
    case 'AT_DropConstraint':
      return existing(entry) ? droppedConstraint(ctx, entry, name) : [];
    case 'AT_DetachPartition': {
      const partition = cmd.def && 'PartitionCmd' in cmd.def ? cmd.def.PartitionCmd : undefined;
      if (partition?.concurrent) return [nonTransactional(ctx.catalog.tableId(entry), 'DETACH PARTITION CONCURRENTLY', ctx.inTransactionBlock)];
      const detached = tableOf(ctx, partition?.name);
      return existing(entry) ? [detachHazard(ctx.catalog.tableId(entry), detached ? nameOfId(ctx.catalog.tableId(detached)) : partition?.name?.relname ?? '')] : [];
    }
    case 'AT_AttachPartition': {
      const partition = cmd.def && 'PartitionCmd' in cmd.def ? cmd.def.PartitionCmd : undefined;
      const attached = tableOf(ctx, partition?.name);
      if (!existing(attached)) return [];
      const fallback = existing(entry)
        ? ctx.catalog.tablesIn(undefined).find((t) => t.target?.partitionOf?.parent === entry.target.id && t.target.partitionOf.bound === 'DEFAULT' && existing(t))
        : undefined;
      return [attachHazard(ctx.catalog.tableId(attached), undefined, fallback ? ctx.catalog.tableId(fallback) : undefined)];
    }
    // Row security switches take ACCESS EXCLUSIVE; SET LOGGED / UNLOGGED, SET TABLESPACE and SET
    // ACCESS METHOD copy the table under it.
    case 'AT_EnableRowSecurity': case 'AT_DisableRowSecurity': case 'AT_ForceRowSecurity': case 'AT_NoForceRowSecurity':
      return existing(entry) ? [accessExclusive(ctx.catalog.tableId(entry), ROW_SECURITY[cmd.subtype])] : [];
    case 'AT_SetLogged': case 'AT_SetUnLogged':
      return existing(entry) ? [relogged(ctx.catalog.tableId(entry), cmd.subtype === 'AT_SetLogged' ? 'SET LOGGED' : 'SET UNLOGGED')] : [];
    case 'AT_SetTableSpace': case 'AT_SetAccessMethod':
      return existing(entry) ? [relogged(ctx.catalog.tableId(entry), cmd.subtype === 'AT_SetTableSpace' ? 'SET TABLESPACE' : 'SET ACCESS METHOD')] : [];
    default:
      return [];
  }
}

const ROW_SECURITY = {
  AT_EnableRowSecurity: 'ENABLE ROW LEVEL SECURITY',
  AT_DisableRowSecurity: 'DISABLE ROW LEVEL SECURITY',
  AT_ForceRowSecurity: 'FORCE ROW LEVEL SECURITY',
  AT_NoForceRowSecurity: 'NO FORCE ROW LEVEL SECURITY',
} as const;

function addColumn(ctx: StatementContext, entry: TableEntry, def: ColumnDef): Hazard[] {
  const name = def.colname ?? '';
  const present = ctx.catalog.column(entry, name);
  // ADD COLUMN IF NOT EXISTS of a column that is there does nothing; without IF NOT EXISTS the
  // statement fails before touching a row. Either way there is nothing to measure.
  if (present.target || present.added) return [];
  const constraints = (def.constraints ?? []).flatMap((n) => ('Constraint' in n ? [n.Constraint] : []));
  const has = (type: ConstraintNode['contype']) => constraints.some((c) => c.contype === type);
  const generated = constraints.find((c) => c.contype === 'CONSTR_GENERATED');
  const typeName = names(def.typeName?.names);
  const serial = typeName.length === 1 && SERIAL.has(typeName[0] ?? '');
  const defaultExpr = constraints.find((c) => c.contype === 'CONSTR_DEFAULT')?.raw_expr;
  // Without a default (or identity, serial, generation) every existing row gets NULL in it.
  ctx.catalog.addColumn(entry, name, defaultExpr === undefined && !generated && !serial && !has('CONSTR_IDENTITY'));
  if (!existing(entry)) return [];
  const table = ctx.catalog.tableId(entry);
  const shown = nameOfId(table);
  const out: Hazard[] = [];
  // Stored generated columns (generated_kind 's', or absent before PostgreSQL 18's VIRTUAL),
  // identity, serial and volatile defaults compute a value for every existing row.
  const stored = generated !== undefined && generated.generated_kind !== 'v';
  if (has('CONSTR_IDENTITY') || stored || serial || callsVolatile(defaultExpr)) {
    out.push(hazard('LK-02', table, `Adding ${name} rewrites ${shown} under ACCESS EXCLUSIVE.`));
  }
  const notNull = def.is_not_null === true || has('CONSTR_NOTNULL') || has('CONSTR_PRIMARY');
  if (notNull && defaultExpr === undefined && !has('CONSTR_IDENTITY') && !generated && !serial) {
    out.push(hazard('FL-01', table, `Adding NOT NULL ${name} without a default fails if ${shown} has rows.`, probe(ctx, entry, {})));
  }
  for (const c of constraints) out.push(...inlineConstraintLocks(c, table, shown, name));
  if (def.typeName) {
    const type = formatTypeName(def.typeName, (schema, t) => ctx.catalog.userType(schema, t));
    if (isJson(type)) out.push(jsonHazard(table, name, type));
  }
  return out;
}

/** Constraints declared with a new column check only its new values, but still scan or build. */
function inlineConstraintLocks(c: ConstraintNode, table: string, shown: string, column: string): Hazard[] {
  const lock: Partial<Record<NonNullable<ConstraintNode['contype']>, [HazardCode, string]>> = {
    CONSTR_UNIQUE: ['LK-07', `Adding ${column} UNIQUE builds its index on ${shown} under ACCESS EXCLUSIVE.`],
    CONSTR_PRIMARY: ['LK-07', `Adding ${column} PRIMARY KEY builds its index on ${shown} under ACCESS EXCLUSIVE.`],
    CONSTR_CHECK: ['LK-05', `Adding ${column} with a CHECK scans ${shown} under ACCESS EXCLUSIVE.`],
    CONSTR_FOREIGN: ['LK-06', `Adding ${column} with a foreign key scans ${shown} and blocks writes to it and to the referenced table.`],
  };
  const found = c.contype ? lock[c.contype] : undefined;
  if (!found || c.skip_validation) return [];
  return [hazard(found[0], table, found[1])];
}

function callsVolatile(expression: Node | undefined): boolean {
  let found = false;
  walk(expression, (key, value) => {
    if (key !== 'FuncCall') return;
    const fn = names((value as { funcname?: Node[] }).funcname);
    if (VOLATILE_DEFAULT_FUNCTIONS.has(fn[fn.length - 1] ?? '')) found = true;
  });
  return found;
}

function dropColumn(ctx: StatementContext, entry: TableEntry, name: string): Hazard[] {
  const column = ctx.catalog.column(entry, name).target;
  ctx.catalog.dropColumn(entry, name);
  if (!column || !existing(entry)) return [];
  const id = ids.column(entry.schema, entry.name, name);
  return [hazard('DL-02', id, `Dropping ${nameOfId(ctx.catalog.tableId(entry))}.${name} deletes its values.`, probe(ctx, entry, { column: quoteIdent(column.name) }))];
}

/**
 * ALTER COLUMN … TYPE. What the change does to stored values comes from the rule the plan uses
 * (hazards/typeEffects.ts): a cast through the new type's input function may reject values
 * (FL-03), a narrower type may not hold them (FL-04), a rounding cast changes them silently
 * (DL-08). Without USING PostgreSQL applies the assignment cast, which raises "value too long"
 * for a shorter varchar; the explicit `USING col::varchar(n)` cuts those values instead (DL-08).
 * Any other USING expression is the user's own conversion, which only running it can check.
 */
function alterType(ctx: StatementContext, entry: Existing, name: string, def: ColumnDef): Hazard[] {
  const column = ctx.catalog.column(entry, name).target;
  if (!column || !def.typeName) return [];
  const from = column.type;
  const to = formatTypeName(def.typeName, (schema, type) => ctx.catalog.userType(schema, type));
  const using = def.raw_default;
  if (from === to && !using) return [];
  const table = ctx.catalog.tableId(entry);
  const shown = nameOfId(table);
  const id = ids.column(entry.schema, entry.name, name);
  const out: Hazard[] = [];
  if (typeChangeRewrites(from, to)) out.push(hazard('LK-03', table, `Changing ${name} to ${to} rewrites ${shown} and its indexes under ACCESS EXCLUSIVE.`));
  if (isJson(to) && !isJson(from)) out.push(jsonHazard(table, name, to));
  const explicitCast = using !== undefined && isCastOfColumn(using, name);
  if (using !== undefined && !explicitCast) {
    out.push(hazard('FL-03', id, `Changing ${shown}.${name} from ${from} to ${to} with a USING expression fails if it fails on a stored value (not measured).`));
    return out;
  }
  const col = quoteIdent(column.name);
  const labels = ctx.catalog.enumValues(to);
  const effects = typeChangeEffects(from, to, col, { fromEnum: ctx.catalog.enumValues(from) !== undefined, toEnum: labels !== undefined });
  const base = probe(ctx, entry, { column: col, cast: { from, to } });
  if (effects.noCast) {
    out.push(hazard('FL-03', id, `Changing ${shown}.${name} from ${from} to ${to} fails whatever the values: PostgreSQL has no cast between them (not measured).`));
    return out;
  }
  if (effects.inputCast) {
    // For an enum the labels are known (from the target, or from the file's CREATE TYPE), so the
    // probe needs no cast to a type the target may not have yet.
    const array = to.endsWith('[]');
    const where = labels ? { where: `t.${col} IS NOT NULL AND NOT ${enumLabelSql(`t.${col}::${array ? 'text[]' : 'text'}`, labels, array)}` } : {};
    out.push(hazard('FL-03', id, `Changing ${shown}.${name} from ${from} to ${to} fails if a stored value cannot be cast.`, { ...base, ...where }));
  }
  if (effects.overflow && explicitCast && effects.assignmentOnly) {
    out.push(hazard('DL-08', id, `USING ${name}::${to} silently cuts the values of ${shown}.${name} that are longer than ${to} allows.`, { ...base, where: effects.overflow }));
  } else if (effects.overflow) {
    out.push(hazard('FL-04', id, `Changing ${shown}.${name} from ${from} to ${to} fails if a stored value does not fit.`, { ...base, where: effects.overflow }));
  }
  if (effects.rounds) out.push(hazard('DL-08', id, `Changing ${shown}.${name} from ${from} to ${to} rounds or cuts values without an error.`, { ...base, where: effects.rounds }));
  return out;
}

/** `col::T`, or a chain of casts of the column itself (`col::text::status`). */
function isCastOfColumn(expression: Node, column: string): boolean {
  let node: Node | undefined = expression;
  if (!('TypeCast' in node)) return false;
  while (node && 'TypeCast' in node) node = node.TypeCast.arg;
  if (!node || !('ColumnRef' in node)) return false;
  const fields = names(node.ColumnRef.fields);
  return fields.length === 1 && fields[0] === column;
}

function droppedConstraint(ctx: StatementContext, entry: Existing, name: string): Hazard[] {
  const c = ctx.catalog.constraints(entry).find((x) => x.name === name);
  const referenced = c?.foreignKey?.referencedTable;
  if (!referenced || referenced === entry.target.id) return [];
  return [hazard('LK-10', referenced, `Dropping ${name} takes ACCESS EXCLUSIVE on ${nameOfId(referenced)} too.`)];
}
