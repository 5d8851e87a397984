/**
 * Hazards of constraints added to (or validated on) a table the target already has. PostgreSQL
 * checks every existing row when the constraint is added, unless it is NOT VALID: a UNIQUE or
 * PRIMARY KEY builds its index under ACCESS EXCLUSIVE and fails on duplicates (a primary key also
 * makes its columns NOT NULL); a FOREIGN KEY scans the table holding SHARE ROW EXCLUSIVE on it and
 * on the referenced table and fails on orphans; a CHECK scans under ACCESS EXCLUSIVE and fails on
 * a violating row. VALIDATE CONSTRAINT runs the same check later, under a weaker lock.
 */
import type { Constraint as ConstraintNode } from 'libpg-query';
import { nameOfId, quoteIdent } from '../diff/sql';
import { hazard, type Hazard, type ProbeTarget } from '../hazards/types';
import { ids } from '../model/ids';
import type { Constraint } from '../model/types';
import { displayIdent } from '../render/objectName';
import { columnRefs, names } from './ast';
import type { TableEntry } from './catalog';
import { parenthesizedAt, tableOf, type StatementContext } from './context';
import { defaultName } from './defaultNames';
import { orphanPredicate, rowSample } from './predicates';

export type Existing = TableEntry & { target: NonNullable<TableEntry['target']> };

export function addedConstraintHazards(ctx: StatementContext, entry: Existing, c: ConstraintNode): Hazard[] {
  const table = ctx.catalog.tableId(entry);
  const shown = nameOfId(table);
  const keys = names(c.keys);
  switch (c.contype) {
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE': {
      // USING INDEX adopts an index that is already built and unique.
      if (c.indexname) return [];
      const primary = c.contype === 'CONSTR_PRIMARY';
      const name = c.conname ?? (primary ? defaultName(entry.name, [], 'pkey') : defaultName(entry.name, keys, 'key'));
      const id = ids.constraint(entry.schema, entry.name, name);
      const columns = targetColumns(ctx, entry, keys)?.map(quoteIdent);
      const what = primary ? 'the primary key' : 'the unique constraint';
      // A primary key also makes its columns NOT NULL: the probe counts NULL keys too when the
      // target's key is the new key itself (as the plan marks it).
      return [
        hazard('LK-07', table, `Adding ${name} builds its index on ${shown} under ACCESS EXCLUSIVE.`),
        hazard('FL-05', id, `Adding ${what} ${name} fails if ${shown} holds duplicates in (${keys.map(displayIdent).join(', ')})${primary ? ' or NULLs' : ''}.`,
          columns && {
            ...probe(ctx, entry, { unique: { columns, ...(c.nulls_not_distinct ? { nullsNotDistinct: true } : {}) } }),
            ...(primary ? { key: columns } : {}),
          }),
      ];
    }
    case 'CONSTR_FOREIGN': {
      if (c.skip_validation) return [];
      const fkColumns = names(c.fk_attrs);
      const name = c.conname ?? defaultName(entry.name, fkColumns, 'fkey');
      const parent = tableOf(ctx, c.pktable);
      const parentShown = parent ? nameOfId(ctx.catalog.tableId(parent)) : (c.pktable?.relname ?? '?');
      const out = [hazard('LK-06', table, `Adding ${name} scans ${shown} and blocks writes to it and to ${parentShown}.`)];
      // A key on columns the file just added, that still hold only NULL, cannot fail: MATCH SIMPLE
      // skips a row with a NULL in any key column, MATCH FULL one with NULL in all of them. (The
      // probe could not run anyway: the columns do not exist in the target yet.)
      const onlyNull = fkColumns.filter((col) => entry.onlyNull.has(col)).length;
      if (fkColumns.length > 0 && (c.fk_matchtype === 'f' ? onlyNull === fkColumns.length : onlyNull > 0)) return out;
      const child = targetColumns(ctx, entry, fkColumns);
      let where: string | undefined;
      if (child && parent && !parent.target) where = orphanPredicate(child.map(quoteIdent), undefined, c.fk_matchtype === 'f');
      if (child && parent?.target) {
        const referenced = c.pk_attrs?.length ? targetColumns(ctx, parent, names(c.pk_attrs)) : ctx.catalog.primaryKey(parent);
        const parentTable = ctx.catalog.probeName(parent);
        if (referenced?.length === child.length && parentTable) {
          where = orphanPredicate(child.map(quoteIdent), { table: parentTable, columns: referenced.map(quoteIdent) }, c.fk_matchtype === 'f');
        }
      }
      out.push(hazard('FL-06', ids.constraint(entry.schema, entry.name, name), `Adding ${name} fails if rows of ${shown} point at missing rows of ${parentShown}.`,
        where !== undefined && child ? probe(ctx, entry, { where, sample: rowSample(child.map(quoteIdent), fkColumns) }) : undefined));
      return out;
    }
    case 'CONSTR_CHECK': {
      if (c.skip_validation) return [];
      const refs = columnRefs(c.raw_expr);
      const name = c.conname ?? defaultName(entry.name, refs.length === 1 ? refs : [], 'check');
      const expression = parenthesizedAt(ctx, c.location ?? 0);
      // Probed only when every column it names is a column of the target under that name.
      const probeable = expression !== undefined && refs.every((r) => ctx.catalog.column(entry, r).target?.name === r);
      return [
        hazard('LK-05', table, `Adding ${name} scans ${shown} under ACCESS EXCLUSIVE.`),
        hazard('FL-07', ids.constraint(entry.schema, entry.name, name), `Adding ${name} fails if rows of ${shown} violate ${expression ? `CHECK ${expression}` : 'it'}.`,
          probeable ? checkProbe(ctx, entry, expression) : undefined),
      ];
    }
    case 'CONSTR_NOTNULL':
      // PostgreSQL 18: ADD CONSTRAINT … NOT NULL col, which may be NOT VALID.
      if (c.skip_validation) return [];
      return notNullHazards(ctx, entry, keys, (column) => `Adding NOT NULL on ${column} fails if it holds NULLs.`, true);
    case 'CONSTR_EXCLUSION': {
      const name = c.conname ?? defaultName(entry.name, [], 'excl');
      return [hazard('LK-13', table, `Adding ${name} (cannot be NOT VALID) scans ${shown} and builds its index under ACCESS EXCLUSIVE.`)];
    }
    default:
      return [];
  }
}

