/**
 * Tables (marked reference-data tables, a SQLite file's tables) parent-before-child by the foreign
 * keys among them. A foreign key PostgreSQL checks at the end of each statement orders the tables; one INITIALLY DEFERRED is checked at the
 * commit of the phase's transaction, so it orders nothing. A table referring to itself needs no
 * order: its rows go in one INSERT (and one DELETE), and the foreign-key check of a statement runs
 * after all its rows. A cycle through two or more tables cannot be ordered and is an error naming it.
 */
import { PgdriftError } from '../errors';

export interface TableEdge {
  /** The referencing table. */
  child: string;
  /** The referenced table. */
  parent: string;
  /** INITIALLY DEFERRED: checked at commit. */
  deferred: boolean;
}

/** The tables in parent-before-child order; ties in the order given. */
/** `explain` words the error for a cycle, given the tables in it ("a → b → a"). */
export function parentsFirst(tables: readonly string[], edges: readonly TableEdge[], label: (id: string) => string, explain: (cycle: string) => string): string[] {
  const index = new Map(tables.map((t, i) => [t, i]));
  const parents = tables.map(() => new Set<number>());
  for (const e of edges) {
    if (e.deferred || e.child === e.parent) continue;
    const c = index.get(e.child);
    const p = index.get(e.parent);
    if (c === undefined || p === undefined) continue;
    parents[c]?.add(p);
  }
  const done = new Set<number>();
  const out: string[] = [];
  while (out.length < tables.length) {
    const next = tables.findIndex((_, i) => !done.has(i) && [...(parents[i] ?? [])].every((p) => done.has(p)));
    if (next === -1) {
      const cycle = findCycle(tables.map((_, i) => i).filter((i) => !done.has(i)), parents);
      throw new PgdriftError('plan-cycle', explain(cycle.map((i) => label(tables[i] ?? '')).join(' → ')));
    }
    done.add(next);
    out.push(tables[next] as string);
  }
  return out;
}

/** A cycle among the remaining tables (each has a remaining parent), closed: [a, b, a]. */
function findCycle(remaining: number[], parents: Set<number>[]): number[] {
  const left = new Set(remaining);
  const path: number[] = [];
  let at = remaining[0] as number;
  while (!path.includes(at)) {
    path.push(at);
    at = [...(parents[at] ?? [])].find((p) => left.has(p)) as number;
  }
  // Written in the order the rows would have to be inserted: parent → child.
  return [...path.slice(path.indexOf(at)), at].reverse();
}
