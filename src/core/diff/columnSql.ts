/** The SQL that describes a column: in CREATE TABLE, in ADD COLUMN, and its identity options. */
import type { Column, SequenceOptions } from '../model/types';
import { quoteIdent } from './sql';

export function columnDefinition(column: Column): string {
  const parts = [quoteIdent(column.name), column.type];
  if (column.collation !== undefined) parts.push(`COLLATE ${column.collation}`);
  if (column.compression !== undefined) parts.push(`COMPRESSION ${column.compression}`);
  if (column.generated) {
    // PostgreSQL 18 made VIRTUAL the default; spelling the kind out keeps the statement's meaning
    // the same on every version (13–17 only accept STORED).
    parts.push(`GENERATED ALWAYS AS (${column.generated.expression}) ${column.generated.kind === 'virtual' ? 'VIRTUAL' : 'STORED'}`);
  } else if (column.identity) {
    parts.push(`GENERATED ${column.identity.kind === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY (${identityOptions(column.identity.sequence)})`);
  } else if (column.default !== undefined) {
    parts.push(`DEFAULT ${column.default}`);
  }
  if (column.notNull && !column.identity) parts.push('NOT NULL');
  return parts.join(' ');
}

/** Sequence options as CREATE SEQUENCE and identity clauses spell them (without AS type). */
export function identityOptions(s: SequenceOptions): string {
  return [
    `START ${s.start}`, `INCREMENT ${s.increment}`, `MINVALUE ${s.min}`, `MAXVALUE ${s.max}`,
    `CACHE ${s.cache}`, s.cycle ? 'CYCLE' : 'NO CYCLE',
  ].join(' ');
}

/** Only the options that differ, for ALTER … SET / ALTER SEQUENCE. */
export function changedSequenceOptions(from: SequenceOptions, to: SequenceOptions): string[] {
  const out: string[] = [];
  if (from.start !== to.start) out.push(`START ${to.start}`);
  if (from.increment !== to.increment) out.push(`INCREMENT ${to.increment}`);
  if (from.min !== to.min) out.push(`MINVALUE ${to.min}`);
  if (from.max !== to.max) out.push(`MAXVALUE ${to.max}`);
  if (from.cache !== to.cache) out.push(`CACHE ${to.cache}`);
  if (from.cycle !== to.cycle) out.push(to.cycle ? 'CYCLE' : 'NO CYCLE');
  return out;
}
