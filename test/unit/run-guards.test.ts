import { strict as assert } from 'node:assert';
import { fingerprintGuard, refuseReadOnly, runSummary } from '../../src/core/run/guards';
import { RunRefused, type JournalEntry, type Migration, type Phase, type RunStatement, type RunTargetInfo } from '../../src/core/run/types';
import { journalEntry as entry } from '../support/journalEntry';

function statement(index: number, over: Partial<RunStatement> = {}): RunStatement {
  return { kind: 'statement', index, file: 'plan.sql', sql: 'SELECT 1', start: 0, end: 8, line: index + 1, column: 1, transactional: true, destructive: false, summary: 'SELECT 1', ...over };
}
function phase(name: string, index: number, steps: RunStatement[]): Phase {
  return { name, index, file: 'plan.sql', line: 1, steps };
}
const migration: Migration = {
  path: 'plan.sql', files: [], sha256: 'sha256:aa', preamble: [statement(0)], accepts: [], notes: [],
  fingerprint: 'sha256:from', toFingerprint: 'sha256:to',
  phases: [
    phase('expand', 0, [statement(1), statement(2, { transactional: false })]),
    phase('migrate', 1, [statement(3)]),
    phase('contract', 2, [statement(4, { destructive: true }), statement(5, { destructive: true })]),
  ],
};
const target: RunTargetInfo = { name: 'staging', environment: 'staging', readOnly: false, where: 'db:5432/erp', database: 'erp' };

function refusal(fn: () => unknown): RunRefused {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RunRefused, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

describe('run guards', () => {
  it('the schema the migration was written for: runs, with the phases asked for', () => {
    assert.deepEqual(fingerprintGuard(migration, 'sha256:from', target, []), { notes: [] });
    assert.deepEqual(fingerprintGuard(migration, 'sha256:from', target, [], ['expand']), { phases: ['expand'], notes: [] });
  });

  it('no fingerprint line: no guard, and a note that says so', () => {
    const unsigned: Migration = { ...migration };
    delete unsigned.fingerprint;
    const v = fingerprintGuard(unsigned, 'sha256:anything', target, []);
    assert.equal(v.notes.length, 1);
    assert.match(v.notes[0] ?? '', /no "-- pgdrift:fingerprint" line/);
  });

  it('the schema it leads to: already applied', () => {
    const r = refusal(() => fingerprintGuard(migration, 'sha256:to', target, []));
    assert.equal(r.refusal, 'fingerprint-mismatch');
    assert.match(r.message, /already been applied/);
  });

  it('a journaled run of the first phase left this schema: the next phase may run, the first not again', () => {
    const journal: JournalEntry[] = [entry({ fingerprintBefore: 'sha256:from', fingerprintAfter: 'sha256:mid' })];
    const v = fingerprintGuard(migration, 'sha256:mid', target, journal, ['migrate']);
    assert.deepEqual(v.phases, ['migrate']);
    assert.match(v.notes[0] ?? '', /phase expand committed on staging .*starting at phase migrate/);
    assert.deepEqual(fingerprintGuard(migration, 'sha256:mid', target, journal).phases, ['migrate', 'contract']);
    assert.match(refusal(() => fingerprintGuard(migration, 'sha256:mid', target, journal, ['expand', 'migrate'])).message, /must start at phase migrate \(expand already committed\)/);
    assert.match(refusal(() => fingerprintGuard(migration, 'sha256:mid', target, journal, ['contract'])).message, /must start at phase migrate/);
  });

  it('a first phase that already reached the final schema (the rest only move data): the rest may still run', () => {
    const journal: JournalEntry[] = [entry({ fingerprintBefore: 'sha256:from', fingerprintAfter: 'sha256:to' })];
    const v = fingerprintGuard(migration, 'sha256:to', target, journal, ['migrate']);
    assert.deepEqual(v.phases, ['migrate']);
    assert.deepEqual(fingerprintGuard(migration, 'sha256:to', target, journal).phases, ['migrate', 'contract']);
  });

  it('the journal counts only runs of the same file on the same target', () => {
    const journal: JournalEntry[] = [
      entry({ sha256: 'sha256:other', fingerprintAfter: 'sha256:mid' }),
      entry({ profile: 'prod', fingerprintAfter: 'sha256:mid' }),
      entry({ mode: 'rehearse', fingerprintAfter: 'sha256:mid' }),
    ];
    const r = refusal(() => fingerprintGuard(migration, 'sha256:mid', target, journal));
    assert.equal(r.refusal, 'fingerprint-mismatch');
    assert.match(r.message, /no longer has the schema plan\.sql was written for/);
    assert.equal(r.details[0], 'written for: sha256:from');
    assert.equal(r.details[1], 'target now:  sha256:mid');
    assert.match(r.details[2] ?? '', /^last journaled run on staging: .* rehearse plan\.sql/);
  });

  it('every phase journaled as committed: already applied', () => {
    const journal = [entry({ phases: ['expand', 'migrate', 'contract'].map((name) => ({ name, outcome: 'committed' as const, durationMs: 1 })), fingerprintAfter: 'sha256:end' })];
    assert.match(refusal(() => fingerprintGuard(migration, 'sha256:end', target, journal)).message, /already been applied: phases expand, migrate, contract committed/);
  });

  it('a read-only target refuses', () => {
    assert.equal(refusal(() => refuseReadOnly({ ...target, readOnly: true })).refusal, 'read-only');
    refuseReadOnly(target);
  });

  it('the summary counts the chosen phases statements (and the preamble)', () => {
    assert.deepEqual(runSummary(migration, 'run', undefined, target, 2), {
      mode: 'run', phases: ['expand', 'migrate', 'contract'], statements: 6, destructive: 2, nonTransactional: 1, hazardsAccepted: 2, target: 'staging (db:5432/erp)',
    });
    assert.deepEqual(runSummary(migration, 'rehearse', ['contract'], target, 0).statements, 3);
  });
});
