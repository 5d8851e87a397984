/**
 * The one generic differ: two lists of model objects matched by their stable id. Everything the
 * per-kind decisions (alter in place or recreate) work on comes from here, in id order, so the
 * same two models always give the same changes in the same order.
 */
import { canonicalJson } from '../model/canonicalJson';
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
 * wherever they occur (on a table, on its columns) unless the options ask for them.
 */
export function sameUnder(options: DiffOptions): (a: unknown, b: unknown) => boolean {
  const ignored = new Set<string>();
  if (!options.owners) ignored.add('owner');
  if (!options.privileges) ignored.add('acl');
  if (!options.comments) ignored.add('comment');
  return (a, b) => comparable(a, ignored) === comparable(b, ignored);
}

function comparable(value: unknown, ignored: ReadonlySet<string>): string {
  return canonicalJson(ignored.size === 0 ? value : without(value, ignored));
}

function without(value: unknown, ignored: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => without(item, ignored));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (!ignored.has(key)) out[key] = without(v, ignored);
  return out;
}
