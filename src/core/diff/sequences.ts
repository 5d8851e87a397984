/**
 * Sequences. Options change in place (ALTER SEQUENCE). OWNED BY is set in its own statement after
 * the owning column exists, because the column's default usually calls nextval on the sequence:
 * the sequence comes first, then the table, then the ownership link. A sequence owned by a column
 * that goes away is dropped with it.
 */
import type { ObjectId, Sequence, Table } from '../model/types';
import { hazard, type Hazard } from '../hazards/types';
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

/**
 * A new sequence owned by a column that already holds values (an identity turned into a serial,
 * a serial default given to a column of ids written by hand) stands at its START, which the
 * stored values may have passed: the next insert would collide (HAZARDS.md DL-10). As for an
 * identity added to such a column (columns.ts), it moves past the largest (for a descending one,
 * the smallest) stored value, only when needed.
 */
function pastStoredValues(seq: Sequence, ctx: DiffContext): Statement[] {
  const owner = seq.ownedBy;
  const table = owner ? ctx.from.objects.get(owner.table) as Table | undefined : undefined;
  if (!owner || !table || ctx.removed.has(owner.table) || !table.columns.some((c) => c.name === owner.column)) return [];
  const name = qualify(seq.schema, seq.name);
  const [edge, beyond] = BigInt(seq.increment) < 0n ? ['min', '<='] : ['max', '>='];
  const column = columnId(owner.table, owner.column);
  return [alterStatement(
    `SELECT pg_catalog.setval(${literal(name)}, v) FROM (SELECT ${edge}(${quoteIdent(owner.column)}) AS v FROM ${nameOfId(owner.table)}) AS s WHERE v ${beyond} ${seq.start}`,
    seq.id, { needs: [seq.id, column] },
  )];
}

/**
 * DL-10, reported as compat: a sequence dropped while what it numbered stays loses its position
 * (last_value, not measured). When the column it was owned by gets a new sequence in the same plan
 * (a serial, an identity), that one continues after the largest stored value, not after this
 * position. `dropping` names the statement ("Dropping "public"."s"", "DROP IDENTITY on …"),
 * `read` the query that shows the position.
 */
export function positionLost(object: ObjectId, dropping: string, read: string, owner?: Sequence['ownedBy'], ctx?: DiffContext): Hazard {
  const column = owner && ctx ? (ctx.to.objects.get(owner.table) as Table | undefined)?.columns.find((c) => c.name === owner.column) : undefined;
  const renumbered = owner && ctx && column && (column.identity !== undefined || ctx.to.model.sequences.some((s) => s.ownedBy?.table === owner.table && s.ownedBy.column === owner.column));
  const next = renumbered && owner
    ? `${nameOfId(owner.table)}.${quoteIdent(owner.column)} gets a new sequence that continues after its largest stored value, so numbers of rows deleted from the end can be issued again`
    : 'a sequence created in its place later starts over';
  return hazard('DL-10', object, `${dropping} discards the sequence's position (read it first with ${read} if the numbering must go on): ${next}.`);
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
      ...pastStoredValues(seq, ctx),
      ...metadataAfterCreate('SEQUENCE', name, seq.id, seq, ctx),
    ];
  },
  drop: (seq, ctx) => [dropStatement(`DROP SEQUENCE ${qualify(seq.schema, seq.name)}`, seq.id, {
    holds: [`schema:${quoteIdent(seq.schema)}`],
    hazards: [positionLost(seq.id, `Dropping ${qualify(seq.schema, seq.name)}`, `SELECT last_value, is_called FROM ${qualify(seq.schema, seq.name)}`, seq.ownedBy, ctx)],
  })],
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
