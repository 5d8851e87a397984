/**
 * Table constraints. PostgreSQL can only rename, validate or change the deferrability of a foreign
 * key in place, so any other change drops and adds the constraint. A primary key, unique or
 * exclusion constraint brings its index with it.
 *
 * Adding a constraint to a table that already holds rows checks those rows: duplicates make a
 * UNIQUE or PRIMARY KEY fail (FL-05), rows pointing at missing parents a FOREIGN KEY (FL-06),
 * rows violating it a CHECK (FL-07). Each such hazard carries a probe target the from-database can
 * answer, or says why it cannot (a column the plan adds or retypes does not hold its final values
 * there yet).
 *
 * With the `online` option, a constraint added to an existing table avoids holding a lock for the
 * whole check: a FOREIGN KEY or CHECK is added NOT VALID (new rows are checked from then on) and
 * validated in the validate phase, which only takes SHARE UPDATE EXCLUSIVE; a UNIQUE or PRIMARY
 * KEY gets its index built CONCURRENTLY first and then attached with ADD CONSTRAINT … USING INDEX.
 */
import type { Column, Constraint, Index, ObjectId, Table } from '../model/types';
import { hazard, type Hazard, type ProbeTarget } from '../hazards/types';
import type { Statement } from '../plan/types';
import { commentAfterCreate, commentChange } from './comments';
import { columnId, constraintKey, requirementsOf, type DiffContext } from './context';
import { alterStatement, createStatement, dropStatement, sameExcept, type KindDiffer } from './kind';
import { indexExtras, newExtensions } from './indexes';
import { literal, nameOfId, quoteIdent } from './sql';
import { referencesOtherTable } from './tables';

export const constraints: KindDiffer<Constraint> = {
  list: (model) => model.constraints.filter((c) => !c.inherited),
  kind: () => 'constraint',
  parent: (c) => c.table,
  create(c, ctx) {
    const form = onlineForm(c, ctx);
    if (form === 'not valid') return addNotValid(c, ctx);
    if (form === 'using index') return addUsingIndex(c, ctx);
    const table = nameOfId(c.table);
    const index = backingIndex(c, ctx, 'to');
    const statements: Statement[] = [createStatement(`ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(c.name)} ${definition(c)}`, c.id, {
      creates: index ? [c.id, index] : [c.id],
      needs: [c.table, ...requirementsOf(ctx.to, c.id, ...(index ? [index] : []))],
      ...hazardsOf([...rowHazards(c, ctx), ...lockHazards(c, ctx)]),
    })];
    statements.push(...commentAfterCreate(`CONSTRAINT ${quoteIdent(c.name)} ON ${table}`, c.id, c.comment, ctx));
    // The index comes with the constraint, but not its storage parameters (pg_get_constraintdef
    // leaves them out) nor its comment.
    const backing = index ? ctx.to.objects.get(index) as Index | undefined : undefined;
    if (backing) statements.push(...indexExtras(backing, ctx));
    return statements;
  },
  drop(c, ctx) {
    const index = backingIndex(c, ctx, 'from');
    return [dropStatement(`ALTER TABLE ${nameOfId(c.table)} DROP CONSTRAINT ${quoteIdent(c.name)}`, c.id, {
      drops: index ? [c.id, index] : [c.id],
      holds: [c.table, ...requirementsOf(ctx.from, c.id, ...(index ? [index] : []))],
      ...(c.foreignKey && c.foreignKey.referencedTable !== c.table
        ? { hazards: [hazard('LK-10', c.foreignKey.referencedTable, `Dropping ${c.name} takes ACCESS EXCLUSIVE on ${nameOfId(c.foreignKey.referencedTable)} too.`)] }
        : {}),
    })];
  },
  alter(from, to, ctx) {
    if (!sameExcept(from, to, 'comment')) return 'recreate';
    return commentChange(`CONSTRAINT ${quoteIdent(to.name)} ON ${nameOfId(to.table)}`, to.id, from.comment, to.comment, ctx);
  },
  droppedWithParent: (c, ctx) => ctx.removed.has(c.table) && !referencesOtherTable(c),
};

/**
 * pg_get_constraintdef already says NOT VALID (and, on 18, NOT ENFORCED). A constraint added NOT
 * VALID skips checking existing rows, which is what the desired database has too.
 */
