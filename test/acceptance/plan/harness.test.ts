// The convergence harness checks itself on a real server: the pieces that judge the engine must be
// able to say no, or every convergence test could pass for the wrong reason.
import { strict as assert } from 'node:assert';
import type { Plan, PlannedStatement } from '../../../src/core/plan/types';
import { applyPlan, PlanApplyError, transactionGroups } from '../../support/applyPlan';
import { inspectDatabase } from '../../support/fixtures';
import { modelDifferences } from '../../support/modelDifference';
import { runPsql } from '../../support/psql';
import { loadPair, LoadFailure } from '../../support/convergence';
import { readRows, rowLosses, rowProbes } from '../../support/rowSnapshot';
import { databaseOn, describeEachServer } from '../../support/servers';

function statement(sql: string, extra: Partial<PlannedStatement> = {}): PlannedStatement {
  return { sql, object: 'table:"public"."t"', action: 'create', phase: 'expand', change: 'table:"public"."t"', ...extra };
}

function planOf(statements: PlannedStatement[]): Plan {
  return { changes: [], statements };
}

describeEachServer('plan convergence harness', ({ server, db }) => {
  it('groups consecutive transactional statements and runs a non-transactional one alone', async () => {
    const plan = planOf([
      statement('CREATE TABLE t (a int)'),
      statement('CREATE INDEX CONCURRENTLY t_a ON t (a)', { transactional: false }),
      statement('ALTER TABLE t ADD COLUMN b int'),
      statement('CREATE INDEX t_b ON t (b)'),
    ]);
    assert.deepEqual(transactionGroups(plan.statements).map((g) => [g.transactional, g.statements.length]), [[true, 1], [false, 1], [true, 2]]);
    // CREATE INDEX CONCURRENTLY inside a transaction block is an error, so this only passes when it ran alone.
    const applied = await applyPlan(db(), plan);
    assert.equal(applied.length, 4);
    const rows = await db().query<{ n: string }>(`SELECT count(*) AS n FROM pg_indexes WHERE tablename = 't'`);
    assert.equal(rows[0]?.n, '2');
  });

  it('a failing statement reports itself, the server error and the plan, and rolls back its transaction', async () => {
    const plan = planOf([statement('CREATE TABLE t (a int)'), statement('ALTER TABLE t ADD COLUMN a text')]);
    await assert.rejects(applyPlan(db(), plan), (e: unknown) => {
      assert.ok(e instanceof PlanApplyError);
      assert.match(e.statement, /ADD COLUMN a text/);
      assert.match(e.serverError, /already exists/);
      assert.match(e.planSql, /CREATE TABLE t/);
      return true;
    });
    const rows = await db().query(`SELECT 1 FROM pg_class WHERE relname = 't'`);
    assert.equal(rows.length, 0, 'the first statement of the failed transaction was rolled back');
  });

  it('notices rows that changed, vanished, or turned NULL', async () => {
    await db().exec(`CREATE TABLE t (id int, v text, n text); INSERT INTO t VALUES (1, 'a', '1'), (2, 'b', '2');`);
    const from = (await inspectDatabase(db())).model;
    const to = structuredClone(from);
    const n = to.tables[0]?.columns.find((c) => c.name === 'n');
    assert.ok(n);
    n.type = 'integer';
    const probes = rowProbes(from, to, planOf([]));
    assert.deepEqual(probes.map((p) => [p.hashed, p.nullCounted]), [[['id', 'v'], ['n']]]);
    const before = await readRows(db(), probes);
    assert.deepEqual(rowLosses(probes, before, await readRows(db(), probes)), []);
    await db().exec(`UPDATE t SET n = NULL WHERE id = 1`);
    assert.match(rowLosses(probes, before, await readRows(db(), probes)).join(), /NULL counts/);
    await db().exec(`UPDATE t SET v = 'changed' WHERE id = 1`);
    assert.match(rowLosses(probes, before, await readRows(db(), probes)).join(), /values of \(id, v\) changed/);
    await db().exec(`DELETE FROM t WHERE id = 2`);
    assert.match(rowLosses(probes, before, await readRows(db(), probes)).join(), /2 rows before, 1 after/);
    const dropping = rowProbes(from, to, planOf([statement('DROP TABLE t', { action: 'drop', drops: ['table:"public"."t"'] })]));
    assert.deepEqual(dropping, [], 'a table the plan drops is not expected to keep its rows');
  });

  it('tells models apart by more than the engine might look at, but not by column order', async () => {
    const other = await databaseOn(server);
    try {
      await db().exec(`CREATE TABLE t (a int, b text); COMMENT ON COLUMN t.b IS 'x'`);
      await other.exec(`CREATE TABLE t (b text, a int); COMMENT ON COLUMN t.b IS 'x'`);
      assert.deepEqual(modelDifferences((await inspectDatabase(db())).model, (await inspectDatabase(other)).model), []);
      await other.exec(`COMMENT ON COLUMN t.b IS 'y'`);
      const lines = modelDifferences((await inspectDatabase(db())).model, (await inspectDatabase(other)).model);
      assert.equal(lines.length, 1);
      assert.match(lines[0] ?? '', /^table:"public"."t":/);
    } finally {
      await other.drop();
    }
  });

  it('psql loads statement by statement and reports the first error with its line', async () => {
    const ok = await runPsql(db().url, 'CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);');
    assert.deepEqual(ok, { ok: true });
    const bad = await runPsql(db().url, 'SELECT 1;\n\nCREATE TABLE t (a int);\nSELECT 2;');
    assert.deepEqual(bad, { ok: false, firstError: 'line 3: relation "t" already exists' });
  });

  it('loads what a transaction block refuses, and reports a side that does not load with its first error', async () => {
    const pair = await loadPair(server, {
      name: 'concurrently',
      from: 'CREATE TABLE t (a int);\nSET search_path = nowhere;',
      to: 'CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);',
    });
    try {
      assert.deepEqual(pair.to.model.indexes.map((i) => i.name), ['t_a']);
      const path = await pair.from.db.query<{ search_path: string }>('SHOW search_path');
      assert.equal(path[0]?.search_path, '"$user", public', 'session settings of the loaded file do not reach the plan');
    } finally {
      await pair.drop();
    }
    await assert.rejects(loadPair(server, { name: 'broken', from: 'CREATE TABLE t (a int);', to: 'SELECT 1;\nCREATE TABLE t (a nosuchtype);' }), (e: unknown) => {
      assert.ok(e instanceof LoadFailure);
      assert.equal(e.message, 'to (b) does not load: line 2: type "nosuchtype" does not exist');
      return true;
    });
  });
});
