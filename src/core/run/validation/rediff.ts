/**
 * After the last phase: the target compared with the to-source as `pgdrift diff` would compare
 * them (the same alignment of server versions, the same planner), and what would still have to
 * change, one line per change. A migration that did its job leaves "0 differences remain".
 */
import { comparableModels } from '../../diff/comparable';
import type { DiffOptions } from '../../diff/options';
import type { Inspection } from '../../model/types';
import { planMigration } from '../../plan';
import type { Change } from '../../plan/types';
import { kindLabel } from '../../render/changeKinds';
import { displayName } from '../../render/objectName';
import type { PhaseValidation } from '../types';

export interface RediffOptions {
  /** As compared when the plan was made (owners, privileges, comments); the defaults otherwise. */
  diff?: Partial<DiffOptions>;
  /** SQL files as the to-source: extensions created without a VERSION. */
  toUnpinnedExtensions?: readonly string[];
}

export async function rediff(target: Inspection, to: Inspection, options: RediffOptions = {}): Promise<NonNullable<PhaseValidation['rediff']>> {
  const models = await comparableModels(
    { model: target.model, serverVersionNum: target.source.serverVersionNum },
    { model: to.model, serverVersionNum: to.source.serverVersionNum, unpinnedExtensions: options.toUnpinnedExtensions },
  );
  // Renames were the plan's business; what remains is compared by name.
  const diff = { ...options.diff };
  delete diff.mapping;
  const plan = planMigration(models.from, models.to, { ...diff, serverVersionNum: target.source.serverVersionNum });
  return { remaining: plan.changes.length, lines: plan.changes.map(changeLine) };
}

/** "alter table public."TimeEntry": column added: note", "drop function public.touch()". */
export function changeLine(change: Change): string {
  const details = change.details.length ? `: ${change.details.join('; ')}` : '';
  return `${change.action} ${kindLabel(change.kind, 1)} ${displayName(change.id)}${details}`;
}
