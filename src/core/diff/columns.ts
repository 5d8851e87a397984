/**
 * Columns of a table present on both sides, compared by name. Column order is not compared:
 * PostgreSQL cannot reorder columns, and queries name them.
 */
import { createHash } from 'node:crypto';
import type { Column, ObjectId, Table } from '../model/types';
import type { Change, Statement } from '../plan/types';
import { changedSequenceOptions, columnDefinition, identityOptions } from './columnSql';
import { commentAfterCreate, commentChange } from './comments';
import { columnId, requirementsOf, type DiffContext } from './context';
import { alterStatement, createStatement, dropStatement } from './kind';
import { literal, nameOfId, qualify, quoteIdent } from './sql';
import { defaultCallsVolatile, typeChangeRewrites } from '../hazards/rewrites';
import { hazard, type Hazard } from '../hazards/types';
import { parseType } from '../hazards/typeEffects';
import { positionLost } from './sequences';
import { TRY_CAST_ID, planTypeChange } from './typeChange';

export function diffColumns(from: Table, to: Table, ctx: DiffContext): Change[] {
  const changes: Change[] = [];
  const before = new Map(from.columns.map((c) => [c.name, c]));
  const after = new Map(to.columns.map((c) => [c.name, c]));
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(name);
    const b = after.get(name);
    const id = columnId(to.id, name);
    const base = { id, kind: 'column' as const, parent: to.id };
    if (a && b) {
      const change = alterColumn(from, to, a, b, ctx);
      if (change.statements.length) changes.push({ ...base, action: change.recreate ? 'recreate' : 'alter', details: change.details, statements: change.statements });
    } else if (b) {
      // A column a parent defines arrives with it, but only while the table already inherits
      // from that parent; INHERIT and ATTACH PARTITION need the table to have the column first.
      if (b.inherited && sameParents(from, to)) continue;
      changes.push({ ...base, action: 'create', details: [b.type], statements: addColumn(to, b, ctx) });
    } else if (a) {
      if (a.inherited) continue;
      changes.push({ ...base, action: 'drop', details: [a.type], statements: [dropColumn(from, a, ctx)] });
    }
  }
  return changes;
}

function tableName(table: Table): string {
  return qualify(table.schema, table.name);
}

export function addColumn(table: Table, column: Column, ctx: DiffContext): Statement[] {
  const id = columnId(table.id, column.name);
  const name = tableName(table);
  // An identity, a stored generated column or a volatile default (a serial's nextval,
  // gen_random_uuid()) fills every existing row: the table is rewritten.
  const hazards: Hazard[] = [];
  if (column.identity !== undefined || column.generated?.kind === 'stored' || (column.default !== undefined && defaultCallsVolatile(column.default))) {
    hazards.push(hazard('LK-02', table.id, `Adding ${column.name} rewrites ${nameOfId(table.id)} under ACCESS EXCLUSIVE.`));
  }
  // Existing rows would get NULL in a column that refuses it.
  if (column.notNull && column.default === undefined && !column.identity && !column.generated) {
    hazards.push(hazard('FL-01', table.id, `Adding NOT NULL ${column.name} without a default fails if ${nameOfId(table.id)} has rows.`, { table: name }));
  }
  const before = (ctx.from.objects.get(table.id) as Table | undefined)?.columns.find((c) => c.name === column.name);
  if (ctx.from.objects.has(table.id) && isJson(column.type) && !(before && isJson(before.type))) hazards.push(jsonHazard(table.id, column.name, column.type));
  return [
    createStatement(`ALTER TABLE ${name} ADD COLUMN ${columnDefinition(column)}`, id, {
      needs: [table.id, ...requirementsOf(ctx.to, id)],
      ...(hazards.length ? { hazards } : {}),
    }),
    ...commentAfterCreate(`COLUMN ${name}.${quoteIdent(column.name)}`, id, column.comment, ctx),
  ];
}

export function dropColumn(table: Table, column: Column, ctx: DiffContext): Statement {
  const id = columnId(table.id, column.name);
  const owned = ctx.from.model.sequences.filter((s) => s.ownedBy?.table === table.id && s.ownedBy.column === column.name);
  return dropStatement(`ALTER TABLE ${tableName(table)} DROP COLUMN ${quoteIdent(column.name)}`, id, {
    drops: [id, ...owned.map((s) => s.id)],
    holds: requirementsOf(ctx.from, id),
    hazards: [hazard('DL-02', id, `Dropping ${nameOfId(table.id)}.${column.name} deletes its values.`, { table: tableName(table), column: quoteIdent(column.name) })],
  });
}

/** json, or an array of it: a type without an equality operator. */
export function isJson(type: string): boolean {
  return parseType(type).base === 'json';
}

