/**
 * The phases panel's state as a function of the migration and the runner's events. Pure (no
 * editor API), so the same events the output channel prints give the same panel every time.
 */
import { basename } from 'node:path';
import type { Migration, RunEvent, RunStatement, RunStep } from '../../core/run/types';
import { PHASES_STATE_VERSION, type PanelPhase, type PhasesPanelState } from '../../protocol/phases';

/** NOTICEs kept for the panel: enough to see what the last phase said, few enough to post often. */
const NOTICES_KEPT = 50;

/**
 * The panel's state for a freshly loaded migration. Phases that keep their name keep what the
 * previous state knew of them (status, timings, validation), so reading the file again after a run
 * does not forget it.
 */
export function stateOf(uri: string, label: string, migration: Migration, previous?: PhasesPanelState): PhasesPanelState {
  const before = new Map((previous?.uri === uri ? previous.phases : []).map((p) => [p.name, p]));
  const phases = migration.phases.map((phase): PanelPhase => {
    const statements = phase.steps.filter((s) => s.kind === 'statement').length;
    const fresh: PanelPhase = {
      name: phase.name, index: phase.index, file: phase.file, line: phase.line,
      statements, expectations: phase.steps.length - statements, status: 'pending', ran: 0, committed: false,
    };
    const old = before.get(phase.name);
    return old ? { ...fresh, status: old.status, ran: old.ran, committed: old.committed, ...pick(old) } : fresh;
  });
  const kept = previous?.uri === uri ? previous : undefined;
  return {
    version: PHASES_STATE_VERSION,
    uri,
    label,
    phases,
    running: false,
    notRehearsed: kept?.notRehearsed ?? [],
    notices: kept?.notices ?? [],
    notes: kept?.notes ?? [],
    ...(kept?.profile !== undefined ? { profile: kept.profile } : {}),
    ...(kept?.environment !== undefined ? { environment: kept.environment } : {}),
    ...(kept?.to !== undefined ? { to: kept.to } : {}),
    ...(kept?.toLabel !== undefined ? { toLabel: kept.toLabel } : {}),
    ...(kept?.mode !== undefined ? { mode: kept.mode } : {}),
    ...(kept?.runPhases !== undefined ? { runPhases: kept.runPhases } : {}),
    ...(kept?.outcome !== undefined ? { outcome: kept.outcome } : {}),
    ...(kept?.failure !== undefined ? { failure: kept.failure } : {}),
    ...(kept?.startedAt !== undefined ? { startedAt: kept.startedAt } : {}),
    ...(kept?.endedAt !== undefined ? { endedAt: kept.endedAt } : {}),
    ...(kept?.durationMs !== undefined ? { durationMs: kept.durationMs } : {}),
  };
}

function pick(p: PanelPhase): Partial<PanelPhase> {
  return {
    ...(p.mode !== undefined ? { mode: p.mode } : {}),
    ...(p.durationMs !== undefined ? { durationMs: p.durationMs } : {}),
    ...(p.validation !== undefined ? { validation: p.validation } : {}),
  };
}

/** A state for a migration that could not be read: its name and why. */
export function unreadableState(uri: string, label: string, message: string, previous?: PhasesPanelState): PhasesPanelState {
  const kept = previous?.uri === uri ? previous : undefined;
  return {
    version: PHASES_STATE_VERSION, uri, label, phases: kept?.phases ?? [], running: false,
    notRehearsed: [], notices: [], notes: [], message: { level: 'error', text: message },
    ...(kept?.profile !== undefined ? { profile: kept.profile } : {}),
    ...(kept?.to !== undefined ? { to: kept.to } : {}),
  };
}

const stepLine = (step: RunStep): string => (step.kind !== 'statement' ? step.text : step.copy ? copyLine(step, step.copy) : step.summary);

/**
 * A COPY fed from a SQLite file, as the reader knows it: `COPY public.readings from app.db`. Its
 * summary (`COPY "public"."readings" ("id", "machine_id", …) FROM STDIN`) would be cut before the
 * rows read, and STDIN says nothing of where the rows come from.
 */
function copyLine(step: RunStatement, copy: NonNullable<RunStatement['copy']>): string {
  const ident = '(?:"(?:[^"]|"")*"|[^\\s."(]+)';
  const table = new RegExp(`^COPY\\s+(${ident}(?:\\.${ident})?)`, 'i').exec(step.sql)?.[1];
  // Quotes the name does not need are left out, as psql prints names.
  const shown = table ? table.replace(/"([a-z_][a-z0-9_$]*)"/g, '$1') : copy.table;
  return `COPY ${shown} from ${basename(copy.path)}`;
}

