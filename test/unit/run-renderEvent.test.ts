import { strict as assert } from 'node:assert';
import { duration, renderEventLines } from '../../src/core/run/renderEvent';
import type { RunExpectation, RunStatement } from '../../src/core/run/types';

const statement: RunStatement = {
  kind: 'statement', index: 3, file: 'migrations/02-contract.sql', sql: 'UPDATE "TimeEntry" SET hours = 0 WHERE hours IS NULL',
  start: 40, end: 91, line: 7, column: 1, transactional: true, destructive: false, summary: 'UPDATE "TimeEntry" SET hours = 0 WHERE hours IS NULL',
};
const expectation: RunExpectation = {
  kind: 'expect', index: 4, file: 'migrations/02-contract.sql', line: 9, column: 1,
  expectation: { sql: 'SELECT count(*) FROM "TimeEntry" WHERE hours IS NULL', op: '=', value: 0 },
  text: '-- pgdrift:expect SELECT count(*) FROM "TimeEntry" WHERE hours IS NULL = 0',
};

describe('renderEventLines', () => {
  it('a statement: its file:line and summary, then rows and duration', () => {
    assert.deepEqual(renderEventLines({ type: 'step-start', phase: 'contract', step: statement }),
      ['  migrations/02-contract.sql:7 UPDATE "TimeEntry" SET hours = 0 WHERE hours IS NULL']);
    assert.deepEqual(renderEventLines({ type: 'statement-end', phase: 'contract', statement, command: 'UPDATE', rowCount: 42, durationMs: 12.4 }), ['    42 rows · 12 ms']);
    assert.deepEqual(renderEventLines({ type: 'statement-end', phase: 'contract', statement, command: 'UPDATE', rowCount: 1, durationMs: 1500 }), ['    1 row · 1.5 s']);
    assert.deepEqual(renderEventLines({ type: 'statement-end', phase: 'contract', statement, command: 'CREATE TABLE', rowCount: null, durationMs: 3 }), ['    CREATE TABLE · 3 ms']);
  });

  it('server notices as psql prints them, with DETAIL and HINT', () => {
    assert.deepEqual(renderEventLines({ type: 'notice', phase: 'p', notice: { severity: 'NOTICE', message: 'table "x" does not exist, skipping' } }),
      ['    NOTICE: table "x" does not exist, skipping']);
    assert.deepEqual(renderEventLines({ type: 'notice', phase: 'p', notice: { severity: 'WARNING', message: 'w', detail: 'd', hint: 'h' } }),
      ['    WARNING: w', '    DETAIL: d', '    HINT: h']);
  });

  it('a statement a rehearsal skips says it was not rehearsed and why', () => {
    const concurrent = { ...statement, transactional: false, summary: 'CREATE INDEX CONCURRENTLY i ON t (c)' };
    assert.deepEqual(renderEventLines({ type: 'statement-skipped', phase: 'p', statement: concurrent, reason: 'cannot run inside a transaction block' }),
      ['  migrations/02-contract.sql:7 CREATE INDEX CONCURRENTLY i ON t (c)', '    not rehearsed: cannot run inside a transaction block']);
  });

  it('expectations: held, or what was expected and what came', () => {
    assert.deepEqual(renderEventLines({ type: 'expect-end', phase: 'p', expectation, ok: true, actual: 0 }), ['    expectation holds: 0 = 0']);
    assert.deepEqual(renderEventLines({ type: 'expect-end', phase: 'p', expectation, ok: false, actual: 3 }), ['    expectation FAILED: expected = 0, got 3']);
  });

  it('phases: start, and the outcome with its duration', () => {
    assert.deepEqual(renderEventLines({ type: 'phase-start', phase: 'expand', index: 0, transactional: true }), ['phase expand']);
    assert.deepEqual(renderEventLines({ type: 'phase-end', phase: 'expand', index: 0, outcome: 'committed', durationMs: 2300 }), ['phase expand committed · 2.3 s']);
    assert.deepEqual(renderEventLines({ type: 'phase-end', phase: 'expand', index: 0, outcome: 'rolled back', durationMs: 80 }), ['phase expand rolled back · 80 ms']);
  });

  it('the run start names the chosen phases; a note is one line', () => {
    assert.deepEqual(renderEventLines({ type: 'run-start', mode: 'run', phases: [{ name: 'expand', steps: 3, selected: false }, { name: 'contract', steps: 1, selected: true }] }),
      ['run: 1 of 2 phases: contract (1 step)']);
    assert.deepEqual(renderEventLines({ type: 'note', message: 'no fingerprint' }), ['note: no fingerprint']);
  });

  it('a failure names file:line:column, SQLSTATE, DETAIL and HINT, then the summary', () => {
    const lines = renderEventLines({
      type: 'run-end',
      result: {
        mode: 'run', outcome: 'failed', durationMs: 900, notRehearsed: [],
        phases: [{ name: 'expand', index: 0, outcome: 'committed', steps: 2, ran: 2, durationMs: 100 }, { name: 'contract', index: 1, outcome: 'failed', steps: 3, ran: 1, durationMs: 50 }],
        failure: { phase: 'contract', file: 'm.sql', line: 12, column: 8, message: 'column "nope" does not exist', sqlstate: '42703', hint: 'Perhaps you meant "note".', kind: 'statement', step: statement },
      },
    });
    assert.deepEqual(lines, [
      'm.sql:12:8: error in phase contract: column "nope" does not exist (SQLSTATE 42703)',
      '  HINT: Perhaps you meant "note".',
      'run FAILED: phases 1 committed, 1 failed · 900 ms',
    ]);
  });

  it('a rehearsal lists what it did not rehearse and says everything was rolled back', () => {
    const lines = renderEventLines({
      type: 'run-end',
      result: { mode: 'rehearse', outcome: 'succeeded', durationMs: 61_000, notRehearsed: [{ ...statement, transactional: false }], phases: [{ name: 'a', index: 0, outcome: 'rehearsed', steps: 1, ran: 1, durationMs: 5 }] },
    });
    assert.deepEqual(lines, [
      '1 statement not rehearsed (cannot run in a transaction): migrations/02-contract.sql:7',
      'rehearsal succeeded: phases 1 rehearsed · 1 min 1 s (everything rolled back)',
    ]);
  });

  it('validation lines come from the validation renderer, indented', () => {
    const lines = renderEventLines({ type: 'validation', phase: 'p', report: { tables: [], objects: [{ kind: 'tables', actual: 27, expected: 27 }], expectations: [], backups: [], notes: ['n'] } });
    assert.ok(lines.length >= 2, lines.join('\n'));
    assert.ok(lines.every((l) => l.startsWith('  ')));
    assert.ok(lines.some((l) => l.includes('27 / 27')), lines.join('\n'));
  });

  it('a validation sums up the expectations the stream showed, repeating only the failed ones', () => {
    const e = { file: 'm.sql', line: 3 };
    const lines = renderEventLines({
      type: 'validation', phase: 'p',
      report: {
        tables: [{ table: 'public.t', before: 2, after: 2, exact: true, decreased: false }], objects: [], backups: [], notes: [],
        expectations: [{ ...e, text: '-- pgdrift:expect SELECT 1 = 1', ok: true, actual: 1 }, { ...e, text: '-- pgdrift:expect SELECT 2 = 1', ok: false, actual: 2 }],
      },
    });
    assert.equal(lines[1], '  expectations: 1 held, 1 failed');
    assert.equal(lines.length, 3);
    assert.match(lines[2] ?? '', /^ {2}ERROR expect SELECT 2 = 1: 2 FAILED$/);
  });

  it('durations', () => {
    assert.deepEqual([duration(0), duration(999.4), duration(1000), duration(59_949), duration(125_000)], ['0 ms', '999 ms', '1.0 s', '59.9 s', '2 min 5 s']);
  });
});