/**
 * CP-08. json keeps its input text and has no equality operator, so queries that compare whole
 * values fail once a table has such a column: `SELECT DISTINCT *`, UNION, GROUP BY or DISTINCT on
 * it ("could not identify an equality operator for type json"). On a table the plan creates no
 * query runs yet, so only an existing table's new or retyped column is reported.
 */
export function jsonHazard(table: ObjectId, column: string, type: string): Hazard {
  return hazard('CP-08', columnId(table, column),
    `${nameOfId(table)}.${column} is ${type}, which has no equality operator: DISTINCT, GROUP BY and UNION over it (SELECT DISTINCT * included) fail; use jsonb unless the exact input text must be kept.`);
}

interface ColumnAlteration {
  statements: Statement[];
  details: string[];
  recreate?: true;
}

function alterColumn(fromTable: Table, table: Table, a: Column, b: Column, ctx: DiffContext): ColumnAlteration {
  const id = columnId(table.id, b.name);
  const name = tableName(table);
  const col = quoteIdent(b.name);
  const statements: Statement[] = [];
  const details: string[] = [];
  const alter = (clause: string, extra: Partial<Statement> = {}) =>
    statements.push(alterStatement(`ALTER TABLE ${name} ALTER COLUMN ${col} ${clause}`, id, { needs: [id], ...extra }));
  const online: Statement[] = [];

  // A generated column's values are derived, so dropping and adding it back loses nothing; before
  // PostgreSQL 17 there is no way to change its expression in place.
  const generatedChanged = JSON.stringify(a.generated) !== JSON.stringify(b.generated);
  if (generatedChanged && !(a.generated && !b.generated && a.generated.kind === 'stored')) {
    return {
      statements: [dropColumn(fromTable, a, ctx), ...addColumn(table, b, ctx)],
      details: [b.generated ? `generated as ${b.generated.expression}` : 'no longer generated (recreated)'],
      recreate: true,
    };
  }
  if (a.generated && !b.generated) {
    alter('DROP EXPRESSION');
    details.push('no longer generated');
  }

  // A partition's or child's inherited column changes with its parent's (ALTER TABLE recurses),
  // and PostgreSQL refuses to change its type alone.
  const followsParent = Boolean(a.inherited && b.inherited);
  const typeChanged = !followsParent && (a.type !== b.type || a.collation !== b.collation);
  // An identity goes first: a column cannot have a default while it is one, and DROP IDENTITY
  // drops the identity's sequence, whose name a new serial sequence may reuse.
  if (a.identity && !b.identity) {
    const read = `SELECT pg_sequence_last_value(pg_get_serial_sequence(${literal(name)}, ${literal(a.name)}))`;
    alter('DROP IDENTITY', {
      drops: [identitySequenceOf(id)],
      hazards: [positionLost(id, `DROP IDENTITY on ${nameOfId(table.id)}.${col}`, read, { table: table.id, column: b.name }, ctx)],
    });
    details.push('identity removed');
  }
  const defaultChanged = a.default !== b.default;
  // The old default may not cast to the new type; drop it first and set the new one after.
  if ((defaultChanged || typeChanged) && a.default !== undefined) {
    alter('DROP DEFAULT', { holds: [id, ...requirementsOf(ctx.from, id)], needs: [] });
  }
  if (typeChanged) {
    const collate = b.collation !== undefined ? ` COLLATE ${b.collation}` : '';
    const change = planTypeChange(fromTable, table, a, b, ctx);
    const rewrites = typeChangeRewrites(a.type, b.type) || a.collation !== b.collation;
    const hazards = [
      ...(rewrites ? [hazard('LK-03', table.id, `Changing ${b.name} to ${b.type} rewrites ${nameOfId(table.id)} and its indexes under ACCESS EXCLUSIVE.`)] : []),
      ...change.hazards,
      ...(isJson(b.type) && !isJson(a.type) ? [jsonHazard(table.id, b.name, b.type)] : []),
    ];
    statements.unshift(...change.before);
    statements.push(alterStatement(`ALTER TABLE ${name} ALTER COLUMN ${col} TYPE ${b.type}${collate}${change.using !== undefined ? ` USING ${change.using}` : ''}`, id, {
      creates: [id], drops: [id],
      needs: [...requirementsOf(ctx.to, id).filter((r) => !isDefaultOnly(r, b)), ...(change.before.length ? [TRY_CAST_ID] : [])],
      holds: requirementsOf(ctx.from, id),
      ...(hazards.length ? { hazards } : {}),
    }));
    details.push(a.type !== b.type ? `type: ${a.type} → ${b.type}` : `collation: ${a.collation ?? 'default'} → ${b.collation ?? 'default'}`);
  }
  if ((defaultChanged || typeChanged) && b.default !== undefined) {
    alter(`SET DEFAULT ${b.default}`, { needs: [id, ...requirementsOf(ctx.to, id)] });
  }
  if (defaultChanged) details.push(b.default === undefined ? 'default removed' : a.default === undefined ? `default ${b.default}` : `default: ${a.default} → ${b.default}`);

  const identityChanged = JSON.stringify(a.identity) !== JSON.stringify(b.identity);
  // (An identity removed was dropped above, before any default is set.)
  if (identityChanged && b.identity) {
    if (!a.identity) {
      // An identity column must be NOT NULL first, and a serial's old sequence (same name as the
      // one the identity creates) gone.
      if (!a.notNull) alter('SET NOT NULL');
      const oldSequences = ctx.from.model.sequences
        .filter((s) => s.ownedBy?.table === table.id && s.ownedBy.column === a.name && !ctx.to.objects.has(s.id))
        .map((s) => s.id);
      alter(`ADD GENERATED ${b.identity.kind === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY (${identityOptions(b.identity.sequence)})`, oldSequences.length ? { afterDropOf: oldSequences } : {});
      // The new sequence stands at its START, which the values already stored (a serial's, or
      // ids written by hand) may have passed: the next insert would collide (HAZARDS.md DL-10).
      // It moves past the largest (for a descending one, the smallest) value, only when needed.
      const seq = b.identity.sequence;
      const [edge, beyond] = BigInt(seq.increment) < 0n ? ['min', '<='] : ['max', '>='];
      statements.push(alterStatement(
        `SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence(${literal(name)}, ${literal(b.name)}), v)`
        + ` FROM (SELECT ${edge}(${col}) AS v FROM ${name}) AS s WHERE v ${beyond} ${seq.start}`,
        id, { needs: [id] },
      ));
      details.push(`identity ${b.identity.kind}`);
    } else {
      const clauses = changedSequenceOptions(a.identity.sequence, b.identity.sequence).map((o) => `SET ${o}`);
      if (a.identity.kind !== b.identity.kind) clauses.unshift(`SET GENERATED ${b.identity.kind === 'always' ? 'ALWAYS' : 'BY DEFAULT'}`);
      // As for a plain sequence (sequences.ts): a MINVALUE above the sequence's current value is
      // refused, so the value moves up first, only when it is below. A sequence never used reads
      // as NULL from pg_sequence_last_value and stands at its start.
      if (BigInt(b.identity.sequence.min) > BigInt(a.identity.sequence.min)) {
        const min = b.identity.sequence.min;
        statements.push(alterStatement(
          `SELECT pg_catalog.setval(s, ${min}, false) FROM pg_catalog.pg_get_serial_sequence(${literal(name)}, ${literal(b.name)}) AS s`
          + ` WHERE coalesce(pg_catalog.pg_sequence_last_value(s::regclass), ${a.identity.sequence.start}) < ${min}`,
          id, { needs: [id] },
        ));
      }
      if (clauses.length) alter(clauses.join(' '));
      details.push('identity options changed');
    }
  }
  // Identity columns are NOT NULL by definition; the identity clauses take care of it.
  const aNotNull = a.notNull && !a.identity;
  const bNotNull = b.notNull && !b.identity;
  if (followsParent) {
    // NOT NULL on an inherited column follows the parent's.
  } else if (aNotNull !== bNotNull && !(b.identity && !a.identity) && !(a.identity && !b.identity && b.notNull)) {
    // A column in a primary key is NOT NULL for as long as the key exists.
    if (bNotNull && ctx.options.online) online.push(...onlineNotNull(table, b, ctx));
    else alter(bNotNull ? 'SET NOT NULL' : 'DROP NOT NULL', bNotNull
      ? {
        hazards: [
          hazard('FL-02', id, `SET NOT NULL on ${nameOfId(table.id)}.${b.name} fails if it holds NULLs.`, { table: name, column: col }),
          hazard('LK-04', table.id, `SET NOT NULL on ${b.name} scans ${nameOfId(table.id)} under ACCESS EXCLUSIVE.`),
        ],
      }
      : {
        afterDropOf: primaryKeysWith(fromTable, a.name, ctx),
        hazards: [hazard('CP-03', id, `Readers of ${nameOfId(table.id)}.${b.name} may now see NULLs.`)],
      });
    details.push(bNotNull ? 'NOT NULL added' : 'NOT NULL removed');
  } else if (a.identity && !b.identity && !b.notNull) {
    alter('DROP NOT NULL');
    details.push('NOT NULL removed');
  }
  if (a.storage !== b.storage) {
    // SET STORAGE DEFAULT exists only from PostgreSQL 16; extended is the usual default (README, known gaps).
    alter(`SET STORAGE ${(b.storage ?? 'extended').toUpperCase()}`);
    details.push(`storage ${b.storage ?? 'default'}`);
  }
  if (a.compression !== b.compression) {
    alter(`SET COMPRESSION ${b.compression ?? 'default'}`);
    details.push(`compression ${b.compression ?? 'default'}`);
  }
  const comment = commentChange(`COLUMN ${name}.${col}`, id, a.comment, b.comment, ctx);
  statements.push(...comment.statements);
  details.push(...comment.details);
  // Last: statements of one change run in order, and these wait for the validate phase.
  statements.push(...online);
  return { statements, details };
}

