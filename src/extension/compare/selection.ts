import * as vscode from 'vscode';
// Light core modules only: the requirements are computed by the engine with the comparison.
import type { ObjectId } from '../../core/model/types';
import { forcedExclusions, requiredBack, type ForcedExclusion, type Requirement } from '../../core/plan/select';
import type { ComparisonState, CurrentComparison } from './comparisonState';

/**
 * Which changes of the current comparison the migration leaves out (the unchecked boxes of the
 * Schema Differences view). It belongs to one comparison: a new comparison (or a failed one)
 * starts again with every change included. Always consistent: a change whose requirement is left
 * out is left out too (see core plan/select.ts).
 */
export class ChangeSelection implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private excluded = new Set<ObjectId>();
  private current: CurrentComparison | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(state: ComparisonState) {
    this.current = state.current;
    this.subscription = state.onDidChange((current) => {
      this.current = current;
      this.excluded = new Set();
      this.changed.fire();
    });
  }

  /** The left-out change ids, sorted. */
  get excludedIds(): ObjectId[] {
    return [...this.excluded].sort();
  }

  isExcluded(id: ObjectId): boolean {
    return this.excluded.has(id);
  }

  /** How many changes the comparison has, and how many of them are kept. */
  counts(): { selected: number; total: number } {
    const total = this.current?.comparison.plan.changes.length ?? 0;
    return { selected: total - this.excluded.size, total };
  }

  /** What leaving out `ids` would leave out besides them (and besides what is already out). */
  wouldForce(ids: readonly ObjectId[]): ForcedExclusion[] {
    const named = new Set([...this.excluded, ...ids]);
    return forcedExclusions(this.requirements(), named).filter((f) => !named.has(f.change));
  }

  /** What including `ids` again brings back with them: the excluded changes they require. */
  wouldBringBack(ids: readonly ObjectId[]): ObjectId[] {
    const back = new Set<ObjectId>();
    const out = new Set([...this.excluded].filter((id) => !ids.includes(id)));
    for (const id of ids) for (const b of requiredBack(this.requirements(), id, this.excluded)) if (!ids.includes(b)) back.add(b);
    return [...back].filter((id) => out.has(id)).sort();
  }

  /** Leaves out `ids` and everything they force out. */
  exclude(ids: readonly ObjectId[]): void {
    const forced = this.wouldForce(ids);
    for (const id of [...ids, ...forced.map((f) => f.change)]) this.excluded.add(id);
    this.changed.fire();
  }

  /** Includes `ids` again, with what they require. */
  include(ids: readonly ObjectId[]): void {
    const back = this.wouldBringBack(ids);
    for (const id of [...ids, ...back]) this.excluded.delete(id);
    this.changed.fire();
  }

  /** Redraws without a change (a warning cancelled: the box goes back to what it was). */
  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
    this.subscription.dispose();
  }

  private requirements(): readonly Requirement[] {
    return this.current?.comparison.requirements ?? [];
  }
}
