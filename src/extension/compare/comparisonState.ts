import * as vscode from 'vscode';
// Types only: the engine itself loads with the first comparison, not with the views.
import type { Comparison } from '../../core/compare';

const LAST_PAIR_KEY = 'pgdrift.lastComparison';

/** One side of a comparison as the user picked it. */
export interface ComparisonSide {
  /** What the engine reads: `profile:NAME` or a path. */
  spec: string;
  /** The profile's name, or the path relative to the workspace. */
  label: string;
  /** Set when the side is a profile. */
  profile?: string;
}

/** The result of the last successful comparison, with the sides it was made from. */
export interface CurrentComparison {
  from: ComparisonSide;
  to: ComparisonSide;
  comparison: Comparison;
  /** The changes as `pgdrift diff` prints them. */
  tree: string;
  /** The plan script as `pgdrift plan` prints it for this comparison. */
  script: string;
  at: Date;
}

/**
 * The comparison every editor feature works from: the Schema Differences view, Generate Migration,
 * side-by-side DDL and the code actions all read it and follow its changes. Cleared when a new
 * comparison fails, so a stale result never passes for the current one.
 */
export class ComparisonState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CurrentComparison | undefined>();
  readonly onDidChange = this.changed.event;
  private value: CurrentComparison | undefined;
  private readonly views = new Set<() => Promise<void>>();

  /** `memento` (the workspace's state) remembers the last pair compared, for "Compare again". */
  constructor(private readonly memento?: vscode.Memento) {}

  /** The sides of the last successful comparison in this workspace, even after a restart. */
  get lastPair(): { from: ComparisonSide; to: ComparisonSide } | undefined {
    if (this.value) return { from: this.value.from, to: this.value.to };
    return this.memento?.get<{ from: ComparisonSide; to: ComparisonSide }>(LAST_PAIR_KEY);
  }

  get current(): CurrentComparison | undefined {
    return this.value;
  }

  set(value: CurrentComparison | undefined): void {
    this.value = value;
    if (value) void this.memento?.update(LAST_PAIR_KEY, { from: value.from, to: value.to });
    this.changed.fire(value);
  }

  /**
   * A view showing the comparison says how to wait until it has shown the current one; what opens
   * next (the plan's editor) waits for it, or VS Code's window would render that first.
   */
  registerView(shown: () => Promise<void>): vscode.Disposable {
    this.views.add(shown);
    return new vscode.Disposable(() => this.views.delete(shown));
  }

  /** Resolves once every view has shown the current comparison (each view bounds its own wait). */
  async shownInViews(): Promise<void> {
    await Promise.all([...this.views].map((shown) => shown()));
  }

  dispose(): void {
    this.changed.dispose();
  }
}
