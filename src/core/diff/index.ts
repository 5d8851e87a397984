/**
 * Two schema models in, the list of changes out: each kind's objects are matched by id (listDiff),
 * each pair decided by its kind (alter in place or recreate), then the dependency cascade adds
 * the objects that must be recreated because something they depend on is (cascade.ts).
 */
import type { ObjectId, SchemaModel } from '../model/types';
import type { Change } from '../plan/types';
import { cascadeRecreates, type Registry } from './cascade';
import { diffColumns } from './columns';
import { constraints } from './constraints';
import { indexModel, removedRelationsAndColumns, type DiffContext } from './context';
import { constraintIndexes, indexes } from './indexes';
import type { KindDiffer } from './kind';
import { diffById, sameUnder } from './listDiff';
import { diffOptions, type DiffOptions } from './options';
import { lostGrants } from './ownership';
import { withRenamesAndTwins } from './passes';
import { policies } from './policies';
import { routines } from './routines';
import { extensions, schemas } from './schemas';
import { sequences } from './sequences';
import { tables } from './tables';
import { triggers } from './triggers';
import { composites, domains, enums } from './types';
import { views } from './views';

// Loosely typed on purpose: each entry is a KindDiffer of its own object type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const DIFFERS: KindDiffer<any>[] = [schemas, extensions, enums, domains, composites, sequences, tables, constraints, indexes, constraintIndexes, views, routines, triggers, policies];

export function diffModels(from: SchemaModel, to: SchemaModel, partial: Partial<DiffOptions> = {}): Change[] {
  return withRenamesAndTwins(from, to, diffOptions(partial), diffPlain);
}

function diffPlain(from: SchemaModel, to: SchemaModel, options: DiffOptions): Change[] {
  const ctx: DiffContext = { from: indexModel(from), to: indexModel(to), options, removed: removedRelationsAndColumns(from, to) };
  const same = sameUnder(options);
  const changes: Change[] = [];
  const registry: Registry = new Map();
  for (const differ of DIFFERS) {
    const before = differ.list(from) as { id: ObjectId }[];
    const after = differ.list(to) as { id: ObjectId }[];
    for (const item of before) registry.set(item.id, { differ, from: item });
    for (const item of after) registry.set(item.id, { ...registry.get(item.id), differ, to: item });
    const diff = diffById(before, after, same);
    for (const item of diff.added) {
      const statements = differ.create(item, ctx);
      if (statements.length) changes.push(change(differ, item, 'create', statements));
    }
    for (const item of diff.removed) {
      if (differ.droppedWithParent?.(item, ctx)) continue;
      const statements = differ.drop(item, ctx);
      if (statements.length) changes.push(change(differ, item, 'drop', statements));
    }
    for (const { from: a, to: b } of diff.changed) {
      const alteration = differ.alter(a, b, ctx);
      if (alteration === 'recreate') {
        changes.push(change(differ, b, 'recreate', [...differ.drop(a, ctx), ...differ.create(b, ctx)]));
      } else if (alteration.statements.length) {
        changes.push({ ...change(differ, b, 'alter', alteration.statements), details: alteration.details });
      }
      if (differ === tables && alteration !== 'recreate') changes.push(...diffColumns(a as never, b as never, ctx));
    }
  }
  cascadeRecreates(changes, registry, ctx);
  lostGrants(changes, ctx);
  return changes;
}

function change(differ: KindDiffer<{ id: ObjectId }>, item: { id: ObjectId }, action: Change['action'], statements: Change['statements']): Change {
  const parent = differ.parent?.(item);
  return { id: item.id, kind: differ.kind(item), action, ...(parent ? { parent } : {}), details: [], statements };
}