/**
 * SET NOT NULL without a scan under ACCESS EXCLUSIVE (HAZARDS.md R-NOTNULL): a CHECK (col IS NOT
 * NULL) added NOT VALID takes the lock only for a moment; VALIDATE CONSTRAINT, in a later
 * transaction, scans under SHARE UPDATE EXCLUSIVE (reads and writes go on); SET NOT NULL then
 * finds the validated CHECK proving there is no NULL and skips its own scan (PostgreSQL 12+), and
 * the CHECK is dropped. VALIDATE is what fails while NULLs remain, so FL-02 sits on it.
 */
function onlineNotNull(table: Table, column: Column, ctx: DiffContext): Statement[] {
  const id = columnId(table.id, column.name);
  const name = tableName(table);
  const col = quoteIdent(column.name);
  const check = quoteIdent(checkNameFor(column.name));
  const checkId = `constraint:${nameOfId(table.id)}.${check}`;
  const [add, validate, setNotNull, drop] = onlineNotNullSql(name, column.name);
  return [
    alterStatement(add, id, { needs: [id, ...requirementsOf(ctx.to, id)], creates: [checkId] }),
    alterStatement(validate, id, {
      phase: 'validate', needs: [checkId], holds: [checkId],
      hazards: [hazard('FL-02', id, `SET NOT NULL on ${nameOfId(table.id)}.${column.name} fails if it holds NULLs.`, { table: name, column: col })],
    }),
    alterStatement(setNotNull, id, { phase: 'validate', needs: [id, checkId], holds: [checkId] }),
    alterStatement(drop, id, { phase: 'validate', drops: [checkId] }),
  ];
}

