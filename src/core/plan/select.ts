/**
 * Leaving changes out of a plan. A change cannot be left out alone when others rely on it:
 * - a statement that needs an object only the left-out change creates would run against an object
 *   that does not exist (a foreign key to a table that is not created), or that still has its old
 *   form (a view over a column whose type change is left out: the change drops and recreates it);
 * - a statement that must run after the drop of an object only the left-out change drops would
 *   fail while the object is still there (DROP NOT NULL while the primary key holds the column);
 * - a change forced by another (a view dropped and recreated because a column it reads changes
 *   type) has no reason left once its cause is left out;
 * - a statement that relies on an object's current form (a view on a column, a column of an enum
 *   type) keeps relying on it when it is left out, so the object cannot be dropped or retyped:
 *   PostgreSQL refuses to drop what others depend on, and to change the type of a column a view
 *   reads.
 * Requirements are computed once per plan; which changes must follow an exclusion (and which must
 * come back with an inclusion) is then a walk over them. Light on purpose: the editor's view loads
 * this module without the engine.
 */
import type { ObjectId } from '../model/types';
import { kindLabel } from '../render/changeKinds';
import { displayName, kindOfId } from '../render/objectName';
import { createsOf, dropsOf } from './graph';
import type { Change } from './types';

/** `change` cannot run without one of `on` (the changes that provide `object`). */
export interface Requirement {
  change: ObjectId;
  /**
   * needs: `object` must exist in its desired form; afterDropOf: `object` must be gone; cause:
   * `change` exists because of `object`; heldBy: `change` drops `object`, which the changes in
   * `on` stop relying on first.
   */
  why: 'needs' | 'afterDropOf' | 'cause' | 'heldBy';
  object: ObjectId;
  /** The changes that provide it: the requirement is broken when all of them are left out. */
  on: ObjectId[];
}

/** A change left out because what it requires is left out. */
export interface ForcedExclusion {
  change: ObjectId;
  requirement: Requirement;
}

