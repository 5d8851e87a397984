/**
 * The plan: the changes between two models, their statements ordered by the dependency graph and
 * grouped into phases. Deterministic: the same two models give the same plan, byte for byte.
 */
import { diffModels } from '../diff';
import { columnId, modelObjects } from '../diff/context';
import type { DiffOptions } from '../diff/options';
import { compare } from '../model/normalise';
import type { ObjectId, SchemaModel } from '../model/types';
import { buildGraph } from './graph';
import { assignPhases } from './phases';
import { priority } from './priority';
import { topologicalOrder } from './sort';
import type { Change, Plan, PlannedStatement } from './types';

export { renderPlanSql, renderStatement } from './render';

export function planMigration(from: SchemaModel, to: SchemaModel, options: Partial<DiffOptions> = {}): Plan {
  const changes = diffModels(from, to, options).sort(byKindAndId);
  return { changes, statements: orderChanges(changes, existedIn(from)) };
}

export function orderChanges(changes: readonly Change[], existedBefore: (id: ObjectId) => boolean): PlannedStatement[] {
  const graph = buildGraph(changes, existedBefore);
  const first = topologicalOrder(graph, (a, b) => a < b);
  const phases = assignPhases(graph, first);
  const order = topologicalOrder(graph, priority(graph, phases));
  return order.map((i) => {
    const node = graph.nodes[i];
    if (!node) throw new Error('plan: node out of range');
    return { ...node.statement, phase: phases[i] ?? node.statement.phase, change: node.change.id };
  });
}

/** Whether an object id names something the model has (tables' columns included). */
export function existedIn(model: SchemaModel): (id: ObjectId) => boolean {
  const ids = new Set<ObjectId>();
  for (const list of modelObjects(model)) for (const item of list) ids.add(item.id);
  for (const t of model.tables) for (const c of t.columns) ids.add(columnId(t.id, c.name));
  return (id) => ids.has(id);
}

function byKindAndId(a: Change, b: Change): number {
  return compare(a.id, b.id);
}