/** VALIDATE CONSTRAINT on a NOT VALID foreign key or check: the rows it will reject. */
export function validatedConstraintHazards(ctx: StatementContext, entry: Existing, name: string): Hazard[] {
  const c = ctx.catalog.constraints(entry).find((x) => x.name === name);
  if (!c || c.validated) return [];
  const shown = nameOfId(ctx.catalog.tableId(entry));
  const id = ids.constraint(entry.schema, entry.name, name);
  if (c.kind === 'foreign key' && c.foreignKey) return [hazard('FL-06', id, `Validating ${name} fails if rows of ${shown} point at missing rows of ${nameOfId(c.foreignKey.referencedTable)}.`, foreignKeyProbe(ctx, entry, c))];
  if (c.kind === 'check') {
    const expression = /^CHECK (\(.*\))(?: NOT VALID)?$/s.exec(c.definition)?.[1];
    return [hazard('FL-07', id, `Validating ${name} fails if rows of ${shown} violate ${c.definition.replace(/ NOT VALID$/, '')}.`, expression ? checkProbe(ctx, entry, expression) : undefined)];
  }
  return [];
}

function foreignKeyProbe(ctx: StatementContext, entry: Existing, c: Constraint): ProbeTarget | undefined {
  const fk = c.foreignKey;
  const parent = fk ? ctx.catalog.probeNameOfId(fk.referencedTable) : undefined;
  if (!fk || !parent) return undefined;
  const columns = c.columns.map(quoteIdent);
  return probe(ctx, entry, { where: orphanPredicate(columns, { table: parent, columns: fk.referencedColumns.map(quoteIdent) }, fk.match === 'full'), sample: rowSample(columns, c.columns) });
}

function checkProbe(ctx: StatementContext, entry: Existing, expression: string): ProbeTarget {
  const key = ctx.catalog.primaryKey(entry);
  return probe(ctx, entry, { where: `NOT ${expression}`, sample: rowSample(key.map(quoteIdent), key) });
}

/** FL-02 and LK-04 for columns about to become NOT NULL (primary key, NOT NULL constraint). */
export function notNullHazards(
  ctx: StatementContext, entry: Existing, columns: readonly string[], message: (column: string) => string, lock = false,
): Hazard[] {
  const shown = nameOfId(ctx.catalog.tableId(entry));
  const out: Hazard[] = [];
  for (const name of columns) {
    const column = ctx.catalog.column(entry, name).target;
    // Already NOT NULL in the target: PostgreSQL has nothing to check.
    if (!column || column.notNull) continue;
    out.push(hazard('FL-02', ids.column(entry.schema, entry.name, name), message(`${shown}.${name}`), probe(ctx, entry, { column: quoteIdent(column.name) })));
    if (lock) out.push(hazard('LK-04', ctx.catalog.tableId(entry), `SET NOT NULL on ${name} scans ${shown} under ACCESS EXCLUSIVE.`));
  }
  return out;
}

/** The target's names of the file's columns, or undefined when one is new or missing. */
export function targetColumns(ctx: StatementContext, entry: TableEntry, columns: readonly string[]): string[] | undefined {
  const out: string[] = [];
  for (const name of columns) {
    const found = ctx.catalog.column(entry, name).target;
    if (!found) return undefined;
    out.push(found.name);
  }
  return out;
}

/** A probe target on the table's name in the target database, with its primary key for backups. */
export function probe(ctx: StatementContext, entry: Existing, rest: Omit<ProbeTarget, 'table' | 'key'>): ProbeTarget {
  const key = ctx.catalog.primaryKey(entry).map(quoteIdent);
  return { table: ctx.catalog.probeName(entry) ?? '', ...rest, ...(key.length ? { key } : {}) };
}
