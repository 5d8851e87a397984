/**
 * Probe targets name tables and columns the way the plan's statements do, that is after the
 * renames the mapping declares (ALTER TABLE … RENAME runs in expand). The probes, the preflight
 * expectations and the backups all run before those renames, on the from-database as it is, so
 * their targets are put back under the old names here. Validate-phase checks are written from
 * the desired model and keep the new names.
 */
import { applyMapping, type Rename } from '../diff/renames';
import type { Mapping } from '../diff/options';
import { qualify, quoteIdent } from '../diff/sql';
import type { SchemaModel } from '../model/types';
import type { Plan } from '../plan/types';
import type { Hazard, ProbeTarget } from './types';

export function targetsBeforeRenames(plan: Plan, from: SchemaModel, to: SchemaModel, mapping: Mapping | undefined): Plan {
  if (!mapping || (!Object.keys(mapping.tables).length && !Object.keys(mapping.columns).length)) return plan;
  const renames = applyMapping(from, to, mapping).renamed;
  if (!renames.length) return plan;
  const back = (h: Hazard): Hazard => (h.target ? { ...h, target: undoRenames(h.target, renames) } : h);
  return { ...plan, statements: plan.statements.map((s) => (s.hazards ? { ...s, hazards: s.hazards.map(back) } : s)) };
}

/** The target with the renames undone, last rename first. */
function undoRenames(target: ProbeTarget, renames: readonly Rename[]): ProbeTarget {
  let out = target;
  for (const r of [...renames].reverse()) out = r.kind === 'table' ? undoTable(out, r) : undoColumn(out, r);
  return out;
}

function undoTable(t: ProbeTarget, r: Extract<Rename, { kind: 'table' }>): ProbeTarget {
  const renamed = qualify(r.schema, r.name);
  const original = qualify(r.schema, r.old);
  // A predicate may name the table too (the parent of a foreign key, in NOT EXISTS).
  const text = (s: string | undefined) => s?.split(renamed).join(original);
  return defined({ ...t, table: t.table === renamed ? original : t.table, where: text(t.where), sample: text(t.sample) });
}

function undoColumn(t: ProbeTarget, r: Extract<Rename, { kind: 'column' }>): ProbeTarget {
  if (t.table !== qualify(r.schema, r.table)) return t;
  const renamed = quoteIdent(r.name);
  const original = quoteIdent(r.old);
  const name = (c: string) => (c === renamed ? original : c);
  // Predicates refer to the target's own columns as t."name" (alias t).
  const text = (s: string | undefined) => s?.split(`t.${renamed}`).join(`t.${original}`);
  return defined({
    ...t,
    column: t.column === undefined ? undefined : name(t.column),
    where: text(t.where),
    sample: text(t.sample),
    key: t.key?.map(name),
    unique: t.unique ? { ...t.unique, columns: t.unique.columns.map(name) } : undefined,
    copyInto: t.copyInto === undefined ? undefined : name(t.copyInto),
  });
}

/** Drops keys whose value is undefined (exactOptionalPropertyTypes). */
function defined(t: { [K in keyof ProbeTarget]: ProbeTarget[K] | undefined }): ProbeTarget {
  return Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) as unknown as ProbeTarget;
}
