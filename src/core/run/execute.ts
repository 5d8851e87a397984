/**
 * The one executor: the CLI, the command and the phases panel all run migrations through it.
 *
 * A run gives each phase its own transaction, so a failing statement leaves the database as the
 * previous phase left it. A statement PostgreSQL refuses in a transaction block runs on its own
 * between two transactional stretches of its phase, and commits at once: the stretch before it
 * is committed first (otherwise the statement could not run at all). A rehearsal opens one
 * transaction for every phase and rolls it back at the end; what cannot run in a transaction is
 * reported as not rehearsed. lock_timeout and statement_timeout are set for the session, so they
 * hold in the transactions and outside them alike.
 */
import { PgdriftError, isPgdriftError, messageOf } from '../errors';
import { checkExpectation } from '../plan/expect';
import type { CopySource } from '../plan/types';
import { CopySources } from './copySource';
import type { ExecuteOptions, Migration, Phase, PhaseOutcome, PhaseResult, RunExpectation, RunFailure, RunResult, RunSession, RunStatement, RunStep } from './types';

/** Thrown inside the phase loop to stop the run; carries where and why. */
class Stop extends Error {
  constructor(readonly failure: RunFailure) {
    super(failure.message);
  }
}

const PREAMBLE_PHASE = 'session settings';
const COPY_PROGRESS_ROWS = 100_000;

