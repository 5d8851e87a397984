/**
 * The phases panel's messages, extension ⇄ webview. Both sides import this file, so a message is
 * one type entry the compiler checks at both ends. Plain data only: no editor API, no DOM.
 *
 * The extension owns the state: it maps the runner's events (src/core/run/types.ts) into one
 * PhasesPanelState and posts all of it; the webview renders what it gets, keeps the last one with
 * `setState` so a reload paints at once, and sends back what the user asked for.
 */
import type { PhaseOutcome, PhaseValidation, RunFailure, RunMode, RunOutcome } from '../core/run/types';

export const PHASES_VIEW_TYPE = 'pgdrift.phases';

/** Bumped when the state's shape changes; a restored state of another version is discarded. */
export const PHASES_STATE_VERSION = 1;

export interface PanelPhase {
  name: string;
  index: number;
  /** The file the phase is in (as the migration names it) and the line of its marker. */
  file: string;
  line: number;
  /** SQL statements and `-- pgdrift:expect` lines in the phase. */
  statements: number;
  expectations: number;
  /** The outcome of the last run or rehearsal that reached this phase ('pending' before any). */
  status: PhaseOutcome;
  /** Which kind of run gave it that status. */
  mode?: RunMode;
  /** Committed by a run from this panel (a rehearsal does not change it): "Run remaining" starts after the last such phase. */
  committed: boolean;
  /** Steps done in the last run of this phase (statements and expectations). */
  ran: number;
  durationMs?: number;
  /** The statement running now, one line. */
  current?: string;
  /** What the checks after the phase found; arrives after the phase ends. */
  validation?: PhaseValidation;
}

export interface PhasesPanelState {
  version: typeof PHASES_STATE_VERSION;
  /** The migration file or folder (a URI string) and how the panel names it (workspace-relative). */
  uri: string;
  label: string;
  /** The profile the panel runs on (the last run's, or the one it was opened with). */
  profile?: string;
  /** That profile's environment (production runs ask for the database name). */
  environment?: string;
  /** The desired state the checks compare with, as the run service takes it (a profile name, 'comparison', a path, 'none'). */
  to?: string;
  /** How the last run named that desired state ("local", "schema.sql"). */
  toLabel?: string;
  phases: PanelPhase[];
  running: boolean;
  /** The run in progress, or the last one, and the phases it covers (others keep their status). */
  mode?: RunMode;
  runPhases?: string[];
  outcome?: RunOutcome;
  failure?: PanelFailure;
  /** Rehearsal: statements left out because they cannot run in a transaction (one line each). */
  notRehearsed: string[];
  /** Server NOTICEs of the last run, newest last (the panel keeps the last few). */
  notices: { phase: string; severity: string; message: string }[];
  /** What the guards found worth saying before the run (one sentence each). */
  notes: string[];
  /** A message about the migration or the run that is not a statement's failure (a refusal, a file that cannot be read). */
  message?: { level: 'info' | 'warning' | 'error'; text: string };
  /** When the last run started and ended (ISO 8601). */
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
}

/** A RunFailure without the step it failed on (which carries the statement's whole text). */
export type PanelFailure = Omit<RunFailure, 'step'> & { statement?: string };

/** What the user can ask from the panel. */
export type PhasesRequest =
  /** Run these phases ('run'), or rehearse them; all phases when `phases` is absent. */
  | { type: 'run'; mode: RunMode; phases?: string[] }
  | { type: 'stop' }
  /** Open the file at this position (a phase's marker, the failing statement). */
  | { type: 'reveal'; file: string; line: number; column: number }
  /** Read the migration again from disk (phases added or removed). */
  | { type: 'reload' };

/** Webview → extension. */
export type WebviewMessage =
  /** The page is listening; the extension answers with the state. */
  | { type: 'ready' }
  | PhasesRequest
  /** The answer to `describe`: the text the panel shows now, as a reader sees it. */
  | { type: 'description'; id: number; text: string; saved?: unknown }
  /** The answer to `click`: whether the button was there and enabled. */
  | { type: 'clicked'; id: number; found: boolean; disabled: boolean }
  /** Something the page could not do (a resource the content security policy refused, a script error), for the log. */
  | { type: 'problem'; text: string };

/** Extension → webview. */
export type ExtensionMessage =
  | { type: 'state'; state: PhasesPanelState }
  /** Asks for the panel's visible text (the tests read it). */
  | { type: 'describe'; id: number }
  /** Clicks a button as the user would (the tests drive the panel with it): its action, and its phase for per-phase buttons. */
  | { type: 'click'; id: number; action: PanelAction; phase?: string };

/** The panel's buttons, by their `data-action`. */
export type PanelAction = 'rehearse' | 'run-remaining' | 'run-phase' | 'stop' | 'reload' | 'toggle' | 'toggle-tables' | 'reveal';

export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; mode?: unknown; phases?: unknown; file?: unknown; line?: unknown; column?: unknown };
  switch (m.type) {
    case 'ready':
    case 'stop':
    case 'reload':
      return true;
    case 'run':
      return (m.mode === 'run' || m.mode === 'rehearse') && (m.phases === undefined || (Array.isArray(m.phases) && m.phases.every((p) => typeof p === 'string')));
    case 'reveal':
      return typeof m.file === 'string' && typeof m.line === 'number' && typeof m.column === 'number';
    case 'description':
      return typeof (value as { id?: unknown }).id === 'number' && typeof (value as { text?: unknown }).text === 'string';
    case 'problem':
      return typeof (value as { text?: unknown }).text === 'string';
    case 'clicked':
      return typeof (value as { id?: unknown }).id === 'number';
    default:
      return false;
  }
}

/** A state restored from the webview or workspaceState, if it is one of this version. */
export function isPanelState(value: unknown): value is PhasesPanelState {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<PhasesPanelState>;
  return s.version === PHASES_STATE_VERSION && typeof s.uri === 'string' && Array.isArray(s.phases);
}

/** The phases "Run remaining" runs: those after the last one a run committed, in order. */
export function remainingPhases(state: PhasesPanelState): string[] {
  let last = -1;
  state.phases.forEach((p, i) => {
    if (p.committed) last = i;
  });
  return state.phases.slice(last + 1).map((p) => p.name);
}
