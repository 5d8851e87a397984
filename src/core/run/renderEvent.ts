/**
 * The run's events as text lines: what `pgdrift run` prints and what the extension's output
 * channel shows, so both read the same. Statements are named by file:line, server messages by
 * their severity as psql prints them, failures by file:line:column.
 */
import { renderValidationLines } from './validation/render';
import type { PhaseOutcome, PhaseValidation, RunEvent, RunResult, RunStep } from './types';

export function renderEventLines(event: RunEvent): string[] {
  switch (event.type) {
    case 'run-start': {
      const chosen = event.phases.filter((p) => p.selected);
      const all = event.phases.length;
      const what = event.mode === 'rehearse' ? 'rehearsal (one transaction, rolled back at the end)' : 'run';
      const which = chosen.length === all ? `${all} phase${all === 1 ? '' : 's'}` : `${chosen.length} of ${all} phases`;
      return [`${what}: ${which}: ${chosen.map((p) => `${p.name} (${p.steps} step${p.steps === 1 ? '' : 's'})`).join(', ')}`];
    }
    case 'phase-start':
      return [`phase ${event.phase}${event.transactional ? '' : ' (statements that cannot run in a transaction run on their own)'}`];
    case 'step-start':
      return [`  ${where(event.step)} ${event.step.kind === 'statement' ? event.step.summary : event.step.text}`];
    case 'statement-end':
      return [`    ${rowsText(event.command, event.rowCount)} · ${duration(event.durationMs)}`];
    case 'copy-progress':
      return [`    ${event.rows.toLocaleString('en-US')} rows read`];
    case 'statement-skipped':
      return [`  ${where(event.statement)} ${event.statement.summary}`, `    not rehearsed: ${event.reason}`];
    case 'expect-end': {
      const e = event.expectation.expectation;
      return [event.ok
        ? `    expectation holds: ${event.actual} ${e.op} ${e.value}`
        : `    expectation FAILED: expected ${e.op} ${e.value}, got ${event.actual}`];
    }
    case 'notice': {
      const n = event.notice;
      return [`    ${n.severity}: ${n.message}`, ...(n.detail ? [`    DETAIL: ${n.detail}`] : []), ...(n.hint ? [`    HINT: ${n.hint}`] : [])];
    }
    case 'phase-end':
      return [`phase ${event.phase} ${event.outcome} · ${duration(event.durationMs)}`];
    case 'validation':
      return validationLines(event.report).map((l) => `  ${l}`);
    case 'run-end':
      return runEndLines(event.result);
    case 'note':
      return [`note: ${event.message}`];
  }
}

/**
 * The stream already showed each expectation as it was checked; the validation sums them up in one
 * line, and repeats only the ones that failed.
 */
function validationLines(report: PhaseValidation): string[] {
  const failed = report.expectations.filter((e) => !e.ok);
  const held = report.expectations.length - failed.length;
  const counts = renderValidationLines({ tables: report.tables, objects: report.objects, expectations: [], backups: [], notes: [] });
  const rest = renderValidationLines({ ...report, tables: [], objects: [], expectations: failed });
  const summary = held ? [`expectations: ${held} held${failed.length ? `, ${failed.length} failed` : ''}`] : [];
  return [...counts, ...summary, ...rest];
}

/** Outcomes in the order a summary names them. */
const OUTCOME_ORDER: readonly PhaseOutcome[] = ['committed', 'rehearsed', 'failed', 'rolled back', 'cancelled', 'running', 'pending', 'skipped'];

function runEndLines(r: RunResult): string[] {
  const lines: string[] = [];
  const f = r.failure;
  if (f) {
    lines.push(f.kind === 'cancelled'
      ? `cancelled in phase ${f.phase} at ${f.file}:${f.line}:${f.column}: ${f.message}`
      : `${f.file}:${f.line}:${f.column}: ${f.kind === 'expect' ? 'expectation failed' : f.kind === 'commit' ? 'COMMIT failed' : 'error'} in phase ${f.phase}: ${f.message}${f.sqlstate ? ` (SQLSTATE ${f.sqlstate})` : ''}`);
    if (f.detail) lines.push(`  DETAIL: ${f.detail}`);
    if (f.hint) lines.push(`  HINT: ${f.hint}`);
  }
  if (r.notRehearsed.length) {
    const n = r.notRehearsed.length;
    lines.push(`${n} statement${n === 1 ? '' : 's'} not rehearsed (cannot run in a transaction): ${r.notRehearsed.map((s) => `${s.file}:${s.line}`).join(', ')}`);
  }
  const phases = OUTCOME_ORDER
    .map((outcome) => [outcome, r.phases.filter((p) => p.outcome === outcome).length] as const)
    .filter(([, n]) => n > 0)
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ');
  const what = r.mode === 'rehearse' ? 'rehearsal' : 'run';
  const verb = r.outcome === 'succeeded' ? 'succeeded' : r.outcome === 'failed' ? 'FAILED' : r.outcome;
  lines.push(`${what} ${verb}${phases ? `: phases ${phases}` : ''} · ${duration(r.durationMs)}${r.mode === 'rehearse' ? ' (everything rolled back)' : ''}`);
  return lines;
}

function where(step: RunStep): string {
  return `${step.file}:${step.line}`;
}

function rowsText(command: string, rowCount: number | null): string {
  if (rowCount === null) return command || 'done';
  return `${rowCount} row${rowCount === 1 ? '' : 's'}`;
}

/** "12 ms" below a second, "1.2 s" to a minute, "2 min 5 s" beyond. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}