function definition(c: Constraint): string {
  return c.definition;
}

function hazardsOf(list: Hazard[]): { hazards?: Hazard[] } {
  return list.length ? { hazards: list } : {};
}

/** The id of the index a primary key, unique or exclusion constraint owns. */
function backingIndex(c: Constraint, ctx: DiffContext, side: 'from' | 'to'): ObjectId | undefined {
  if (c.kind !== 'primary key' && c.kind !== 'unique' && c.kind !== 'exclusion') return undefined;
  return ctx[side].constraintIndexes.get(constraintKey(c.table, c.name));
}

/** A table that exists before the plan runs (and may hold rows); the plan's new tables are empty. */
export function existingTable(table: ObjectId, ctx: DiffContext): boolean {
  return ctx.from.objects.has(table) && !ctx.removed.has(table);
}

/** A plain table on both sides: partitioned tables refuse CONCURRENTLY, USING INDEX and (before 18) NOT VALID foreign keys. */
export function plainTableOnBothSides(table: ObjectId, ctx: DiffContext): boolean {
  const from = ctx.from.objects.get(table) as Table | undefined;
  const to = ctx.to.objects.get(table) as Table | undefined;
  return from?.kind === 'table' && to?.kind === 'table';
}

/** Whether rows are checked when the constraint is added: not for NOT VALID or NOT ENFORCED ones. */
function checksRows(c: Constraint): boolean {
  return c.validated && c.enforced;
}

function onlineForm(c: Constraint, ctx: DiffContext): 'not valid' | 'using index' | undefined {
  if (!ctx.options.online || !checksRows(c) || !existingTable(c.table, ctx) || !plainTableOnBothSides(c.table, ctx)) return undefined;
  if (c.kind === 'check' || c.kind === 'foreign key') return 'not valid';
  if ((c.kind === 'unique' || c.kind === 'primary key') && plainBtreeKey(c, ctx)) return 'using index';
  return undefined;
}

/**
 * Whether CREATE UNIQUE INDEX can build the key's index: a btree on plain columns. A temporal key
 * (WITHOUT OVERLAPS, PostgreSQL 18) is a GiST index with exclusion semantics, and an index built
 * by hand lives in the default tablespace.
 */
function plainBtreeKey(c: Constraint, ctx: DiffContext): boolean {
  const id = backingIndex(c, ctx, 'to');
  const index = id ? ctx.to.objects.get(id) as Index | undefined : undefined;
  return index?.method === 'btree' && !temporal(c) && !c.definition.includes('USING INDEX TABLESPACE');
}

function temporal(c: Constraint): boolean {
  return c.definition.includes('WITHOUT OVERLAPS');
}

/**
 * R-FK-NOTVALID: ADD … NOT VALID takes its lock only briefly (new rows are checked from then on);
 * VALIDATE CONSTRAINT scans the existing rows under SHARE UPDATE EXCLUSIVE, which lets reads and
 * writes go on, and runs in the validate phase, in a later transaction than the ADD (TX-05).
 */
function addNotValid(c: Constraint, ctx: DiffContext): Statement[] {
  const table = nameOfId(c.table);
  const name = quoteIdent(c.name);
  return [
    createStatement(`ALTER TABLE ${table} ADD CONSTRAINT ${name} ${c.definition} NOT VALID`, c.id, {
      needs: [c.table, ...requirementsOf(ctx.to, c.id)],
    }),
    alterStatement(`ALTER TABLE ${table} VALIDATE CONSTRAINT ${name}`, c.id, {
      phase: 'validate', needs: [c.id], ...hazardsOf(rowHazards(c, ctx)),
    }),
    ...commentAfterCreate(`CONSTRAINT ${name} ON ${table}`, c.id, c.comment, ctx),
  ];
}

/**
 * R-UNIQUE-CONC: CREATE UNIQUE INDEX CONCURRENTLY builds the index without blocking writes (it
 * cannot run in a transaction block, and a failed build leaves an INVALID index behind), then
 * ADD CONSTRAINT … USING INDEX attaches it in a moment, renaming it to the constraint's name.
 */