export async function executeMigration(migration: Migration, session: RunSession, options: ExecuteOptions): Promise<RunResult> {
  const selected = selectPhases(migration, options.phases);
  const runStarted = performance.now();
  const emit = options.onEvent;
  const results: PhaseResult[] = migration.phases.map((p) => ({ name: p.name, index: p.index, outcome: selected.includes(p) ? 'pending' : 'skipped', steps: p.steps.length, ran: 0, durationMs: 0 }));
  const notRehearsed: RunStatement[] = [];
  emit({ type: 'run-start', mode: options.mode, phases: migration.phases.map((p) => ({ name: p.name, steps: p.steps.length, selected: selected.includes(p) })) });

  // Which phase and step a NOTICE belongs to: the one running when the server sent it.
  let current: { phase: string; step?: RunStep } = { phase: PREAMBLE_PHASE };
  const unsubscribe = session.onNotice((notice) => emit({ type: 'notice', phase: current.phase, ...(current.step ? { step: current.step } : {}), notice }));

  let cancelled = options.signal?.aborted === true;
  let busy = false;
  const onAbort = () => {
    cancelled = true;
    if (busy) session.cancel().catch(() => undefined);
  };
  options.signal?.addEventListener('abort', onAbort);

  let inTransaction = false;
  const copySources = new CopySources();
  const exec = async (sql: string) => {
    busy = true;
    try {
      if (cancelled) throw cancelledError();
      return await session.query(sql);
    } finally {
      busy = false;
    }
  };
  const begin = async () => {
    await session.query('BEGIN');
    inTransaction = true;
  };
  const rollback = async () => {
    if (!inTransaction) return;
    inTransaction = false;
    await session.query('ROLLBACK').catch(() => undefined);
  };

  /** Runs one step; a failure becomes a Stop with the step's location. */
  const runStep = async (phase: Phase, step: RunStep) => {
    current = { phase: phase.name, step };
    emit({ type: 'step-start', phase: phase.name, step });
    if (step.kind === 'expect') return runExpectation(phase, step);
    const started = performance.now();
    try {
      const result = step.copy ? await copy(phase, step, step.copy) : await exec(step.sql);
      emit({ type: 'statement-end', phase: phase.name, statement: step, command: result.command ?? verbOf(step.sql), rowCount: result.rowCount, durationMs: performance.now() - started });
    } catch (error) {
      throw new Stop(failureOf(phase, step, error, cancelled));
    }
  };

  /** COPY … FROM STDIN fed from its SQLite table, with progress as the chunks go. */
  const copy = async (phase: Phase, step: RunStatement, source: CopySource) => {
    busy = true;
    try {
      if (cancelled) throw cancelledError();
      // A line per 100,000 rows: enough to see a long copy move, few enough to read.
      let reported = 0;
      const progress = (rows: number) => {
        if (rows - reported < COPY_PROGRESS_ROWS) return;
        reported = rows - (rows % COPY_PROGRESS_ROWS);
        emit({ type: 'copy-progress', phase: phase.name, statement: step, rows });
      };
      const chunks = copySources.chunks(source, step.sql, progress, () => cancelled);
      return { command: 'COPY', rowCount: await session.copyFrom(step.sql, chunks) };
    } finally {
      busy = false;
    }
  };

  const runExpectation = async (phase: Phase, step: RunExpectation) => {
    let outcome: { ok: boolean; actual: number };
    try {
      busy = true;
      if (cancelled) throw cancelledError();
      outcome = await checkExpectation(session, step.expectation);
    } catch (error) {
      throw new Stop(failureOf(phase, step, error, cancelled));
    } finally {
      busy = false;
    }
    emit({ type: 'expect-end', phase: phase.name, expectation: step, ok: outcome.ok, actual: outcome.actual });
    if (!outcome.ok) {
      const { op, value } = step.expectation;
      throw new Stop({ phase: phase.name, file: step.file, line: step.line, column: step.column, kind: 'expect', step, message: `expectation failed: ${op} ${value} expected, the query gave ${outcome.actual}` });
    }
  };

  let failure: RunFailure | undefined;
  try {
    await session.query(`SET lock_timeout = ${Math.max(0, Math.trunc(options.lockTimeoutMs))}`);
    await session.query(`SET statement_timeout = ${Math.max(0, Math.trunc(options.statementTimeoutMs))}`);
    for (const statement of migration.preamble) {
      await runStep({ name: PREAMBLE_PHASE, index: -1, file: statement.file, line: statement.line, steps: [] }, statement);
    }
    if (options.mode === 'rehearse') await begin();
    // The re-diff belongs after the migration's last phase, whichever phases this run was asked for.
    const last = migration.phases[migration.phases.length - 1];
    for (const phase of selected) {
      const result = results[phase.index] as PhaseResult;
      const started = performance.now();
      result.outcome = 'running';
      current = { phase: phase.name };
      emit({ type: 'phase-start', phase: phase.name, index: phase.index, transactional: phase.steps.every((s) => s.kind === 'expect' || s.transactional) });
      try {
        for (const step of phase.steps) {
          if (step.kind === 'statement' && !step.transactional) {
            if (options.mode === 'rehearse') {
              notRehearsed.push(step);
              emit({ type: 'statement-skipped', phase: phase.name, statement: step, reason: 'not rehearsed: it cannot run inside a transaction' });
              continue;
            }
            // The stretch before it commits first: PostgreSQL will not run it inside a block.
            if (inTransaction) await commit(phase);
          } else if (!inTransaction) {
            await begin();
          }
          await runStep(phase, step);
          result.ran += 1;
        }
        if (options.mode === 'run' && inTransaction) await commit(phase);
      } catch (error) {
        result.durationMs = performance.now() - started;
        throw error;
      }
      result.durationMs = performance.now() - started;
      result.outcome = options.mode === 'run' ? 'committed' : 'rehearsed';
      emit({ type: 'phase-end', phase: phase.name, index: phase.index, outcome: result.outcome, durationMs: result.durationMs });
      if (options.afterPhase) {
        current = { phase: phase.name };
        await options.afterPhase(phase, session, phase === last).catch((error: unknown) => {
          emit({ type: 'notice', phase: phase.name, notice: { severity: 'PGDRIFT', message: `validation after phase ${phase.name} failed: ${messageOf(error)}` } });
        });
      }
    }
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    failure = error.failure;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    // A rehearsal always ends here, rolled back; a failed run rolls back its open phase.
    await rollback();
    unsubscribe();
    copySources.close();
  }

  if (failure) {
    const stopped = results.find((r) => r.outcome === 'running');
    if (stopped) {
      const outcome: PhaseOutcome = failure.kind === 'cancelled' ? 'cancelled' : 'rolled back';
      stopped.outcome = outcome;
      emit({ type: 'phase-end', phase: stopped.name, index: stopped.index, outcome, durationMs: stopped.durationMs });
    }
    for (const r of results) if (r.outcome === 'pending') r.outcome = 'skipped';
  }
  const result: RunResult = {
    mode: options.mode,
    outcome: failure ? (failure.kind === 'cancelled' ? 'cancelled' : 'failed') : 'succeeded',
    phases: results,
    ...(failure ? { failure } : {}),
    notRehearsed,
    durationMs: performance.now() - runStarted,
  };
  emit({ type: 'run-end', result });
  return result;

  /** COMMIT can fail on its own: deferred constraints and deferred triggers are checked there. */
  async function commit(phase: Phase): Promise<void> {
    try {
      inTransaction = false;
      await session.query('COMMIT');
    } catch (error) {
      const e = error as PgErrorFields;
      throw new Stop({ phase: phase.name, file: phase.file, line: phase.line, column: 1, kind: 'commit', message: `COMMIT of phase ${phase.name} failed: ${messageOf(error)}`, ...pgFields(e) });
    }
  }
}

