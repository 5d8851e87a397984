/**
 * Among statements free to run, which goes first: earlier phase, then statements that must run
 * outside a transaction (so they commit before anything uses what they add), then drops, then by object kind
 * (schemas and types before tables, tables before their constraints and indexes, views, routines,
 * triggers; drops in the reverse kind order), then by object id. Only readability depends on
 * this; correctness comes from the edges.
 */
import type { Graph } from './graph';
import { PHASES, type PhaseName } from './types';

const KIND_ORDER = [
  'schema', 'extension', 'enum', 'domain', 'type', 'sequence', 'table', 'column', 'constraint', 'index',
  'view', 'materialized view', 'function', 'procedure', 'aggregate', 'window', 'trigger', 'policy',
];

function kindRank(object: string, drop: boolean): number {
  const k = KIND_ORDER.indexOf(object.slice(0, object.indexOf(':')));
  const r = k < 0 ? KIND_ORDER.length : k;
  return drop ? KIND_ORDER.length - r : r;
}

export function priority(graph: Graph, phases: readonly PhaseName[]): (a: number, b: number) => boolean {
  const keys = graph.nodes.map((n, i) => ({
    phase: PHASES.indexOf(phases[i] as PhaseName),
    outside: n.statement.transactional === false ? 0 : 1,
    // Drops a phase needs out of the way (in expand: a view over a retyped column) read first.
    drop: n.statement.action === 'drop' ? 0 : 1,
    kind: kindRank(n.statement.object, n.statement.action === 'drop'),
    object: n.statement.object,
    change: n.change.id,
    seq: n.seq,
    index: i,
  }));
  return (a, b) => {
    const x = keys[a];
    const y = keys[b];
    if (!x || !y) return a < b;
    if (x.phase !== y.phase) return x.phase < y.phase;
    if (x.outside !== y.outside) return x.outside < y.outside;
    if (x.drop !== y.drop) return x.drop < y.drop;
    if (x.kind !== y.kind) return x.kind < y.kind;
    if (x.object !== y.object) return x.object < y.object;
    if (x.change !== y.change) return x.change < y.change;
    if (x.seq !== y.seq) return x.seq < y.seq;
    return x.index < y.index;
  };
}