function updatePhase(state: PhasesPanelState, name: string, change: (p: PanelPhase) => PanelPhase): PhasesPanelState {
  return { ...state, phases: state.phases.map((p) => (p.name === name ? change(p) : p)) };
}

/** `value` without the optional fields named (the state has no `undefined` fields: exactOptionalPropertyTypes). */
export function omit<T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> {
  const copy: Partial<T> = { ...value };
  for (const key of keys) delete copy[key];
  return copy as Omit<T, K>;
}

const withoutCurrent = (p: PanelPhase): PanelPhase => omit(p, 'current');

/** The state after one event of the runner. */
export function applyEvent(state: PhasesPanelState, event: RunEvent, now: () => Date = () => new Date()): PhasesPanelState {
  switch (event.type) {
    case 'run-start': {
      const selected = new Set(event.phases.filter((p) => p.selected).map((p) => p.name));
      return {
        ...omit(state, 'failure', 'outcome', 'endedAt', 'durationMs', 'message'),
        running: true,
        mode: event.mode,
        runPhases: [...selected],
        startedAt: now().toISOString(),
        notRehearsed: [],
        notices: [],
        notes: [],
        phases: state.phases.map((p) => {
          if (!selected.has(p.name)) return p;
          return { ...omit(p, 'validation', 'durationMs', 'current'), status: 'pending', ran: 0, mode: event.mode };
        }),
      };
    }
    case 'phase-start':
      return updatePhase(state, event.phase, (p) => ({ ...p, status: 'running', ran: 0 }));
    case 'step-start':
      return updatePhase(state, event.phase, (p) => ({ ...p, current: stepLine(event.step) }));
    case 'copy-progress':
      return updatePhase(state, event.phase, (p) => ({ ...p, current: `${stepLine(event.statement)}: ${event.rows.toLocaleString('en-US')} rows read` }));
    case 'statement-end':
    case 'expect-end':
    case 'statement-skipped':
      return updatePhase(state, event.phase, (p) => ({ ...p, ran: p.ran + 1 }));
    case 'notice':
      return { ...state, notices: [...state.notices, { phase: event.phase, severity: event.notice.severity, message: event.notice.message }].slice(-NOTICES_KEPT) };
    case 'phase-end':
      return updatePhase(state, event.phase, (p) => ({
        ...withoutCurrent(p),
        status: event.outcome,
        durationMs: event.durationMs,
        // A phase committed once stays applied when a later attempt at it rolls back.
        committed: p.committed || event.outcome === 'committed',
      }));
    case 'note':
      return { ...state, notes: [...state.notes, event.message] };
    case 'validation':
      return updatePhase(state, event.phase, (p) => ({ ...p, validation: event.report }));
    case 'run-end': {
      const { result } = event;
      // Phases outside the run are reported 'skipped': they keep what the panel knew of them.
      const covered = new Set(state.runPhases ?? result.phases.map((r) => r.name));
      const byName = new Map(result.phases.filter((r) => covered.has(r.name)).map((r) => [r.name, r]));
      const phases = state.phases.map((p) => {
        const r = byName.get(p.name);
        if (!r) return withoutCurrent(p);
        return { ...withoutCurrent(p), status: r.outcome, ran: r.ran, durationMs: r.durationMs, committed: p.committed || r.outcome === 'committed' };
      });
      const next: PhasesPanelState = {
        ...state,
        phases,
        running: false,
        mode: result.mode,
        outcome: result.outcome,
        endedAt: now().toISOString(),
        durationMs: result.durationMs,
        notRehearsed: result.notRehearsed.map((s) => `${s.file}:${s.line} ${s.summary}`),
      };
      if (result.failure) {
        const { step, ...failure } = result.failure;
        next.failure = step?.kind === 'statement' ? { ...failure, statement: step.summary } : step ? { ...failure, statement: step.text } : failure;
      }
      return next;
    }
    default:
      return state;
  }
}

/** The state once a run ended without a run-end event (refused, or the profile could not be reached). */
export function endedWith(state: PhasesPanelState, level: 'info' | 'warning' | 'error', text: string, now: () => Date = () => new Date()): PhasesPanelState {
  return {
    ...state,
    running: false,
    message: { level, text },
    endedAt: now().toISOString(),
    phases: state.phases.map((p) => (p.status === 'running' ? { ...withoutCurrent(p), status: 'cancelled' } : withoutCurrent(p))),
  };
}