export function requirementsOf(changes: readonly Change[], existedBefore: (id: ObjectId) => boolean): Requirement[] {
  const creators = new Map<ObjectId, Set<ObjectId>>();
  const droppers = new Map<ObjectId, Set<ObjectId>>();
  const add = (map: Map<ObjectId, Set<ObjectId>>, id: ObjectId, change: ObjectId) => {
    const set = map.get(id);
    if (set) set.add(change);
    else map.set(id, new Set([change]));
  };
  for (const c of changes) {
    for (const s of c.statements) {
      for (const id of createsOf(s)) add(creators, id, c.id);
      for (const id of dropsOf(s)) add(droppers, id, c.id);
    }
  }
  const ids = new Set(changes.map((c) => c.id));
  const out: Requirement[] = [];
  for (const c of changes) {
    const seen = new Set<string>();
    const push = (why: Requirement['why'], object: ObjectId, providers: Iterable<ObjectId>) => {
      const on = [...providers].filter((p) => p !== c.id).sort();
      // A change that provides the object itself never loses it to another's exclusion.
      if (on.length === 0 || [...providers].includes(c.id)) return;
      const key = `${why} ${object}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ change: c.id, why, object, on });
    };
    if (c.cause && ids.has(c.cause) && c.cause !== c.id) push('cause', c.cause, [c.cause]);
    for (const s of c.statements) {
      for (const id of s.needs ?? []) {
        const made = creators.get(id);
        if (!made) continue;
        // An object that existed and is not dropped keeps its current form when its change is left
        // out, which is what a statement needing it finds today: nothing breaks.
        const recreated = [...made].some((m) => droppers.get(id)?.has(m));
        if (existedBefore(id) && !recreated) continue;
        push('needs', id, made);
      }
      for (const id of s.afterDropOf ?? []) {
        const dropped = droppers.get(id);
        if (dropped) push('afterDropOf', id, dropped);
      }
    }
  }
  // Each statement holding an object binds the changes that drop it: left out, it still relies on
  // the object. (One requirement per holder: any one of them left out is enough.)
  const seen = new Set<string>();
  for (const c of changes) {
    for (const s of c.statements) {
      for (const id of s.holds ?? []) {
        for (const d of droppers.get(id) ?? []) {
          const key = `${d} ${id} ${c.id}`;
          if (d === c.id || seen.has(key)) continue;
          seen.add(key);
          out.push({ change: d, why: 'heldBy', object: id, on: [c.id] });
        }
      }
    }
  }
  return out;
}

/**
 * What leaving out `excluded` forces out too, in the order found (each entry names the first
 * broken requirement). Ids in `excluded` are not repeated.
 */
export function forcedExclusions(requirements: readonly Requirement[], excluded: Iterable<ObjectId>): ForcedExclusion[] {
  const out = new Set<ObjectId>(excluded);
  const byProvider = new Map<ObjectId, Requirement[]>();
  for (const r of requirements) {
    for (const p of r.on) {
      const list = byProvider.get(p);
      if (list) list.push(r);
      else byProvider.set(p, [r]);
    }
  }
  const forced: ForcedExclusion[] = [];
  const queue = [...out];
  while (queue.length) {
    const id = queue.shift() as ObjectId;
    for (const r of byProvider.get(id) ?? []) {
      if (out.has(r.change) || !r.on.every((p) => out.has(p))) continue;
      out.add(r.change);
      forced.push({ change: r.change, requirement: r });
      queue.push(r.change);
    }
  }
  return forced;
}

/**
 * What must come back with `included` while `excluded` stays left out otherwise: every change it
 * requires (transitively) that is excluded. A requirement with several providers brings back the
 * first in id order.
 */
export function requiredBack(requirements: readonly Requirement[], included: ObjectId, excluded: ReadonlySet<ObjectId>): ObjectId[] {
  const byChange = new Map<ObjectId, Requirement[]>();
  for (const r of requirements) {
    const list = byChange.get(r.change);
    if (list) list.push(r);
    else byChange.set(r.change, [r]);
  }
  const back = new Set<ObjectId>();
  const queue = [included];
  while (queue.length) {
    const id = queue.shift() as ObjectId;
    for (const r of byChange.get(id) ?? []) {
      const kept = r.on.filter((p) => !excluded.has(p) || back.has(p) || p === included);
      const first = r.on[0];
      if (kept.length > 0 || first === undefined) continue;
      back.add(first);
      queue.push(first);
    }
  }
  return [...back];
}

/** The requirements of `change` broken by the excluded set: why it cannot be kept. */
export function brokenRequirements(requirements: readonly Requirement[], change: ObjectId, excluded: ReadonlySet<ObjectId>): Requirement[] {
  return requirements.filter((r) => r.change === change && r.on.every((p) => excluded.has(p)));
}

/** "needs table public."Role"", "runs after the drop of constraint public.t.t_pkey", "follows column public.t.c". */
export function describeRequirement(r: Requirement): string {
  // An object that comes with another change (a column with its CREATE TABLE, the index of a
  // primary key) is named by that change, as a person thinks of it.
  const provider = r.on.length === 1 ? r.on[0] : undefined;
  const object = r.why === 'needs' && provider ? provider : r.object;
  const what = `${kindLabel(kindOfId(object), 1)} ${displayName(object)}`;
  switch (r.why) {
    case 'heldBy': return `drops ${what}, which ${provider ? `${kindLabel(kindOfId(provider), 1)} ${displayName(provider)}` : 'a change left out'} still relies on`;
    case 'needs': return `needs ${what}`;
    case 'afterDropOf': return `runs after the drop of ${what}`;
    case 'cause': return `follows the change of ${what}`;
  }
}

/**
 * Matches what a person writes for a change against the plan's change ids: the id itself
 * (`table:"public"."Role"`), a qualified name (`public.Role`, `public.TimeEntry.fk_role`, matched
 * exactly, case included, as the names are in the catalog), or either with the kind in front
 * (`table:public.Role`). A routine matches by name, with or without its argument list.
 */
export function changesNamed(changes: readonly Change[], text: string): ObjectId[] {
  const exact = changes.filter((c) => c.id === text);
  if (exact.length) return exact.map((c) => c.id);
  const kinds = new Set(changes.map((c) => kindOfId(c.id)));
  const colon = text.indexOf(':');
  const kind = colon > 0 && kinds.has(text.slice(0, colon)) ? text.slice(0, colon) : undefined;
  const name = kind ? text.slice(colon + 1) : text;
  const plain = splitName(name);
  return changes
    .filter((c) => (kind === undefined || kindOfId(c.id) === kind))
    .filter((c) => {
      const shown = displayName(c.id);
      if (shown === name) return true;
      const parts = splitName(shown.replace(/\(.*\)$/, ''));
      return parts.length === plain.length && parts.every((p, i) => p === plain[i]);
    })
    .map((c) => c.id);
}

/** `public."Time.Entry".x` → public, Time.Entry, x: dots inside double quotes are part of a name. */
function splitName(text: string): string[] {
  const parts: string[] = [];
  let part = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      if (quoted && text[i + 1] === '"') {
        part += '"';
        i += 1;
      } else quoted = !quoted;
    } else if (ch === '.' && !quoted) {
      parts.push(part);
      part = '';
    } else part += ch;
  }
  parts.push(part);
  return parts;
}
