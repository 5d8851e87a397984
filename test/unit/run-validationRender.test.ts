import { strict as assert } from 'node:assert';
import { backupLine, objectLine, renderValidationLines, tableLine } from '../../src/core/run/validation/render';
import type { PhaseValidation } from '../../src/core/run/types';

function report(partial: Partial<PhaseValidation>): PhaseValidation {
  return { tables: [], objects: [], expectations: [], backups: [], notes: [], ...partial };
}

describe('run validation: text lines', () => {
  it('row counts: unchanged, grown, new, dropped, estimated, and a decrease in a kept table as an ERROR', () => {
    assert.equal(tableLine({ table: 'public."TimeEntry"', before: 120, after: 120, exact: true, decreased: false }), 'rows: public."TimeEntry" 120 → 120');
    assert.equal(tableLine({ table: 'public.job', before: 3, after: 5, exact: true, decreased: false }), 'rows: public.job 3 → 5 (+2)');
    assert.equal(tableLine({ table: 'public.job', after: 5, exact: true, decreased: false }), 'rows: public.job — → 5 (new table)');
    assert.equal(tableLine({ table: 'public.job', before: 5, exact: true, decreased: false }), 'rows: public.job 5 → — (dropped)');
    assert.equal(tableLine({ table: 'public.big', before: 2000000, after: 1990000, exact: false, decreased: false }), 'rows: public.big ~2000000 → ~1990000 (-10000)');
    assert.equal(tableLine({ table: 'public.job', before: 5, after: 3, exact: true, decreased: true }), 'ERROR rows: public.job 5 → 3 (-2): fewer rows in a kept table');
  });

  it('lists changed tables and sums up the unchanged ones, or lists every table when asked', () => {
    const tables = [
      { table: 'public.a', before: 1, after: 1, exact: true, decreased: false },
      { table: 'public.b', before: 1, after: 2, exact: true, decreased: false },
      { table: 'public.c', before: 5000, after: 5000, exact: false, decreased: false },
    ];
    assert.deepEqual(renderValidationLines(report({ tables })), ['rows: public.b 1 → 2 (+1)', 'rows: 2 other tables unchanged (1 estimated)']);
    assert.deepEqual(renderValidationLines(report({ tables: [tables[0]!] })), ['rows: 1 table unchanged']);
    assert.deepEqual(renderValidationLines(report({ tables }), { allTables: true }), ['rows: public.a 1 → 1', 'rows: public.b 1 → 2 (+1)', 'rows: public.c ~5000 → ~5000']);
  });

  it('object counts as actual / expected, a mismatch marked; without a to-source the actual counts alone', () => {
    assert.equal(objectLine([{ kind: 'tables', actual: 27, expected: 27 }, { kind: 'triggers', actual: 6, expected: 7 }]), 'objects: tables 27 / 27, triggers 6 / 7 (≠)');
    assert.equal(objectLine([{ kind: 'tables', actual: 27 }, { kind: 'foreign keys', actual: 3 }]), 'objects: tables 27, foreign keys 3');
    assert.deepEqual(renderValidationLines(report({})), [], 'nothing measured, nothing shown');
  });

  it('expectations with their actual value, without the directive marker; a failed one as an ERROR', () => {
    const lines = renderValidationLines(report({
      expectations: [
        { text: '-- pgdrift:expect SELECT count(*) FROM job = 3', ok: true, actual: 3, file: 'm.sql', line: 4 },
        { text: 'SELECT count(*) FROM job >= 10', ok: false, actual: 2, file: 'm.sql', line: 9 },
      ],
    }));
    assert.deepEqual(lines, ['expect SELECT count(*) FROM job = 3: 3 ok', 'ERROR expect SELECT count(*) FROM job >= 10: 2 FAILED']);
  });

  it('backups as rows now / rows in the manifest, a mismatch as an ERROR', () => {
    assert.equal(backupLine({ backup: 'pgdrift_backup."public.gone@1a2b3c4d"', source: 'public.gone', manifest: 2, actual: 2 }), 'backup pgdrift_backup."public.gone@1a2b3c4d": 2 / 2 rows');
    assert.equal(backupLine({ backup: 'pgdrift_backup.x', source: 'public.x', manifest: 1, actual: 1 }), 'backup pgdrift_backup.x: 1 / 1 row');
    assert.equal(backupLine({ backup: 'pgdrift_backup.x', source: 'public.x', manifest: 2, actual: 0 }), 'ERROR backup pgdrift_backup.x: 0 / 2 rows (the manifest recorded 2)');
  });

  it('the re-diff: "0 differences remain", or the count and one line per change; notes last', () => {
    assert.deepEqual(renderValidationLines(report({ rediff: { remaining: 0, lines: [] } })), ['0 differences remain']);
    assert.deepEqual(renderValidationLines(report({ rediff: { remaining: 1, lines: ['create table public.audit'] }, notes: ['the to-source could not be read: boom'] })), [
      '1 difference remains:', '  create table public.audit', 'note: the to-source could not be read: boom',
    ]);
    assert.deepEqual(renderValidationLines(report({ rediff: { remaining: 2, lines: ['a', 'b'] } }))[0], '2 differences remain:');
  });
});
