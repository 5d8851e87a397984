/**
 * What a domain's new constraint does to the tables that use it. ALTER DOMAIN … ADD CONSTRAINT
 * (and VALIDATE CONSTRAINT, SET NOT NULL) checks every stored value of every column of the domain
 * while holding a SHARE lock on each of their tables: reads go on, writes wait (LK-14). VALIDATE
 * takes the same lock as the plain ADD, unlike a table's VALIDATE (SHARE UPDATE EXCLUSIVE), so
 * `--online` only moves the check to the validate phase, after everything else. A stored value
 * the check rejects makes the statement fail (FL-07, counted column by column on the
 * from-database), and PostgreSQL refuses the check altogether while an array of the domain is
 * some column's type ("cannot alter type … because column … uses it"), whatever the values.
 */
import { ids } from '../model/ids';
import type { Column, DomainCheck, DomainType, Table } from '../model/types';
import { hazard, type Hazard } from '../hazards/types';
import { checkExpressionOf } from './constraints';
import { columnId, type DiffContext } from './context';
import { printed } from './renames';
import { literal, nameOfId, qualify, quoteIdent } from './sql';

export interface DomainColumn {
  table: Table;
  column: Column;
  /** The column is an array of the domain. */
  array: boolean;
}

/** The columns of the from-database whose type is the domain or an array of it (pg_depend). */
export function domainColumns(domain: DomainType, ctx: DiffContext): DomainColumn[] {
  const users = new Set((ctx.from.dependents.get(domain.id) ?? []).map((d) => d.from).filter((id) => id.startsWith('column:')));
  if (!users.size) return [];
  const out: DomainColumn[] = [];
  for (const table of ctx.from.model.tables) {
    for (const column of table.columns) {
      if (users.has(columnId(table.id, column.name)) && !column.inherited) out.push({ table, column, array: column.type.endsWith('[]') });
    }
  }
  return out;
}

/** LK-14 for the statement `clause` (ADD CONSTRAINT x, VALIDATE CONSTRAINT x, SET NOT NULL). */
export function domainScan(domain: DomainType, clause: string, users: readonly DomainColumn[]): Hazard {
  const columns = users.map((u) => `${nameOfId(u.table.id)}.${quoteIdent(u.column.name)}`);
  const tables = [...new Set(users.map((u) => nameOfId(u.table.id)))];
  const validate = clause.startsWith('VALIDATE') ? ' (SHARE, unlike a table\'s VALIDATE)' : ' (SHARE)';
  return hazard('LK-14', domain.id, `${clause} on domain ${qualify(domain.schema, domain.name)} checks every stored value of ${columns.join(', ')} and blocks writes to ${tables.join(', ')}${validate} until it is done; a CHECK on each column instead can be added NOT VALID and validated without blocking writes.`);
}

/**
 * FL-07 for a domain check that existing values must pass: one per scalar column, measured on the
 * from-database like a table's CHECK (the expression with VALUE replaced by the column); for an
 * array column, the refusal, stated. The object is the domain's constraint, named like a table
 * constraint: `schema.domain.constraint`.
 */
export function domainCheckRows(domain: DomainType, check: DomainCheck, users: readonly DomainColumn[], ctx: DiffContext): Hazard[] {
  const object = ids.constraint(domain.schema, domain.name, check.name);
  const shown = qualify(domain.schema, domain.name);
  const expression = checkExpressionOf(check.definition);
  const out: Hazard[] = [];
  for (const { table, column, array } of users) {
    const col = `${nameOfId(table.id)}.${quoteIdent(column.name)}`;
    if (array) {
      out.push(hazard('FL-07', object, `Checking ${check.name} of domain ${shown} fails whatever the values: PostgreSQL refuses it while ${col} is an array of the domain ("cannot alter type … because column … uses it"); change that column first. Not measured: no value can make it pass.`));
      continue;
    }
    const message = `Adding ${check.name} to domain ${shown} fails if a value of ${col} violates ${check.definition.replace(/ NOT VALID$/, '')}.`;
    if (expression === undefined) {
      out.push(hazard('FL-07', object, `${message} Not measured: the expression could not be read.`));
      continue;
    }
    const key = ctx.from.model.constraints.find((c) => c.table === table.id && c.kind === 'primary key')?.columns;
    const sample = key
      ? `concat_ws(', ', ${key.map((k) => `${literal(`${printed(k)}=`)} || quote_nullable(t.${quoteIdent(k)}::text)`).join(', ')})`
      : 't';
    out.push(hazard('FL-07', object, message, {
      table: nameOfId(table.id),
      where: `NOT (${replaceValue(expression, printed(column.name))})`,
      sample,
      ...(key ? { key: key.map(quoteIdent) } : {}),
    }));
  }
  return out;
}

/**
 * The keyword VALUE of a domain check replaced by `column`: every bare VALUE (any case) outside
 * string literals and quoted names, not qualified (`x.value` stays).
 */
export function replaceValue(expression: string, column: string): string {
  let out = '';
  let i = 0;
  while (i < expression.length) {
    const ch = expression[i] as string;
    if (ch === "'" || ch === '"') {
      let end = i + 1;
      while (end < expression.length && !(expression[end] === ch && expression[end + 1] !== ch)) end += expression[end] === ch ? 2 : 1;
      out += expression.slice(i, end + 1);
      i = end + 1;
    } else if (/[A-Za-z_]/.test(ch) && !/[A-Za-z0-9_$]/.test(expression[i - 1] ?? '')) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(expression.slice(i))?.[0] ?? ch;
      const qualified = out.trimEnd().endsWith('.');
      out += word.toUpperCase() === 'VALUE' && !qualified ? column : word;
      i += word.length;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}
