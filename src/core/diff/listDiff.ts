/**
 * The one generic differ: two lists of model objects matched by their stable id. Everything the
 * per-kind decisions (alter in place or recreate) work on comes from here, in id order, so the
 * same two models always give the same changes in the same order.
 */
import { compare } from '../model/normalise';
import type { DiffOptions } from './options';

export interface Changed<T> {
  from: T;
  to: T;
}

export interface ListDiff<T> {
  added: T[];
  removed: T[];
  changed: Changed<T>[];
}

export function diffById<T extends { id: string }>(
  from: readonly T[],
  to: readonly T[],
  same: (a: T, b: T) => boolean,
): ListDiff<T> {
  const before = new Map(from.map((item) => [item.id, item]));
  const after = new Map(to.map((item) => [item.id, item]));
  const result: ListDiff<T> = { added: [], removed: [], changed: [] };
  for (const id of [...new Set([...before.keys(), ...after.keys()])].sort(compare)) {
    const a = before.get(id);
    const b = after.get(id);
    if (a && b) {
      if (!same(a, b)) result.changed.push({ from: a, to: b });
    } else if (b) {
      result.added.push(b);
    } else if (a) {
      result.removed.push(a);
    }
  }
  return result;
}

/**
 * Equality of two model objects under the options: owners, privileges and comments are left out
 * wherever they occur (on a table, on its columns) unless the options ask for them. Key order does
 * not matter; array order does (columns, enum labels and index keys are ordered data).
 */
export function sameUnder(options: DiffOptions): (a: unknown, b: unknown) => boolean {
  const ignored = new Set<string>();
  if (!options.owners) ignored.add('owner');
  if (!options.privileges) ignored.add('acl');
  if (!options.comments) ignored.add('comment');
  return (a, b) => equalIgnoring(a, b, ignored);
}

function equalIgnoring(a: unknown, b: unknown, ignored: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalIgnoring(a[i], b[i], ignored)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const key in x) {
    if (ignored.has(key) || x[key] === undefined) continue;
    count++;
    if (!equalIgnoring(x[key], y[key], ignored)) return false;
  }
  for (const key in y) if (!ignored.has(key) && y[key] !== undefined) count--;
  return count === 0;
}
