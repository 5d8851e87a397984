import { ids } from '../model/ids';
import type { Trigger, TriggerEvent } from '../model/types';
import { commentOf, type OidMap, type RelationsByOid } from './oidMap';
import { withoutDefaultMode } from './routines';
import { catalogQuery, describedBy } from './query';

/**
 * User triggers on tables and views. Internal triggers (those implementing foreign keys) are left
 * out, and so are the clones PostgreSQL puts on each partition of a partitioned table that has a
 * row trigger (tgparentid <> 0): they come and go with the parent's trigger.
 */
export const triggersQuery = catalogQuery('triggers', `
  SELECT tg.oid, tg.tgrelid AS relid, tg.tgname AS name,
    pg_catalog.pg_get_triggerdef(tg.oid, true) AS definition,
    tg.tgfoid AS function_oid, fn_ns.nspname AS function_schema, fn.proname AS function_name,
    pg_catalog.pg_get_function_identity_arguments(fn.oid) AS function_arguments,
    tg.tgtype AS type, tg.tgenabled AS enabled,
    tg.tgconstraint <> 0 AS is_constraint, tg.tgdeferrable AS deferrable, tg.tginitdeferred AS deferred,
    tg.tgoldtable AS old_table, tg.tgnewtable AS new_table,
    ARRAY(SELECT a.attname::text FROM unnest(tg.tgattr::int2[]) WITH ORDINALITY k(attnum, ord)
      JOIN pg_catalog.pg_attribute a ON a.attrelid = tg.tgrelid AND a.attnum = k.attnum ORDER BY k.ord) AS update_columns,
    d.description AS comment
  FROM pg_catalog.pg_trigger tg
  ${describedBy('d', 'pg_trigger', 'tg.oid')}
  JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
  JOIN pg_catalog.pg_proc fn ON fn.oid = tg.tgfoid
  JOIN pg_catalog.pg_namespace fn_ns ON fn_ns.oid = fn.pronamespace
  WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND c.relnamespace = ANY($1::oid[])`);

export interface TriggerRow {
  oid: number;
  relid: number;
  name: string;
  definition: string;
  function_oid: number;
  function_schema: string;
  function_name: string;
  function_arguments: string;
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

/**
 * WHEN (…) as pg_get_triggerdef prints it; the stored tgqual cannot be deparsed on its own.
 *
 * The definition is scanned token-wise: quoted identifiers (a trigger or table name) and string
 * literals (trigger arguments, constants in the condition) may hold any text, "WHEN (" and
 * ") EXECUTE FUNCTION " included, so they are skipped; the clause is the balanced parenthesis that
 * follows FOR EACH ROW|STATEMENT WHEN at the top level.
 */
export function whenClause(definition: string): string | undefined {
  // Blank out the inside of quoted text, keeping every offset, then search the rest.
  let masked = '';
  for (let i = 0; i < definition.length;) {
    const ch = definition.charAt(i);
    if (ch !== '"' && ch !== "'") {
      masked += ch;
      i += 1;
      continue;
    }
    let j = i + 1;
    for (; j < definition.length; j++) {
      if (definition.charAt(j) !== ch) continue;
      if (definition.charAt(j + 1) === ch) j += 1; // doubled quote: still inside
      else break;
    }
    masked += ch + '_'.repeat(Math.max(0, Math.min(j, definition.length) - i - 1)) + (j < definition.length ? ch : '');
    i = j + 1;
  }
  const start = / FOR EACH (?:ROW|STATEMENT) WHEN \(/.exec(masked);
  if (!start) return undefined;
  const open = start.index + start[0].length;
  let depth = 1;
  for (let k = open; k < masked.length; k++) {
    const ch = masked.charAt(k);
    if (ch === '(') depth += 1;
    else if (ch === ')' && --depth === 0) return definition.slice(open, k);
  }
  return undefined;
}

export function buildTriggers(
  rows: TriggerRow[],
  relations: RelationsByOid,
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
      // A trigger function from an extension or a system schema is not in the model; it is still
      // named by the id it would have, never by its oid, which differs from one database to the next.
      function: fn ?? ids.routine('function', r.function_schema, r.function_name, withoutDefaultMode(r.function_arguments)),
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
