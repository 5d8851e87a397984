/**
 * Phase assignment. Each statement prefers a phase (plan/types.ts); an edge may force it earlier:
 * a function a CHECK constraint calls must exist in expand, not wait for routines, and a view that
 * blocks a column type change must be dropped before expand, in prepare. Ranks only ever move
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
    // A drop that has to happen before additive changes belongs with the other early drops.
    if (r < preferred && graph.nodes[i]?.statement.action === 'drop') r = 0;
    rank[i] = r;
  }
  return rank.map((r) => PHASES[r] as PhaseName);
}
