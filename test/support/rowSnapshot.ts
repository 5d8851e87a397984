/**
 * Data survival: which rows a migration must keep, and a compact fingerprint of them taken before
 * and after. A table present on both sides that the plan does not drop must keep its row count;
 * columns present on both sides with the same type and not generated must keep their values
 * (compared as one md5 over the sorted row texts); a column whose type changes must keep the number
 * of NULLs (a cast that silently nulls values shows up there). A column of a composite type or
 * domain whose definition changes counts as changing type: dropping an attribute changes the
 * text of every value, NULL attribute or not.
 */
import { canonicalJson } from '../../src/core/model/canonicalJson';
import { quoteIdent } from '../../src/core/model/ids';
import type { ObjectId, SchemaModel, Table } from '../../src/core/model/types';
import type { Plan } from '../../src/core/plan/types';
import type { TestDatabase } from './servers';

export interface RowProbe {
  table: ObjectId;
  relation: string;
  hashed: string[];
  nullCounted: string[];
}

export interface RowState {
  count: string;
  hash: string;
  nulls: string;
}

/** Names (as format_type prints them, quotes removed) of composites and domains that change. */
function reshapedTypes(from: SchemaModel, to: SchemaModel): Set<string> {
  const names = new Set<string>();
  for (const kind of ['composites', 'domains'] as const) {
    const after = new Map<string, string>(to[kind].map((t) => [t.id, canonicalJson(t)]));
    for (const t of from[kind]) {
      if (after.get(t.id) === canonicalJson(t)) continue;
      names.add(`${t.schema}.${t.name}`);
      names.add(t.name);
    }
  }
  return names;
}

function typeKey(type: string): string {
  return type.replace(/"/g, '').replace(/(\[\])+$/, '');
}

export function rowProbes(from: SchemaModel, to: SchemaModel, plan: Plan): RowProbe[] {
  const reshaped = reshapedTypes(from, to);
  const dropped = new Set(plan.statements.flatMap((s) => s.drops ?? []));
  const targets = new Map(to.tables.map((t) => [t.id, t]));
  const probes: RowProbe[] = [];
  for (const before of from.tables) {
    const after = targets.get(before.id);
    if (!after || before.kind === 'foreign table' || after.kind === 'foreign table' || dropped.has(before.id)) continue;
    const hashed: string[] = [];
    const nullCounted: string[] = [];
    for (const column of before.columns) {
      const twin = after.columns.find((c) => c.name === column.name);
      if (!twin || column.generated || twin.generated) continue;
      if (twin.type === column.type && !reshaped.has(typeKey(column.type))) hashed.push(column.name);
      else nullCounted.push(column.name);
    }
    probes.push({ table: before.id, relation: relationName(before), hashed, nullCounted });
  }
  return probes;
}

function relationName(t: Table): string {
  return `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
}

export async function readRows(db: TestDatabase, probes: readonly RowProbe[]): Promise<Map<ObjectId, RowState>> {
  const states = new Map<ObjectId, RowState>();
  if (probes.length === 0) return states;
  const parts = probes.map((p, i) => {
    const row = `ROW(${p.hashed.map(quoteIdent).join(', ')})::text COLLATE "C"`;
    const nulls = p.nullCounted.map((c) => `count(*) FILTER (WHERE ${quoteIdent(c)} IS NULL)`);
    return `SELECT ${i} AS i, count(*)::text AS count, md5(coalesce(string_agg(${row}, E'\\n' ORDER BY ${row}), '')) AS hash,
      json_build_array(${nulls.join(', ')})::text AS nulls FROM ${p.relation}`;
  });
  const rows = await db.query<{ i: number; count: string; hash: string; nulls: string }>(parts.join('\nUNION ALL\n'));
  for (const r of rows) {
    const probe = probes[r.i];
    if (probe) states.set(probe.table, { count: r.count, hash: r.hash, nulls: r.nulls });
  }
  return states;
}

/** One line per table whose rows did not survive; empty when all did. */
export function rowLosses(probes: readonly RowProbe[], before: Map<ObjectId, RowState>, after: Map<ObjectId, RowState>): string[] {
  const losses: string[] = [];
  for (const p of probes) {
    const b = before.get(p.table);
    const a = after.get(p.table);
    if (!b || !a) continue;
    if (a.count !== b.count) losses.push(`${p.table}: ${b.count} rows before, ${a.count} after`);
    else if (a.hash !== b.hash) losses.push(`${p.table}: values of (${p.hashed.join(', ')}) changed`);
    else if (a.nulls !== b.nulls) losses.push(`${p.table}: NULL counts of (${p.nullCounted.join(', ')}) went from ${b.nulls} to ${a.nulls}`);
  }
  return losses;
}
