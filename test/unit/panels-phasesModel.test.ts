import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMigration } from '../../src/core/run/load';
import type { Migration, PhaseValidation, RunEvent, RunStatement } from '../../src/core/run/types';
import { applyEvent, endedWith, stateOf } from '../../src/extension/panels/phasesModel';
import { isPanelState, isWebviewMessage, remainingPhases } from '../../src/protocol/phases';

const NOW = () => new Date('2026-01-02T03:04:05Z');

const SQL = `-- pgdrift:phase expand
CREATE TABLE a (id int);
-- pgdrift:expect SELECT count(*) FROM a = 0
-- pgdrift:phase backfill
INSERT INTO a VALUES (1);
-- pgdrift:phase contract
ALTER TABLE a ADD COLUMN b int;
ALTER TABLE a DROP COLUMN b;
`;

const validation: PhaseValidation = {
  tables: [{ table: 'public.a', before: 0, after: 1, exact: true, decreased: false }],
  objects: [{ kind: 'tables', actual: 1, expected: 1 }],
  expectations: [],
  backups: [],
  notes: [],
};

describe('phases panel: state from the runner\'s events', () => {
  let dir: string;
  let migration: Migration;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgdrift-panel-'));
    writeFileSync(join(dir, 'm.sql'), SQL);
    migration = await loadMigration(join(dir, 'm.sql'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const statementOf = (phase: number, i = 0): RunStatement => {
    const step = migration.phases[phase]?.steps.filter((s) => s.kind === 'statement')[i];
    assert.ok(step?.kind === 'statement');
    return step;
  };

  it('lists the phases with their statement and expectation counts, all pending', () => {
    const state = stateOf('file:///m.sql', 'm.sql', migration);
    assert.deepEqual(state.phases.map((p) => [p.name, p.statements, p.expectations, p.status, p.committed]),
      [['expand', 1, 1, 'pending', false], ['backfill', 1, 0, 'pending', false], ['contract', 2, 0, 'pending', false]]);
    assert.ok(isPanelState(state));
    assert.deepEqual(remainingPhases(state), ['expand', 'backfill', 'contract']);
  });

  it('follows a run of one phase: running with the statement, committed with its duration and checks; Run remaining starts after it', () => {
    let state = stateOf('file:///m.sql', 'm.sql', migration);
    const events: RunEvent[] = [
      { type: 'run-start', mode: 'run', phases: [{ name: 'expand', steps: 2, selected: true }, { name: 'backfill', steps: 1, selected: false }, { name: 'contract', steps: 2, selected: false }] },
      { type: 'phase-start', phase: 'expand', index: 0, transactional: true },
      { type: 'step-start', phase: 'expand', step: statementOf(0) },
    ];
    for (const e of events) state = applyEvent(state, e, NOW);
    assert.equal(state.running, true);
    assert.equal(state.phases[0]?.status, 'running');
    assert.equal(state.phases[0]?.current, 'CREATE TABLE a (id int)');
    state = applyEvent(state, { type: 'statement-end', phase: 'expand', statement: statementOf(0), command: 'CREATE', rowCount: null, durationMs: 3 }, NOW);
    state = applyEvent(state, { type: 'notice', phase: 'expand', notice: { severity: 'NOTICE', message: 'hello' } }, NOW);
    state = applyEvent(state, { type: 'phase-end', phase: 'expand', index: 0, outcome: 'committed', durationMs: 12 }, NOW);
    state = applyEvent(state, { type: 'validation', phase: 'expand', report: validation }, NOW);
    state = applyEvent(state, { type: 'run-end', result: { mode: 'run', outcome: 'succeeded', phases: [{ name: 'expand', index: 0, outcome: 'committed', steps: 2, ran: 2, durationMs: 12 }], notRehearsed: [], durationMs: 20 } }, NOW);
    assert.equal(state.running, false);
    assert.equal(state.outcome, 'succeeded');
    assert.deepEqual(state.phases.map((p) => p.status), ['committed', 'pending', 'pending']);
    assert.equal(state.phases[0]?.current, undefined);
    assert.equal(state.phases[0]?.durationMs, 12);
    assert.deepEqual(state.phases[0]?.validation, validation);
    assert.deepEqual(state.notices, [{ phase: 'expand', severity: 'NOTICE', message: 'hello' }]);
    assert.deepEqual(remainingPhases(state), ['backfill', 'contract']);

    // Reading the file again keeps what the panel knew of each phase.
    const again = stateOf('file:///m.sql', 'm.sql', migration, state);
    assert.equal(again.phases[0]?.status, 'committed');
    assert.deepEqual(again.phases[0]?.validation, validation);
    assert.equal(again.outcome, 'succeeded');
  });

  it('keeps a failure without the statement\'s whole text, and a rehearsal does not count as committed', () => {
    let state = stateOf('file:///m.sql', 'm.sql', migration);
    state = applyEvent(state, { type: 'run-start', mode: 'rehearse', phases: migration.phases.map((p) => ({ name: p.name, steps: p.steps.length, selected: true })) }, NOW);
    state = applyEvent(state, { type: 'phase-end', phase: 'expand', index: 0, outcome: 'rehearsed', durationMs: 5 }, NOW);
    const failing = statementOf(2, 1);
    state = applyEvent(state, {
      type: 'run-end',
      result: {
        mode: 'rehearse', outcome: 'failed', durationMs: 9, notRehearsed: [],
        phases: [{ name: 'expand', index: 0, outcome: 'rehearsed', steps: 2, ran: 2, durationMs: 5 }, { name: 'backfill', index: 1, outcome: 'rehearsed', steps: 1, ran: 1, durationMs: 1 }, { name: 'contract', index: 2, outcome: 'failed', steps: 2, ran: 1, durationMs: 2 }],
        failure: { phase: 'contract', file: failing.file, line: failing.line, column: 8, message: 'boom', sqlstate: '42703', step: failing, kind: 'statement' },
      },
    }, NOW);
    assert.deepEqual(state.phases.map((p) => p.status), ['rehearsed', 'rehearsed', 'failed']);
    assert.deepEqual(state.phases.map((p) => p.committed), [false, false, false]);
    assert.equal(state.failure?.statement, 'ALTER TABLE a DROP COLUMN b');
    assert.equal('step' in (state.failure ?? {}), false);
    assert.equal(state.failure?.line, 8);
  });

  it('a run of one phase leaves the others as they were, though the runner reports them skipped', () => {
    let state = stateOf('file:///m.sql', 'm.sql', migration);
    const all = (selected: string) => migration.phases.map((p) => ({ name: p.name, steps: p.steps.length, selected: p.name === selected }));
    const result = (phase: string, index: number) => ({
      mode: 'run' as const, outcome: 'succeeded' as const, notRehearsed: [], durationMs: 3,
      phases: migration.phases.map((p) => ({ name: p.name, index: p.index, outcome: p.name === phase ? 'committed' as const : 'skipped' as const, steps: p.steps.length, ran: p.index === index ? p.steps.length : 0, durationMs: p.index === index ? 3 : 0 })),
    });
    state = applyEvent(state, { type: 'run-start', mode: 'run', phases: all('expand') }, NOW);
    state = applyEvent(state, { type: 'run-end', result: result('expand', 0) }, NOW);
    state = applyEvent(state, { type: 'run-start', mode: 'run', phases: all('backfill') }, NOW);
    state = applyEvent(state, { type: 'run-end', result: result('backfill', 1) }, NOW);
    assert.deepEqual(state.phases.map((p) => p.status), ['committed', 'committed', 'pending']);
    assert.deepEqual(remainingPhases(state), ['contract']);
  });

  it('ends a run without a run-end (refused, unreachable) with a message, no phase left running', () => {
    let state = stateOf('file:///m.sql', 'm.sql', migration);
    state = applyEvent(state, { type: 'run-start', mode: 'run', phases: [{ name: 'expand', steps: 2, selected: true }] }, NOW);
    state = applyEvent(state, { type: 'phase-start', phase: 'expand', index: 0, transactional: true }, NOW);
    state = endedWith(state, 'error', 'connection lost', NOW);
    assert.equal(state.running, false);
    assert.equal(state.phases[0]?.status, 'cancelled');
    assert.deepEqual(state.message, { level: 'error', text: 'connection lost' });
  });

  it('accepts only well-formed messages from the page', () => {
    assert.ok(isWebviewMessage({ type: 'run', mode: 'run', phases: ['a'] }));
    assert.ok(!isWebviewMessage({ type: 'run', mode: 'drop everything' }));
    assert.ok(!isWebviewMessage({ type: 'run', mode: 'run', phases: [1] }));
    assert.ok(isWebviewMessage({ type: 'reveal', file: 'a.sql', line: 1, column: 1 }));
    assert.ok(!isWebviewMessage({ type: 'eval', code: '1' }));
  });
});
