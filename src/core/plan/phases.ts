/**
 * Phase assignment. Each statement prefers a phase (plan/types.ts); an edge may force it earlier:
 * a function a CHECK constraint calls must exist in expand, not wait for routines, and a contract
 * drop that an additive change needs out of the way (a view over a column whose type changes)
 * moves into expand, ahead of it in the same transaction. Ranks only ever move
 * earlier, walking the graph from its last statements back, so every edge ends up pointing to the
 * same or a later phase and each phase is one contiguous block of the final order.
 */
import type { Graph } from './graph';
import { PHASES, type PhaseName } from './types';

export function assignPhases(graph: Graph, order: readonly number[]): PhaseName[] {
  const rank = graph.nodes.map((n) => PHASES.indexOf(n.statement.phase));
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k] as number;
    const preferred = rank[i] as number;
    let r = preferred;
    for (const s of graph.successors[i] ?? []) r = Math.min(r, rank[s] as number);
    rank[i] = r;
  }
  return rank.map((r) => PHASES[r] as PhaseName);
}