function addUsingIndex(c: Constraint, ctx: DiffContext): Statement[] {
  const table = nameOfId(c.table);
  const name = quoteIdent(c.name);
  const indexId = backingIndex(c, ctx, 'to') as ObjectId;
  const index = ctx.to.objects.get(indexId) as Index | undefined;
  const include = index?.include?.length ? ` INCLUDE (${index.include.join(', ')})` : '';
  const nulls = c.nullsNotDistinct ? ' NULLS NOT DISTINCT' : '';
  const kind = c.kind === 'primary key' ? 'PRIMARY KEY' : 'UNIQUE';
  const deferrable = c.deferrable ? ` DEFERRABLE${c.initiallyDeferred ? ' INITIALLY DEFERRED' : ''}` : '';
  const phase = c.kind === 'primary key' && !notNullBefore(c, ctx) ? { phase: 'validate' as const } : {};
  return [
    createStatement(`CREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${table} (${c.columns.map(quoteIdent).join(', ')})${include}${nulls}`, indexId, {
      creates: [indexId],
      // The columns are the constraint's requirements; its index only depends on the constraint.
      needs: [c.table, ...requirementsOf(ctx.to, c.id, indexId), ...newExtensions(ctx)],
      transactional: false,
      hazards: [...rowHazards(c, ctx), concurrentBuild(c.name, c.table)],
    }),
    createStatement(`ALTER TABLE ${table} ADD CONSTRAINT ${name} ${kind} USING INDEX ${name}${deferrable}`, c.id, {
      creates: [c.id],
      needs: [c.table, indexId, ...requirementsOf(ctx.to, c.id, indexId)],
      ...phase,
    }),
    ...commentAfterCreate(`CONSTRAINT ${name} ON ${table}`, c.id, c.comment, ctx).map((st) => ({ ...st, ...phase })),
    ...(index ? indexExtras(index, ctx) : []),
  ];
}

/**
 * Whether the primary key's columns are NOT NULL before the plan. If not, the online plan makes
 * them NOT NULL in the validate phase (a validated CHECK first, so SET NOT NULL skips its scan);
 * the key waits until then, or attaching it would make them NOT NULL itself, scanning the table
 * under ACCESS EXCLUSIVE.
 */
function notNullBefore(c: Constraint, ctx: DiffContext): boolean {
  const columns = (ctx.from.objects.get(c.table) as Table | undefined)?.columns ?? [];
  return c.columns.every((n) => columns.find((col) => col.name === n)?.notNull === true);
}

/** TX-01 for an index built or dropped CONCURRENTLY, outside the plan's transactions. */
export function concurrentBuild(name: string, table: ObjectId): Hazard {
  return hazard('TX-01', table, `The index ${name} is built CONCURRENTLY, outside a transaction: it stays if a later statement fails, and a failed build leaves an INVALID index to drop before retrying.`);
}

/**
 * Adding a constraint to a table that already exists checks every row under a lock (HAZARDS.md
 * §7.1); on a table the plan creates there is nothing to check. NOT VALID skips the check.
 */
