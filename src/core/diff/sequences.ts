/**
 * Sequences. Options change in place (ALTER SEQUENCE). OWNED BY is set in its own statement after
 * the owning column exists, because the column's default usually calls nextval on the sequence:
 * the sequence comes first, then the table, then the ownership link. A sequence owned by a column
 * that goes away is dropped with it.
 */
import type { Sequence, Table } from '../model/types';
import { identitySequenceOf } from './columns';
import type { Statement } from '../plan/types';
import { changedSequenceOptions, identityOptions } from './columnSql';
import { columnId, type DiffContext } from './context';
import { alterStatement, createStatement, dropStatement, type KindDiffer } from './kind';
import { metadataAfterCreate, metadataChange } from './ownership';
import { literal, nameOfId, qualify, quoteIdent } from './sql';

/**
 * OWNED BY requires the sequence and the table to have the same owner. A new sequence belongs to
 * whoever runs the plan; when it is to be owned by a column of a table that already exists, it is
 * first given that table's owner (owners are otherwise left alone unless compared).
 */
function alignOwner(seq: Sequence, ctx: DiffContext): Statement[] {
  const table = seq.ownedBy ? ctx.from.objects.get(seq.ownedBy.table) as Table | undefined : undefined;
  if (!table || ctx.options.owners) return [];
  return [alterStatement(`ALTER SEQUENCE ${qualify(seq.schema, seq.name)} OWNER TO ${quoteIdent(table.owner)}`, seq.id, { needs: [seq.id] })];
}

function ownedByStatement(seq: Sequence): Statement {
  const owner = seq.ownedBy;
  const target = owner ? `${nameOfId(owner.table)}.${quoteIdent(owner.column)}` : 'NONE';
  return alterStatement(`ALTER SEQUENCE ${qualify(seq.schema, seq.name)} OWNED BY ${target}`, seq.id, {
    needs: owner ? [seq.id, columnId(owner.table, owner.column)] : [seq.id],
  });
}

export const sequences: KindDiffer<Sequence> = {
  list: (model) => model.sequences,
  kind: () => 'sequence',
  create(seq, ctx) {
    const name = qualify(seq.schema, seq.name);
    return [
      createStatement(`CREATE SEQUENCE ${name} AS ${seq.dataType} ${identityOptions(seq)}`, seq.id, {
        needs: [`schema:${quoteIdent(seq.schema)}`],
        // An identity being dropped takes a sequence of the same default name with it.
        ...(seq.ownedBy ? { afterDropOf: [identitySequenceOf(columnId(seq.ownedBy.table, seq.ownedBy.column))] } : {}),
      }),
      ...alignOwner(seq, ctx),
      ...(seq.ownedBy ? [ownedByStatement(seq)] : []),
      ...metadataAfterCreate('SEQUENCE', name, seq.id, seq, ctx),
    ];
  },
  drop: (seq) => [dropStatement(`DROP SEQUENCE ${qualify(seq.schema, seq.name)}`, seq.id, { holds: [`schema:${quoteIdent(seq.schema)}`] })],
  alter(from, to, ctx) {
    const name = qualify(to.schema, to.name);
    const statements: Statement[] = [];
    const details: string[] = [];
    const options = changedSequenceOptions(from, to);
    if (from.dataType !== to.dataType) options.unshift(`AS ${to.dataType}`);
    if (options.length) {
      // ALTER SEQUENCE refuses a MINVALUE above the current value (or MAXVALUE below it); the
      // value is moved to the new bound first, and only when it is out of range, so a sequence in
      // use keeps counting from where it is.
      const seq = qualify(to.schema, to.name);
      if (BigInt(to.min) > BigInt(from.min)) {
        statements.push(alterStatement(`SELECT pg_catalog.setval(${literal(seq)}, ${to.min}, false) FROM ${seq} WHERE last_value < ${to.min}`, to.id, { needs: [to.id] }));
      }
      if (BigInt(to.max) < BigInt(from.max)) {
        statements.push(alterStatement(`SELECT pg_catalog.setval(${literal(seq)}, ${to.max}, false) FROM ${seq} WHERE last_value > ${to.max}`, to.id, { needs: [to.id] }));
      }
      statements.push(alterStatement(`ALTER SEQUENCE ${name} ${options.join(' ')}`, to.id, { needs: [to.id] }));
      details.push(`options: ${options.join(' ')}`);
    }
    if (JSON.stringify(from.ownedBy) !== JSON.stringify(to.ownedBy)) {
      statements.push(ownedByStatement(to));
      details.push(to.ownedBy ? `owned by ${nameOfId(to.ownedBy.table)}.${to.ownedBy.column}` : 'no longer owned');
    }
    const metadata = metadataChange('SEQUENCE', name, to.id, from, to, ctx);
    return { statements: [...statements, ...metadata.statements], details: [...details, ...metadata.details] };
  },
  droppedWithParent: (seq, ctx: DiffContext) =>
    seq.ownedBy !== undefined && (ctx.removed.has(seq.ownedBy.table) || ctx.removed.has(columnId(seq.ownedBy.table, seq.ownedBy.column))),
};