/** The phases a run asks for, in migration order; a name the migration does not have is a usage error. */
export function selectPhases(migration: Migration, names: readonly string[] | undefined): Phase[] {
  if (!names || names.length === 0) return migration.phases;
  const unknown = names.filter((n) => !migration.phases.some((p) => p.name === n));
  if (unknown.length) {
    throw new PgdriftError('usage', `${migration.path} has no phase ${unknown.map((n) => `"${n}"`).join(', ')} (its phases: ${migration.phases.map((p) => p.name).join(', ') || 'none'})`);
  }
  return migration.phases.filter((p) => names.includes(p.name));
}

interface PgErrorFields {
  code?: string;
  position?: string;
  detail?: string;
  hint?: string;
}

function pgFields(e: PgErrorFields): Pick<RunFailure, 'sqlstate' | 'detail' | 'hint'> {
  return {
    ...(typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? { sqlstate: e.code } : {}),
    ...(e.detail ? { detail: e.detail } : {}),
    ...(e.hint ? { hint: e.hint } : {}),
  };
}

/** Where the server says the error is (its 1-based character position in the statement), else the statement's start. */
function failureOf(phase: Phase, step: RunStep, error: unknown, cancelled: boolean): RunFailure {
  const e = (error ?? {}) as PgErrorFields;
  // The server's 57014, or a COPY whose row source saw the cancel before the server did.
  const wasCancelled = cancelled && (e.code === '57014' || error instanceof CancelledBeforeStart || (isPgdriftError(error) && error.code === 'cancelled'));
  const at = step.kind === 'statement' && e.position ? positionIn(step, Number(e.position)) : { line: step.line, column: step.column };
  return {
    phase: phase.name,
    file: step.file,
    ...at,
    kind: wasCancelled ? 'cancelled' : 'statement',
    step,
    message: wasCancelled ? (error instanceof CancelledBeforeStart ? 'cancelled before this statement ran' : `cancelled: ${messageOf(error)}`) : messageOf(error),
    ...pgFields(e),
  };
}

function positionIn(statement: RunStatement, position: number): { line: number; column: number } {
  if (!Number.isInteger(position) || position < 1) return { line: statement.line, column: statement.column };
  const before = [...statement.sql].slice(0, position - 1).join('');
  const lines = before.split(/\r\n|\r|\n/);
  if (lines.length === 1) return { line: statement.line, column: statement.column + [...before].length };
  return { line: statement.line + lines.length - 1, column: [...(lines[lines.length - 1] ?? '')].length + 1 };
}

class CancelledBeforeStart extends Error {}

function cancelledError(): Error {
  return new CancelledBeforeStart('cancelled');
}

function verbOf(sql: string): string {
  return sql.trim().split(/\s+/).slice(0, 2).join(' ').toUpperCase();
}