function lockHazards(c: Constraint, ctx: DiffContext): Hazard[] {
  if (!existingTable(c.table, ctx)) return [];
  const table = nameOfId(c.table);
  const out: Hazard[] = [];
  if (c.kind === 'check' && c.validated) out.push(hazard('LK-05', c.table, `Adding ${c.name} scans ${table} under ACCESS EXCLUSIVE.`));
  if (c.kind === 'foreign key' && c.validated && c.foreignKey) {
    out.push(hazard('LK-06', c.table, `Adding ${c.name} scans ${table} and blocks writes to it and to ${nameOfId(c.foreignKey.referencedTable)}.`));
  }
  if (c.kind === 'primary key' || c.kind === 'unique') out.push(hazard('LK-07', c.table, `Adding ${c.name} builds its index on ${table} under ACCESS EXCLUSIVE.`));
  if (c.kind === 'exclusion') out.push(hazard('LK-13', c.table, `Adding ${c.name} (cannot be NOT VALID) scans ${table} and builds its index under ACCESS EXCLUSIVE.`));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rows the new constraint must accept (FL-05, FL-06, FL-07)

function rowHazards(c: Constraint, ctx: DiffContext): Hazard[] {
  if (!checksRows(c) || !existingTable(c.table, ctx) || alreadyHeld(c, ctx)) return [];
  let found: Hazard | undefined;
  if (c.kind === 'unique' || c.kind === 'primary key') found = constraintUniqueHazard(c, ctx);
  else if (c.kind === 'foreign key') found = foreignKeyHazard(c, ctx);
  else if (c.kind === 'check') found = checkHazard(c, ctx);
  return found ? [found] : [];
}

/**
 * A validated constraint of the from-database that makes the same demand on the same rows (the
 * same constraint recreated for its deferrability or ON DELETE action): the rows already pass.
 */
function alreadyHeld(c: Constraint, ctx: DiffContext): boolean {
  const before = ctx.from.model.constraints.filter((o) => o.table === c.table && o.kind === c.kind && checksRows(o));
  if (c.kind === 'check') return before.some((o) => o.definition === c.definition && sameColumns(c, ctx));
  if (c.kind !== 'foreign key' || !c.foreignKey) return false;
  const fk = c.foreignKey;
  return before.some((o) => o.foreignKey && JSON.stringify(o.columns) === JSON.stringify(c.columns)
    && o.foreignKey.referencedTable === fk.referencedTable && o.foreignKey.match === fk.match
    && JSON.stringify(o.foreignKey.referencedColumns) === JSON.stringify(fk.referencedColumns) && sameColumns(c, ctx));
}

/** The constraint's columns read the same before and after (none added or retyped). */
function sameColumns(c: Constraint, ctx: DiffContext): boolean {
  const tables = [c.table, ...(c.foreignKey ? [c.foreignKey.referencedTable] : [])];
  return tables.every((t) => blockerOf(c.id, t, ctx) === undefined);
}

/** How a column of the desired table reads on the from-database before the plan runs. */
type ColumnOnFrom = 'same' | 'null' | { reason: string };

/**
 * A column the plan neither adds nor changes reads the same; a column it adds without a default
 * (or generated value) is NULL in every existing row. Anything else does not hold its final
 * values on the from-database yet: a new column with a default, a retyped one, or a new column
 * whose twin (same name up to case and underscores) the plan may copy into it.
 */
function columnOnFrom(table: ObjectId, name: string, ctx: DiffContext): ColumnOnFrom {
  const before = (ctx.from.objects.get(table) as Table | undefined)?.columns;
  const after = (ctx.to.objects.get(table) as Table | undefined)?.columns.find((col) => col.name === name);
  const a = before?.find((col) => col.name === name);
  const label = `${nameOfId(table)}.${quoteIdent(name)}`;
  if (a && after) return sameValues(a, after) ? 'same' : { reason: `${label} changes in this plan` };
  if (!after || after.default !== undefined || after.identity || after.generated) return { reason: `${label} is new in this plan and filled from its default` };
  const fold = (n: string) => n.toLowerCase().replace(/_/g, '');
  const twin = before?.find((col) => fold(col.name) === fold(name));
  return twin ? { reason: `${label} is new in this plan and may be copied from ${quoteIdent(twin.name)}` } : 'null';
}

function sameValues(a: Column, b: Column): boolean {
  return a.type === b.type && a.collation === b.collation && JSON.stringify(a.generated) === JSON.stringify(b.generated);
}

/**
 * Why the from-database cannot answer for `id` (a constraint or index): a column of `table` it
 * uses that the plan adds (unless it stays NULL, `nullOk`) or retypes, or a function, type or
 * domain it uses that the plan creates or changes.
 */
export function blockerOf(id: ObjectId, table: ObjectId, ctx: DiffContext, nullOk: readonly string[] = []): string | undefined {
  const columns = new Map(((ctx.to.objects.get(table) as Table | undefined)?.columns ?? []).map((col) => [columnId(table, col.name), col.name]));
  for (const r of requirementsOf(ctx.to, id)) {
    const column = columns.get(r);
    if (column !== undefined) {
      const state = columnOnFrom(table, column, ctx);
      if (state === 'null' && nullOk.includes(column)) continue;
      if (state !== 'same') return state === 'null' ? `${nameOfId(table)}.${quoteIdent(column)} is new in this plan` : state.reason;
      continue;
    }
    const kind = r.slice(0, r.indexOf(':'));
    if (['table', 'column', 'schema', 'index', 'constraint', 'extension'].includes(kind)) continue;
    if (!ctx.from.objects.has(r)) return `${nameOfId(r)} is new in this plan`;
    if (JSON.stringify(ctx.from.objects.get(r)) !== JSON.stringify(ctx.to.objects.get(r))) return `${nameOfId(r)} changes in this plan`;
  }
  return undefined;
}

/** The hazard as stated, when the from-database cannot measure it. */
function unmeasured(code: 'FL-05' | 'FL-06' | 'FL-07', object: ObjectId, message: string, reason: string): Hazard {
  return hazard(code, object, `${message} Not measured: ${reason}.`);
}

/** The table's primary-key columns on the from-database, quoted. */
function primaryKeyOf(table: ObjectId, ctx: DiffContext): string[] | undefined {
  const pk = ctx.from.model.constraints.find((o) => o.table === table && o.kind === 'primary key');
  return pk?.columns.map(quoteIdent);
}

// FL-05 ----------------------------------------------------------------------------------------

export interface UniqueKey {
  /** The constraint or index. */
  object: ObjectId;
  name: string;
  table: ObjectId;
  /** Quoted column names or index expressions over alias `t`. */
  columns: string[];
  /** Plain column names among the keys (unquoted). */
  plainColumns: string[];
  nullsNotDistinct: boolean;
  primaryKey: boolean;
  /** A partial index's predicate. */
  predicate?: string;
}

function constraintUniqueHazard(c: Constraint, ctx: DiffContext): Hazard | undefined {
  if (temporal(c)) {
    return unmeasured('FL-05', c.id, `Adding ${c.name} fails if rows of ${nameOfId(c.table)} share a key with overlapping periods.`, 'overlapping periods are not counted');
  }
  return uniqueHazard({
    object: c.id, name: c.name, table: c.table, columns: c.columns.map(quoteIdent), plainColumns: c.columns,
    nullsNotDistinct: c.nullsNotDistinct === true, primaryKey: c.kind === 'primary key',
  }, ctx);
}

/**
 * FL-05. A key column the plan adds without a default is NULL in every row, and keys holding a
 * NULL never collide unless NULLS NOT DISTINCT: then there is nothing to measure.
 */
export function uniqueHazard(key: UniqueKey, ctx: DiffContext): Hazard | undefined {
  const cols = key.plainColumns.length === key.columns.length ? key.plainColumns.map(quoteIdent).join(', ') : key.columns.join(', ');
  const message = `${key.primaryKey ? 'Adding the primary key' : key.object.startsWith('index:') ? 'Building the unique index' : 'Adding the unique constraint'} ${key.name} fails if ${nameOfId(key.table)} holds duplicates in (${cols})${key.primaryKey ? ' or NULLs' : ''}.`;
  const allNull = key.plainColumns.filter((n) => columnOnFrom(key.table, n, ctx) === 'null');
  if (allNull.length && !key.nullsNotDistinct && !key.primaryKey) return undefined;
  const reason = blockerOf(key.object, key.table, ctx);
  if (reason) return unmeasured('FL-05', key.object, message, reason);
  const target: ProbeTarget = {
    table: nameOfId(key.table),
    unique: { columns: key.columns, ...(key.nullsNotDistinct ? { nullsNotDistinct: true } : {}) },
    ...(key.predicate ? { where: key.predicate } : {}),
    ...(key.primaryKey ? { key: key.columns } : {}),
  };
  return hazard('FL-05', key.object, message, target);
}

// FL-06 ----------------------------------------------------------------------------------------

/**
 * FL-06. A row is checked (MATCH SIMPLE) only when all its key columns are non-null; MATCH FULL
 * also rejects a key that is partly NULL. On the from-database, a key column the plan adds
 * without a default reads as NULL; a parent the plan creates (or whose key columns it adds) has
 * no rows yet, so every checked row is an orphan.
 */
function foreignKeyHazard(c: Constraint, ctx: DiffContext): Hazard | undefined {
  const fk = c.foreignKey;
  if (!fk) return undefined;
  const parent = nameOfId(fk.referencedTable);
  const message = `Adding ${c.name} fails if rows of ${nameOfId(c.table)} point at missing ${parent} rows.`;
  const values = c.columns.map((n) => ({ name: n, state: columnOnFrom(c.table, n, ctx) }));
  const blocked = values.find((v) => typeof v.state === 'object');
  if (blocked && typeof blocked.state === 'object') return unmeasured('FL-06', c.id, message, blocked.state.reason);
  const nulls = values.filter((v) => v.state === 'null');
  if (nulls.length === values.length || (nulls.length && fk.match !== 'full')) return undefined;
  const expressions = values.map((v) => (v.state === 'null' ? 'NULL' : `t.${quoteIdent(v.name)}`));
  const emptyParent = parentIsEmpty(c, ctx);
  if (typeof emptyParent === 'object') return unmeasured('FL-06', c.id, message, emptyParent.reason);
  const exists = emptyParent
    ? 'true'
    : `NOT EXISTS (SELECT 1 FROM ${parent} p WHERE ${fk.referencedColumns.map((r, i) => `p.${quoteIdent(r)} = ${expressions[i] ?? 'NULL'}`).join(' AND ')})`;
  const where = fk.match === 'full'
    ? `NOT (${expressions.map((e) => `${e} IS NULL`).join(' AND ')}) AND (${expressions.map((e) => `${e} IS NULL`).join(' OR ')} OR ${exists})`
    : `${expressions.map((e) => `${e} IS NOT NULL`).join(' AND ')}${emptyParent ? '' : ` AND ${exists}`}`;
  const sample = `concat_ws(', ', ${values.map((v, i) => `${literal(`${displayName(v.name)}=`)} || quote_nullable((${expressions[i]})::text)`).join(', ')})`;
  return hazard('FL-06', c.id, emptyParent ? `${message} ${parent} has no rows before this plan.` : message, { table: nameOfId(c.table), where, sample });
}

/** Whether the parent holds no keys on the from-database yet (true), holds them (false), or cannot say. */
function parentIsEmpty(c: Constraint, ctx: DiffContext): boolean | { reason: string } {
  const fk = c.foreignKey;
  if (!fk || !ctx.from.objects.has(fk.referencedTable)) return true;
  let empty = false;
  for (const r of fk.referencedColumns) {
    const state = columnOnFrom(fk.referencedTable, r, ctx);
    if (typeof state === 'object') return state;
    if (state === 'null') empty = true;
  }
  return empty;
}

/** A column name as users read it: bare when PostgreSQL would not quote it. */
function displayName(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : quoteIdent(name);
}

// FL-07 ----------------------------------------------------------------------------------------

/**
 * FL-07. A row violates a CHECK when its expression is false; NULL passes, as in PostgreSQL. Each
 * violating row is shown by its primary key, or as a whole row when the table has none.
 */
function checkHazard(c: Constraint, ctx: DiffContext): Hazard | undefined {
  const expression = checkExpressionOf(c.definition);
  const table = nameOfId(c.table);
  const message = `Adding ${c.name} fails if rows of ${table} violate CHECK (${expression ?? c.definition}).`;
  if (expression === undefined) return unmeasured('FL-07', c.id, message, 'the expression could not be read');
  const reason = blockerOf(c.id, c.table, ctx);
  if (reason) return unmeasured('FL-07', c.id, message, reason);
  const key = primaryKeyOf(c.table, ctx);
  const sample = key
    ? `concat_ws(', ', ${key.map((k) => `${literal(`${displayName(k.slice(1, -1).replace(/""/g, '"'))}=`)} || quote_nullable(t.${k}::text)`).join(', ')})`
    : 't';
  return hazard('FL-07', c.id, message, { table, where: `NOT (${expression})`, sample, ...(key ? { key } : {}) });
}

/** The expression inside `CHECK (…)` of pg_get_constraintdef (which may add NO INHERIT, NOT VALID). */
export function checkExpressionOf(def: string): string | undefined {
  if (!def.startsWith('CHECK (')) return undefined;
  let depth = 0;
  let quote: string | undefined;
  for (let i = 'CHECK '.length; i < def.length; i++) {
    const ch = def[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '(') {
      depth++;
    } else if (ch === ')' && --depth === 0) {
      return def.slice('CHECK ('.length, i);
    }
  }
  return undefined;
}