/**
 * The four statements of the two-step SET NOT NULL on `table` (qualified and quoted): the first in
 * the expand phase, the other three in the validate phase.
 */
export function onlineNotNullSql(table: string, column: string): [string, string, string, string] {
  const col = quoteIdent(column);
  const check = quoteIdent(checkNameFor(column));
  return [
    `ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${col} IS NOT NULL) NOT VALID`,
    `ALTER TABLE ${table} VALIDATE CONSTRAINT ${check}`,
    `ALTER TABLE ${table} ALTER COLUMN ${col} SET NOT NULL`,
    `ALTER TABLE ${table} DROP CONSTRAINT ${check}`,
  ];
}

/**
 * The temporary CHECK's name. PostgreSQL cuts identifiers at 63 bytes, so two long column names
 * sharing their first 50-odd bytes would get the same cut name (the second ADD CONSTRAINT fails):
 * a name that does not fit is cut on a character boundary (valid UTF-8) and ends in a hash of the
 * whole column name instead.
 */
function checkNameFor(column: string): string {
  const full = `pgdrift_${column}_not_null`;
  if (Buffer.byteLength(full) <= 63) return full;
  const suffix = `_${createHash('sha256').update(column).digest('hex').slice(0, 8)}`;
  let out = '';
  for (const ch of full) {
    if (Buffer.byteLength(out + ch + suffix) > 63) break;
    out += ch;
  }
  return out + suffix;
}

/** A requirement that comes only from the default (a sequence in nextval), which is set after. */
function isDefaultOnly(id: string, column: Column): boolean {
  return column.default !== undefined && id.startsWith('sequence:');
}

function primaryKeysWith(table: Table, column: string, ctx: DiffContext): string[] {
  return ctx.from.model.constraints
    .filter((c) => c.table === table.id && c.kind === 'primary key' && c.columns.includes(column))
    .map((c) => c.id);
}

function sameParents(a: Table, b: Table): boolean {
  return a.partitionOf?.parent === b.partitionOf?.parent && (a.inherits ?? []).join() === (b.inherits ?? []).join();
}

/** A stand-in id for an identity column's sequence, which the model does not list as a sequence. */
export function identitySequenceOf(column: string): string {
  return `identity sequence:${column.slice('column:'.length)}`;
}
