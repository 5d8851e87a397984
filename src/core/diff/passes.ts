/**
 * The passes around the plain comparison: declared renames before it (renames.ts), twin columns
 * and rename proposals after it (twins.ts, proposals.ts).
 */
import type { SchemaModel } from '../model/types';
import type { Change } from '../plan/types';
import { indexModel, removedRelationsAndColumns, type DiffContext } from './context';
import type { DiffOptions } from './options';
import { proposeRenames } from './proposals';
import { afterRenames, applyMapping } from './renames';
import { applyTwins, findTwins } from './twins';

export type PlainDiff = (from: SchemaModel, to: SchemaModel, options: DiffOptions) => Change[];

export function withRenamesAndTwins(from: SchemaModel, to: SchemaModel, options: DiffOptions, diff: PlainDiff): Change[] {
  const mapped = applyMapping(from, to, options.mapping);
  const plain = diff(mapped.model, to, options);
  const ctx: DiffContext = { from: indexModel(mapped.model), to: indexModel(to), options, removed: removedRelationsAndColumns(mapped.model, to) };
  const declared = new Set(mapped.copies.map((p) => `${p.table.id}\u0000${p.old.name}`));
  const twins = findTwins(mapped.model, to).filter((p) => !declared.has(`${p.table.id}\u0000${p.old.name}`));
  const changes = proposeRenames(applyTwins(plain, [...mapped.copies, ...twins], ctx), mapped.model, to);
  return [...mapped.changes, ...afterRenames(changes, mapped.changes)];
}
