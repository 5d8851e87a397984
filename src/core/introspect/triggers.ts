import { ids } from '../model/ids';
import type { Trigger, TriggerEvent } from '../model/types';
import { commentOf, type OidMap } from './oidMap';
import { catalogQuery, notExtensionMember } from './query';

/**
 * User triggers on tables and views. Internal triggers (those implementing foreign keys) are left
 * out, and so are the clones PostgreSQL puts on each partition of a partitioned table that has a
 * row trigger (tgparentid <> 0): they come and go with the parent's trigger.
 */
export const triggersQuery = catalogQuery('triggers', `
  SELECT tg.oid, tg.tgrelid AS relid, tg.tgname AS name,
    pg_catalog.pg_get_triggerdef(tg.oid, true) AS definition,
    tg.tgfoid AS function_oid, tg.tgtype AS type, tg.tgenabled AS enabled,
    tg.tgconstraint <> 0 AS is_constraint, tg.tgdeferrable AS deferrable, tg.tginitdeferred AS deferred,
    tg.tgoldtable AS old_table, tg.tgnewtable AS new_table,
    ARRAY(SELECT a.attname::text FROM unnest(tg.tgattr::int2[]) WITH ORDINALITY k(attnum, ord)
      JOIN pg_catalog.pg_attribute a ON a.attrelid = tg.tgrelid AND a.attnum = k.attnum ORDER BY k.ord) AS update_columns,
    pg_catalog.obj_description(tg.oid, 'pg_trigger') AS comment
  FROM pg_catalog.pg_trigger tg
  JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
  WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND c.relnamespace = ANY($1::oid[])
    AND ${notExtensionMember('pg_class', 'c.oid')}`);

export interface TriggerRow {
  oid: number;
  relid: number;
  name: string;
  definition: string;
  function_oid: number;
  type: number;
  enabled: 'O' | 'D' | 'R' | 'A';
  is_constraint: boolean;
  deferrable: boolean;
  deferred: boolean;
  old_table: string | null;
  new_table: string | null;
  update_columns: string[];
  comment: string | null;
}

// Bits of pg_trigger.tgtype (src/include/catalog/pg_trigger.h).
const ROW = 1, BEFORE = 2, INSERT = 4, DELETE = 8, UPDATE = 16, TRUNCATE = 32, INSTEAD = 64;
const ENABLED = { O: 'origin', D: 'disabled', R: 'replica', A: 'always' } as const;

/** WHEN (…) as pg_get_triggerdef prints it; the stored tgqual cannot be deparsed on its own. */
export function whenClause(definition: string): string | undefined {
  const match = /\sWHEN \((.*)\) EXECUTE (?:FUNCTION|PROCEDURE) /s.exec(definition);
  return match?.[1];
}

export function buildTriggers(
  rows: TriggerRow[],
  relations: Map<number, { schema: string; name: string; id: string }>,
  oids: OidMap,
): Trigger[] {
  const out: Trigger[] = [];
  for (const r of rows) {
    const relation = relations.get(r.relid);
    const fn = oids.get('pg_proc', r.function_oid);
    if (!relation) continue;
    const id = ids.trigger(relation.schema, relation.name, r.name);
    oids.set('pg_trigger', r.oid, id);
    const events: TriggerEvent[] = [];
    if (r.type & INSERT) events.push('insert');
    if (r.type & UPDATE) events.push('update');
    if (r.type & DELETE) events.push('delete');
    if (r.type & TRUNCATE) events.push('truncate');
    const trigger: Trigger = {
      id,
      table: relation.id,
      name: r.name,
      definition: r.definition,
      // A trigger function from an extension is not in the model; the definition still names it.
      function: fn ?? `function:(oid ${r.function_oid}, not modelled)`,
      timing: r.type & INSTEAD ? 'instead of' : r.type & BEFORE ? 'before' : 'after',
      events,
      level: r.type & ROW ? 'row' : 'statement',
      enabled: ENABLED[r.enabled],
      ...commentOf(r.comment),
    };
    if (r.update_columns.length > 0) trigger.updateColumns = r.update_columns;
    const when = whenClause(r.definition);
    if (when !== undefined) trigger.when = when;
    if (r.is_constraint) trigger.constraint = { deferrable: r.deferrable, initiallyDeferred: r.deferred };
    if (r.old_table !== null) trigger.oldTable = r.old_table;
    if (r.new_table !== null) trigger.newTable = r.new_table;
    out.push(trigger);
  }
  return out;
}
