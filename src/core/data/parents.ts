/**
 * Rows of an unmarked table that marked rows refer to, looked up in the target. Only the keys the
 * synced rows need are asked for, each cast to the referenced column's type so the lookup can use
 * the parent's index. A parent table (or column) the target does not have yet is empty when the
 * data phase runs: the plan creates it without rows.
 */
import type { Queryable } from '../db/queryable';
import { quoteIdent } from '../model/ids';
import type { Table } from '../model/types';
import { qualifiedName } from './literal';

/** Of `keys` (JSON arrays of the referenced columns' text), those the target's `parent` has. */
export async function existingParentKeys(q: Queryable, parent: Table | undefined, columns: readonly string[], keys: readonly string[]): Promise<Set<string>> {
  if (!parent || keys.length === 0) return new Set();
  const typed = columns.map((name) => parent.columns.find((c) => c.name === name));
  if (typed.some((c) => !c)) return new Set();
  const match = typed.map((c, i) => `p.${quoteIdent(c?.name ?? '')} = (x.k::jsonb->>${i})::${c?.type ?? 'text'}`).join(' AND ');
  const r = await q.query<{ k: string }>(
    `SELECT x.k FROM unnest($1::text[]) AS x(k) WHERE EXISTS (SELECT 1 FROM ${qualifiedName(parent.schema, parent.name)} p WHERE ${match})`,
    [keys],
  );
  return new Set(r.rows.map((row) => row.k));
}
