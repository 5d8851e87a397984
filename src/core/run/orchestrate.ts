/**
 * One run or rehearsal, end to end, the same for the CLI and the extension: the guards on the
 * read-only connection (read-only profile, fingerprint, hazards), the production confirmation,
 * then the session that writes, the executor with the validation after each phase, and the
 * journal line. A refusal throws RunRefused before anything is written and is not journaled.
 */
import { messageOf } from '../errors';
import { introspect, type IntrospectTarget } from '../introspect';
import { copyGuard } from './copyGuard';
import { executeMigration, selectPhases } from './execute';
import { fingerprintGuard, hazardGuard, hazardLine, refuseReadOnly, refuseUnaccepted, runSummary } from './guards';
import { appendJournal, readJournal } from './journal';
import {
  DEFAULT_EXACT_COUNT_LIMIT, DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS, RunRefused,
  type JournalEntry, type PhaseValidation, type RunEvent, type RunRequest, type RunResult,
} from './types';
import { createValidator } from './validation';

export async function runMigration(request: RunRequest): Promise<RunResult> {
  const { migration, mode, target, inspect } = request;
  const now = request.now ?? (() => new Date());
  const emit = (event: RunEvent) => request.onEvent(event);

  refuseReadOnly(target);
  const inspectTarget: IntrospectTarget = {
    db: inspect.db, where: target.where, database: target.database, server: { versionNum: inspect.serverVersionNum, version: inspect.serverVersion },
  };
  const before = await introspect(inspectTarget);
  const journal = request.journalDir ? await readJournal(request.journalDir) : { entries: [], skipped: 0 };
  if (journal.skipped > 0) emit({ type: 'note', message: `the journal has ${journal.skipped} line${journal.skipped === 1 ? '' : 's'} that ${journal.skipped === 1 ? 'is' : 'are'} not an entry (skipped)` });
  // An unknown phase name is the user's mistake: said before any guard reads the target further.
  selectPhases(migration, request.phases);

  const verdict = fingerprintGuard(migration, before.fingerprint, target, journal.entries, request.phases);
  for (const message of [...migration.notes, ...verdict.notes]) emit({ type: 'note', message });
  const hazards = await hazardGuard(migration, verdict.phases, before, inspect.db, request.accepts ?? []);
  for (const message of hazards.notes) emit({ type: 'note', message });
  refuseUnaccepted(hazards, mode);
  await copyGuard(selectPhases(migration, verdict.phases));
  for (const h of hazards.blocking) emit({ type: 'note', message: `not accepted (a run would refuse): ${hazardLine(h)}` });

  let confirmation: unknown;
  if (target.environment === 'production') {
    confirmation = request.confirm ? await request.confirm(runSummary(migration, mode, verdict.phases, target, hazards.accepted)) : undefined;
    if (confirmation === undefined) {
      throw new RunRefused('not-confirmed', `${target.name} is a production profile: nothing runs without the confirmation (type the database name "${target.database}")`);
    }
  }

  const started = now();
  const session = await request.openSession(confirmation);
  const reports: PhaseValidation[] = [];
  let result: RunResult;
  try {
    const validator = createValidator({
      ...(request.to ? { to: request.to } : {}),
      exactCountLimit: request.exactCountLimit ?? DEFAULT_EXACT_COUNT_LIMIT,
      where: target.where,
      database: target.database,
      serverVersionNum: inspect.serverVersionNum,
      serverVersion: inspect.serverVersion,
    });
    // Counts before: committed data, which the read-only connection sees as well as the session;
    // a rehearsal counts on its own session before its transaction begins.
    await validator.start(mode === 'run' ? inspect.db : session);
    const expectations = new Map<string, PhaseValidation['expectations']>();
    result = await executeMigration(migration, session, {
      mode,
      ...(verdict.phases ? { phases: verdict.phases } : {}),
      lockTimeoutMs: request.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
      statementTimeoutMs: request.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
      ...(request.signal ? { signal: request.signal } : {}),
      onEvent: (event) => {
        if (event.type === 'expect-end') {
          const e = event.expectation;
          expectations.set(event.phase, [...(expectations.get(event.phase) ?? []), { text: e.text, ok: event.ok, actual: event.actual, file: e.file, line: e.line }]);
        }
        emit(event);
      },
      afterPhase: async (phase, q, last) => {
        const report = await validator.afterPhase(phase, q, last, expectations.get(phase.name) ?? [], mode === 'rehearse');
        reports.push(report);
        emit({ type: 'validation', phase: phase.name, report });
      },
    });
  } finally {
    await session.close();
  }

  if (request.journalDir) {
    // What the target holds now: the committed phases' schema (a rehearsal's must be unchanged).
    const after = await introspect(inspectTarget).then((i) => i.fingerprint, () => undefined);
    // The run has happened whatever the journal's disk says: its result is not lost to a full disk.
    await appendJournal(request.journalDir, journalEntry(request, result, started, before.fingerprint, after, reports)).catch((error: unknown) => {
      emit({ type: 'note', message: `the run could not be written to the journal in ${request.journalDir}: ${messageOf(error)}` });
    });
  }
  return result;
}

function journalEntry(request: RunRequest, result: RunResult, started: Date, fingerprintBefore: string, fingerprintAfter: string | undefined, reports: readonly PhaseValidation[]): JournalEntry {
  const f = result.failure;
  const last = reports[reports.length - 1];
  return {
    time: started.toISOString(),
    profile: request.target.name,
    environment: request.target.environment,
    file: request.journalFile ?? request.migration.path,
    sha256: request.migration.sha256,
    mode: result.mode,
    outcome: result.outcome,
    phases: result.phases.map((p) => ({ name: p.name, outcome: p.outcome, durationMs: Math.round(p.durationMs) })),
    fingerprintBefore,
    ...(fingerprintAfter ? { fingerprintAfter } : {}),
    ...(f ? { failure: { phase: f.phase, file: f.file, line: f.line, column: f.column, message: f.message } } : {}),
    ...(reports.length ? {
      validation: {
        decreasedTables: [...new Set(reports.flatMap((r) => r.tables.filter((t) => t.decreased).map((t) => t.table)))],
        objectsMatching: (last?.objects ?? []).every((o) => o.expected === undefined || o.expected === o.actual),
        expectationsFailed: reports.reduce((n, r) => n + r.expectations.filter((e) => !e.ok).length, 0),
        backupsMatching: reports.every((r) => r.backups.every((b) => b.manifest === b.actual)),
        ...(last?.rediff ? { remaining: last.rediff.remaining } : {}),
      },
    } : {}),
    durationMs: Math.round(result.durationMs),
  };
}
