/**
 * Statements become nodes, their declarations become "runs before" edges:
 * - a statement that needs X runs after every statement that creates X;
 * - a statement that holds X (relies on its current form) runs before every statement that drops X;
 * - a statement that runs after the drop of X runs after every statement that drops X;
 * - an object that existed and is dropped and created again is dropped first;
 * - statements of one change keep the order their differ gave them (add a column, then comment it).
 */
import type { ObjectId } from '../model/types';
import type { Change, Statement } from './types';

export interface Node {
  statement: Statement;
  change: Change;
  /** Position within its change. */
  seq: number;
}

export interface Graph {
  nodes: Node[];
  /** successors[i]: nodes that must run after node i (no duplicates). */
  successors: number[][];
}

export function createsOf(s: Statement): readonly ObjectId[] {
  return s.creates ?? (s.action === 'create' ? [s.object] : []);
}

export function dropsOf(s: Statement): readonly ObjectId[] {
  return s.drops ?? (s.action === 'drop' ? [s.object] : []);
}

export function buildGraph(changes: readonly Change[], existedBefore: (id: ObjectId) => boolean): Graph {
  const nodes: Node[] = [];
  for (const change of changes) change.statements.forEach((statement, seq) => nodes.push({ statement, change, seq }));
  const creators = new Map<ObjectId, number[]>();
  const droppers = new Map<ObjectId, number[]>();
  const add = (map: Map<ObjectId, number[]>, id: ObjectId, i: number) => {
    const list = map.get(id);
    if (list) list.push(i);
    else map.set(id, [i]);
  };
  nodes.forEach(({ statement }, i) => {
    for (const id of createsOf(statement)) add(creators, id, i);
    for (const id of dropsOf(statement)) add(droppers, id, i);
  });
  const successors: Set<number>[] = nodes.map(() => new Set<number>());
  const edge = (a: number, b: number) => {
    if (a !== b) successors[a]?.add(b);
  };
  nodes.forEach(({ statement }, i) => {
    for (const id of statement.needs ?? []) for (const c of creators.get(id) ?? []) edge(c, i);
    for (const id of statement.holds ?? []) for (const d of droppers.get(id) ?? []) edge(i, d);
    for (const id of statement.afterDropOf ?? []) for (const d of droppers.get(id) ?? []) edge(d, i);
  });
  for (const [id, drops] of droppers) {
    if (!existedBefore(id)) continue;
    for (const d of drops) for (const c of creators.get(id) ?? []) edge(d, c);
  }
  for (let i = 1; i < nodes.length; i++) {
    if (nodes[i]?.change === nodes[i - 1]?.change) edge(i - 1, i);
  }
  return { nodes, successors: successors.map((s) => [...s].sort((a, b) => a - b)) };
}
