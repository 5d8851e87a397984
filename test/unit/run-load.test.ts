// Reading a migration into phases: markers, folders of numbered files, directives, the file's own
// transaction control, and what may not run in a transaction.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMigration, migrationOf } from '../../src/core/run/load';
import type { Migration, RunStatement } from '../../src/core/run/types';

const one = (text: string, path = 'plan.sql'): Promise<Migration> => migrationOf(path, [{ path, text, sha256: 'sha256:1' }]);
const statements = (m: Migration, phase = 0): RunStatement[] => (m.phases[phase]?.steps ?? []).filter((s): s is RunStatement => s.kind === 'statement');

describe('runner: loading a migration', () => {
  it('reads phases, header directives, expectations and the session preamble of a plan', async () => {
    const m = await one(`-- pgdrift plan for 127.0.0.1:5432/prod (PostgreSQL 15.4, sha256:aaa)
-- to match 127.0.0.1:5432/dev (PostgreSQL 15.4, sha256:bbb)
-- pgdrift:fingerprint sha256:aaa
-- pgdrift:target production
-- pgdrift:accept DL-01 public.gone
SET check_function_bodies = off;

-- pgdrift:phase expand
CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT 'a;b' $$;
-- pgdrift:no-transaction
ALTER TYPE mood ADD VALUE 'meh';
-- pgdrift:expect SELECT count(*) FROM t = 3
-- pgdrift:phase contract
DROP TABLE gone;
`);
    assert.equal(m.fingerprint, 'sha256:aaa');
    assert.equal(m.toFingerprint, 'sha256:bbb');
    assert.equal(m.target, 'production');
    assert.deepEqual(m.accepts.map((a) => `${a.code} ${a.object}`), ['DL-01 public.gone']);
    assert.deepEqual(m.preamble.map((s) => s.sql), ['SET check_function_bodies = off']);
    assert.deepEqual(m.phases.map((p) => [p.name, p.line, p.steps.length]), [['expand', 8, 3], ['contract', 13, 1]]);
    const [fn, addValue, expect] = m.phases[0]?.steps ?? [];
    assert.equal(fn?.kind === 'statement' && fn.sql, "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT 'a;b' $$");
    assert.equal(addValue?.kind === 'statement' && addValue.transactional, false);
    assert.deepEqual(expect?.kind === 'expect' && [expect.line, expect.expectation.op, expect.expectation.value], [12, '=', 3]);
    assert.equal(statements(m, 1)[0]?.destructive, true);
  });

  it('makes a plain file one phase named after it, and leaves its BEGIN and COMMIT to the phase transaction', async () => {
    const m = await one('BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (x);\nUPDATE t SET x = 1;\nCOMMIT;\n', 'dir/0003_fix.sql');
    assert.deepEqual(m.phases.map((p) => p.name), ['0003_fix']);
    assert.deepEqual(statements(m).map((s) => [s.line, s.transactional, s.destructive]), [[2, false, false], [3, true, true]]);
    assert.deepEqual(m.notes, [
      'BEGIN at dir/0003_fix.sql:1:1 is left out: each phase runs in its own transaction',
      'COMMIT at dir/0003_fix.sql:4:1 is left out: each phase runs in its own transaction',
    ]);
  });

  it('refuses ROLLBACK and savepoints, and a malformed expectation, with the place', async () => {
    await assert.rejects(one('CREATE TABLE t ();\nROLLBACK;'), /plan\.sql:2:1: ROLLBACK is not allowed/);
    await assert.rejects(one('-- pgdrift:expect SELECT 1'), /plan\.sql:1:1: a pgdrift:expect line needs/);
  });

  it('runs a folder\'s .sql files in numeric name order, one phase each, with a hash over the folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgdrift-load-'));
    try {
      writeFileSync(join(dir, '10-contract.sql'), 'DROP TABLE old;');
      writeFileSync(join(dir, '2-expand.sql'), 'CREATE TABLE new (id int);');
      writeFileSync(join(dir, 'notes.txt'), 'not SQL');
      const m = await loadMigration(dir);
      assert.deepEqual(m.phases.map((p) => [p.name, p.file]), [['2-expand', join(dir, '2-expand.sql')], ['10-contract', join(dir, '10-contract.sql')]]);
      assert.match(m.sha256, /^sha256:[0-9a-f]{64}$/);
      assert.notEqual(m.sha256, m.files[0]?.sha256);
      await assert.rejects(loadMigration(join(dir, 'missing.sql')), /cannot read .*missing\.sql: no such file or folder/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
