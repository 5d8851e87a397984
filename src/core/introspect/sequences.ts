import { ids } from '../model/ids';
import type { Sequence, SequenceOptions } from '../model/types';
import { ownership, type OidMap, type OwnershipRow } from './oidMap';
import { catalogQuery, ownershipColumns, describedBy } from './query';

/**
 * Sequences with their options and OWNED BY column. A sequence behind an identity column is linked
 * to the column by an internal ('i') dependency; it is part of the column: its options become the
 * column's identity options and it is not listed as a sequence. A serial column's sequence has an auto ('a') dependency: it is a real sequence,
 * OWNED BY the column.
 */
export const sequencesQuery = catalogQuery('sequences', `
  SELECT c.oid, n.nspname AS schema, c.relname AS name,
    pg_catalog.format_type(s.seqtypid, NULL) AS data_type,
    s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmin::text AS min, s.seqmax::text AS max,
    s.seqcache::text AS cache, s.seqcycle AS cycle,
    own.deptype AS owned_deptype, own.refobjid AS owned_table, own.refobjsubid AS owned_attnum, own_att.attname AS owned_column,
    ${ownershipColumns('c.relowner', 'c.relacl', 'd')}
  FROM pg_catalog.pg_class c
  ${describedBy('d', 'pg_class', 'c.oid')}
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
  LEFT JOIN pg_catalog.pg_depend own ON own.classid = 'pg_class'::regclass AND own.objid = c.oid
    AND own.refclassid = 'pg_class'::regclass AND own.refobjsubid > 0 AND own.deptype IN ('a', 'i')
  LEFT JOIN pg_catalog.pg_attribute own_att ON own_att.attrelid = own.refobjid AND own_att.attnum = own.refobjsubid
  WHERE c.relkind = 'S' AND c.relnamespace = ANY($1::oid[])`);

export interface SequenceRow extends OwnershipRow {
  oid: number;
  schema: string;
  name: string;
  data_type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
  owned_deptype: 'a' | 'i' | null;
  owned_table: number | null;
  owned_attnum: number | null;
  owned_column: string | null;
}

export function sequenceOptions(r: Pick<SequenceRow, 'data_type' | 'start' | 'increment' | 'min' | 'max' | 'cache' | 'cycle'>): SequenceOptions {
  return { dataType: r.data_type, start: r.start, increment: r.increment, min: r.min, max: r.max, cache: r.cache, cycle: r.cycle };
}

/** The options of an identity column's sequence, by the column's (relation oid, attnum). */
export interface IdentitySequence {
  relid: number;
  attnum: number;
  options: SequenceOptions;
}

/** Runs after tables and their columns are registered, so OWNED BY can name the table's model id. */
export function buildSequences(rows: SequenceRow[], oids: OidMap): { sequences: Sequence[]; identities: IdentitySequence[] } {
  const sequences: Sequence[] = [];
  const identities: IdentitySequence[] = [];
  for (const r of rows) {
    if (r.owned_deptype === 'i' && r.owned_table !== null && r.owned_attnum !== null) {
      // Identity sequence: anything that depends on it depends on the column.
      const column = oids.get('pg_class', r.owned_table, r.owned_attnum);
      if (column) oids.set('pg_class', r.oid, column);
      identities.push({ relid: r.owned_table, attnum: r.owned_attnum, options: sequenceOptions(r) });
      continue;
    }
    const id = ids.sequence(r.schema, r.name);
    oids.set('pg_class', r.oid, id);
    const sequence: Sequence = { id, schema: r.schema, name: r.name, ...sequenceOptions(r), ...ownership(r) };
    const table = r.owned_table !== null ? oids.get('pg_class', r.owned_table) : undefined;
    if (table && r.owned_column !== null) sequence.ownedBy = { table, column: r.owned_column };
    sequences.push(sequence);
  }
  return { sequences, identities };
}
