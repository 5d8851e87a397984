/**
 * One deterministic topological sort (Kahn's algorithm) whose ready set is ordered by a priority,
 * so the same graph always gives the same order, and a cycle is reported with the objects in it.
 */
import { PgdriftError } from '../errors';
import type { Graph } from './graph';
import { MinHeap } from './heap';

export function topologicalOrder(graph: Graph, less: (a: number, b: number) => boolean): number[] {
  const n = graph.nodes.length;
  const indegree = new Array<number>(n).fill(0);
  for (const succ of graph.successors) for (const s of succ) indegree[s] = (indegree[s] ?? 0) + 1;
  const ready = new MinHeap(less);
  for (let i = 0; i < n; i++) if (indegree[i] === 0) ready.push(i);
  const order: number[] = [];
  while (ready.size) {
    const i = ready.pop() as number;
    order.push(i);
    for (const s of graph.successors[i] ?? []) {
      indegree[s] = (indegree[s] ?? 0) - 1;
      if (indegree[s] === 0) ready.push(s);
    }
  }
  if (order.length < n) throw cycleError(graph, indegree);
  return order;
}

/** Walks the unsorted remainder until a node repeats: that loop is the cycle to report. */
function cycleError(graph: Graph, indegree: number[]): PgdriftError {
  const remaining = new Set(indegree.flatMap((d, i) => (d > 0 ? [i] : [])));
  let current = [...remaining][0] as number;
  const path: number[] = [];
  const seen = new Map<number, number>();
  while (!seen.has(current)) {
    seen.set(current, path.length);
    path.push(current);
    const next = (graph.successors[current] ?? []).find((s) => remaining.has(s));
    if (next === undefined) break;
    current = next;
  }
  const cycle = path.slice(seen.get(current) ?? 0);
  const described = cycle.map((i) => {
    const s = graph.nodes[i]?.statement;
    return s ? `${s.action} ${s.object}` : '?';
  });
  return new PgdriftError('plan-cycle', `the changes depend on each other in a cycle that no statement order satisfies: ${[...described, described[0]].join(' → ')}`);
}
