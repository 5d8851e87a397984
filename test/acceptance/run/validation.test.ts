// The live validation of a run (issue 8 item 5) on real servers: row counts exact or estimated,
// decreases in kept tables, object counts and the re-diff against a to-source, backups against
// their manifest, and validation inside a rehearsal's open transaction.
import { strict as assert } from 'node:assert';
import { connectPg, type PgConnection } from '../../../src/core/db/pgConnection';
import { acceptName, blockingHazards } from '../../../src/core/hazards/accept';
import { analysePlan } from '../../../src/core/hazards/analyse';
import { checkExpectation, expectationOf } from '../../../src/core/plan/expect';
import { planMigration } from '../../../src/core/plan';
import type { Plan } from '../../../src/core/plan/types';
import { createValidator, type Validator } from '../../../src/core/run/validation';
import { renderValidationLines } from '../../../src/core/run/validation/render';
import type { Phase, PhaseValidation, TableCount } from '../../../src/core/run/types';
import { applyPlan } from '../../support/applyPlan';
import { fixtureSql, inspectDatabase } from '../../support/fixtures';
import { runPsql } from '../../support/psql';
import { describeEachServer, freshDatabaseEachTest, type TestDatabase } from '../../support/servers';

const PHASE: Phase = { name: 'expand', index: 0, file: 'migration.sql', line: 1, steps: [] };

function validatorFor(c: PgConnection, options: { to?: TestDatabase; exactCountLimit?: number } = {}): Validator {
  return createValidator({
    where: 'test', database: c.target.database, serverVersionNum: c.serverVersionNum, serverVersion: c.serverVersion,
    ...(options.to ? { to: () => inspectDatabase(options.to as TestDatabase) } : {}),
    ...(options.exactCountLimit !== undefined ? { exactCountLimit: options.exactCountLimit } : {}),
  });
}

function table(report: PhaseValidation, name: string): TableCount | undefined {
  return report.tables.find((t) => t.table === name);
}

const SCHEMA = `
  CREATE TABLE "Customer" (id int PRIMARY KEY, name text NOT NULL);
  CREATE TABLE invoice (id serial PRIMARY KEY, customer int NOT NULL REFERENCES "Customer", total numeric);
  CREATE INDEX invoice_customer ON invoice (customer);
  CREATE SEQUENCE ticket_no;
  CREATE VIEW big_invoices AS SELECT * FROM invoice WHERE total > 100;
  CREATE MATERIALIZED VIEW totals AS SELECT customer, sum(total) AS total FROM invoice GROUP BY customer;
  CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
  CREATE PROCEDURE noop() LANGUAGE sql AS $$ SELECT 1 $$;
  CREATE TRIGGER invoice_touch BEFORE UPDATE ON invoice FOR EACH ROW EXECUTE FUNCTION touch();
  INSERT INTO "Customer" VALUES (1, 'a'), (2, 'b');
  INSERT INTO invoice (customer, total) VALUES (1, 50), (1, 150), (2, 10);`;

describeEachServer('run validation', ({ server, db }) => {
  let c: PgConnection;
  // In a describe of its own, so the connection closes before the database is dropped.
  describe('on one connection to the target', () => {
    beforeEach(async () => {
      c = await connectPg(db().target);
    });
    afterEach(async () => {
      await c.close();
    });

    it('counts small tables exactly and labels the planner\'s estimate of larger ones, analysed or not', async () => {
      await db().exec(`
        CREATE TABLE small (id int);
        INSERT INTO small SELECT generate_series(1, 5);
        CREATE TABLE large (id int);
        INSERT INTO large SELECT generate_series(1, 1000);
        CREATE SCHEMA "Sales";
        CREATE TABLE "Sales"."Order" (id int);
        INSERT INTO "Sales"."Order" VALUES (1);
        ANALYZE;
        CREATE TABLE unanalysed (id int) WITH (autovacuum_enabled = false);
        INSERT INTO unanalysed SELECT generate_series(1, 1000);`);
      const v = validatorFor(c, { exactCountLimit: 100 });
      await v.start(c);
      const report = await v.afterPhase(PHASE, c, false, [], false);
      assert.deepEqual(table(report, 'public.small'), { table: 'public.small', before: 5, after: 5, exact: true, decreased: false });
      assert.deepEqual(table(report, '"Sales"."Order"'), { table: '"Sales"."Order"', before: 1, after: 1, exact: true, decreased: false });
      assert.deepEqual(table(report, 'public.large'), { table: 'public.large', before: 1000, after: 1000, exact: false, decreased: false }, 'ANALYZE read all 1000 rows');
      const unanalysed = table(report, 'public.unanalysed');
      assert.equal(unanalysed?.exact, false);
      assert.ok((unanalysed?.after ?? 0) > 100, `the planner's guess from the table's size: ${unanalysed?.after}`);
      assert.ok(report.notes.some((n) => /public\.unanalysed has never been analysed/.test(n)), report.notes.join('\n'));
      const lines = renderValidationLines(report, { allTables: true });
      assert.ok(lines.includes('rows: public.large ~1000 → ~1000'), lines.join('\n'));
      assert.ok(lines.includes('rows: public.small 5 → 5'), lines.join('\n'));

      // With the default limit every one of them is counted exactly.
      const exact = validatorFor(c);
      await exact.start(c);
      const all = await exact.afterPhase(PHASE, c, false, [], false);
      assert.deepEqual(all.tables.map((t) => [t.table, t.after, t.exact]), [
        ['"Sales"."Order"', 1, true], ['public.large', 1000, true], ['public.small', 5, true], ['public.unanalysed', 1000, true],
      ]);
    });

    it('flags fewer rows in a kept table, not a dropped table, and shows new and grown tables as changes', async () => {
      await db().exec(`
        CREATE TABLE kept (id int); INSERT INTO kept SELECT generate_series(1, 10);
        CREATE TABLE grown (id int); INSERT INTO grown VALUES (1);
        CREATE TABLE gone (id int); INSERT INTO gone VALUES (1), (2);
        CREATE TABLE parted (id int) PARTITION BY RANGE (id);
        CREATE TABLE parted_low PARTITION OF parted FOR VALUES FROM (0) TO (100);
        INSERT INTO parted SELECT generate_series(1, 7);`);
      const v = validatorFor(c);
      await v.start(c);
      await db().exec(`
        DELETE FROM kept WHERE id > 7; INSERT INTO grown VALUES (2); DROP TABLE gone;
        CREATE TABLE fresh (id int); INSERT INTO fresh VALUES (1), (2), (3);`);
      const report = await v.afterPhase(PHASE, c, false, [], false);
      assert.deepEqual(report.tables, [
        { table: 'public.fresh', after: 3, exact: true, decreased: false },
        { table: 'public.gone', before: 2, exact: true, decreased: false },
        { table: 'public.grown', before: 1, after: 2, exact: true, decreased: false },
        { table: 'public.kept', before: 10, after: 7, exact: true, decreased: true },
        { table: 'public.parted', before: 7, after: 7, exact: true, decreased: false },
        { table: 'public.parted_low', before: 7, after: 7, exact: true, decreased: false },
      ]);
      assert.deepEqual(renderValidationLines(report).filter((l) => l.startsWith('rows:') || l.startsWith('ERROR')), [
        'rows: public.fresh — → 3 (new table)',
        'rows: public.gone 2 → — (dropped)',
        'rows: public.grown 1 → 2 (+1)',
        'ERROR rows: public.kept 10 → 7 (-3): fewer rows in a kept table',
        'rows: 2 other tables unchanged',
      ]);
      // The next phase compares with the counts after this one.
      const next = await v.afterPhase({ ...PHASE, name: 'contract', index: 1 }, c, false, [], false);
      assert.equal(next.tables.some((t) => t.decreased || t.before !== t.after), false);
    });

    describe('against a to-source', () => {
      const to = freshDatabaseEachTest(server);

      it('counts objects of each kind on the target and the to-source alike, and finds 0 differences when they match', async () => {
        await db().exec(SCHEMA);
        await to().exec(SCHEMA);
        const v = validatorFor(c, { to: to() });
        await v.start(c);
        const report = await v.afterPhase(PHASE, c, true, [], false);
        assert.deepEqual(report.objects, [
          { kind: 'tables', actual: 2, expected: 2 },
          { kind: 'views', actual: 2, expected: 2 },
          { kind: 'functions', actual: 2, expected: 2 },
          { kind: 'triggers', actual: 1, expected: 1 },
          { kind: 'indexes', actual: 3, expected: 3 },
          { kind: 'foreign keys', actual: 1, expected: 1 },
          { kind: 'sequences', actual: 2, expected: 2 },
        ]);
        assert.deepEqual(report.rediff, { remaining: 0, lines: [] });
        const lines = renderValidationLines(report);
        assert.ok(lines.includes('objects: tables 2 / 2, views 2 / 2, functions 2 / 2, triggers 1 / 1, indexes 3 / 3, foreign keys 1 / 1, sequences 2 / 2'), lines.join('\n'));
        assert.ok(lines.includes('0 differences remain'), lines.join('\n'));
        assert.deepEqual(report.notes, []);
      });

      it('lists the differences that remain after the last phase, and none after an earlier one', async () => {
        await db().exec(SCHEMA);
        await to().exec(`${SCHEMA}
          CREATE TABLE audit (id int);
          ALTER TABLE "Customer" ADD COLUMN email text;
          DROP TRIGGER invoice_touch ON invoice;`);
        const v = validatorFor(c, { to: to() });
        await v.start(c);
        const early = await v.afterPhase(PHASE, c, false, [], false);
        assert.equal(early.rediff, undefined);
        assert.deepEqual(early.objects.filter((o) => o.actual !== o.expected), [
          { kind: 'tables', actual: 2, expected: 3 }, { kind: 'triggers', actual: 1, expected: 0 },
        ]);
        const report = await v.afterPhase({ ...PHASE, name: 'contract', index: 1 }, c, true, [], false);
        assert.equal(report.rediff?.remaining, 3);
        assert.deepEqual(report.rediff?.lines.map((l) => l.replace(/:.*/, '')), [
          'create table public.audit', 'create column public."Customer".email', 'drop trigger public.invoice.invoice_touch',
        ].sort(), report.rediff?.lines.join('\n'));
        const lines = renderValidationLines(report);
        assert.ok(lines.includes('3 differences remain:'), lines.join('\n'));
        assert.ok(lines.includes('objects: tables 2 / 3 (≠), views 2 / 2, functions 2 / 2, triggers 1 / 0 (≠), indexes 3 / 3, foreign keys 1 / 1, sequences 2 / 2'), lines.join('\n'));
      });

      it('the ERP plan with its remedies, rehearsed then run: kept tables unchanged, backups matching, objects equal, 0 differences remain', async function () {
      this.timeout(300_000);
      for (const [d, file] of [[db(), 'erp/from.sql'], [to(), 'erp/to.sql']] as const) {
        const loaded = await runPsql(d.url, fixtureSql(file));
        assert.ok(loaded.ok, loaded.firstError);
      }
      const from = await inspectDatabase(db());
      const desired = await inspectDatabase(to());
      const options = { casts: { 'public.OvertimeSettings.id': { invalid: 'map' as const, map: { default: 'gen_random_uuid()' } } } };
      const planned = planMigration(from.model, desired.model, options);
      const first = await analysePlan(planned, { from: from.model, to: desired.model, fingerprint: from.fingerprint, q: c });
      const accepts = blockingHazards(first.plan).map((h) => ({ code: h.code, object: acceptName(h.object), source: 'test' }));
      const { plan } = await analysePlan(planned, { from: from.model, to: desired.model, fingerprint: from.fingerprint, q: c, accepts });
      assert.deepEqual(blockingHazards(plan), []);

      const check = (report: PhaseValidation) => {
        const lines = renderValidationLines(report).join('\n');
        assert.deepEqual(report.tables.filter((t) => t.decreased), [], lines);
        const kept = from.model.tables.filter((t) => desired.model.tables.some((d) => d.id === t.id)).length;
        assert.equal(report.tables.filter((t) => t.before !== undefined && t.after !== undefined && t.before === t.after).length, kept, lines);
        assert.equal(report.backups.length, 15, lines);
        assert.deepEqual(report.backups.filter((b) => b.actual !== b.manifest), [], lines);
        assert.deepEqual(report.objects.filter((o) => o.actual !== o.expected), [], lines);
        assert.deepEqual(report.rediff, { remaining: 0, lines: [] }, lines);
        assert.deepEqual(report.notes, [], lines);
        assert.ok(lines.includes('0 differences remain'));
      };

      // Rehearsed: the whole plan in one transaction on this connection, validated inside it, rolled back.
      const rehearsal = validatorFor(c, { to: to() });
      await rehearsal.start(c);
      await c.query('BEGIN');
      await runInTransaction(c, plan);
      check(await rehearsal.afterPhase(PHASE, c, true, [], true));
      await c.query('ROLLBACK');
      assert.equal((await inspectDatabase(db())).fingerprint, from.fingerprint, 'the rehearsal left the target as it was');

      const run = validatorFor(c, { to: to() });
      await run.start(c);
      await applyPlan(db(), plan);
      check(await run.afterPhase(PHASE, c, true, [], false));
    });

    it('after a plan with backups: kept tables unchanged, backups matching their manifest, 0 differences; a changed backup is an error', async () => {
        await db().exec(`
          CREATE TABLE kept (id int PRIMARY KEY, x text, z int);
          INSERT INTO kept VALUES (1, 'a', 1), (2, NULL, 2), (3, 'b', 3);
          CREATE TABLE gone (v text);
          INSERT INTO gone VALUES ('p'), ('q');`);
        await to().exec('CREATE TABLE kept (id int PRIMARY KEY, z int);');
        const from = await inspectDatabase(db());
        const desired = await inspectDatabase(to());
        const accepts = [{ code: 'DL-02' as const, object: 'public.kept.x', source: 't' }, { code: 'DL-01' as const, object: 'public.gone', source: 't' }];
        const { plan } = await analysePlan(planMigration(from.model, desired.model), { from: from.model, to: desired.model, fingerprint: from.fingerprint, q: c, accepts });

        const v = validatorFor(c, { to: to() });
        await v.start(c);
        const none = await v.afterPhase(PHASE, c, false, [], false);
        assert.deepEqual(none.backups, [], 'no manifest: no backups');
        await applyPlan(db(), plan);
        const report = await v.afterPhase(PHASE, c, true, [], false);
        assert.deepEqual(report.tables, [
          { table: 'public.gone', before: 2, exact: true, decreased: false },
          { table: 'public.kept', before: 3, after: 3, exact: true, decreased: false },
        ], 'the backup schema is not counted as user tables');
        assert.deepEqual(report.backups.map((b) => [b.source, b.actual, b.manifest]), [['public.gone', 2, 2], ['public.kept.x', 2, 2]]);
        assert.match(report.backups[0]?.backup ?? '', /^pgdrift_backup\."public\.gone@[0-9a-f]{8}"$/);
        assert.deepEqual(report.rediff, { remaining: 0, lines: [] });
        assert.equal(report.objects.every((o) => o.actual === o.expected), true);

        const gone = report.backups[0]?.backup ?? '';
        await db().exec(`DELETE FROM ${gone} WHERE v = 'p'; DROP TABLE ${report.backups[1]?.backup ?? ''}`);
        const changed = await v.afterPhase(PHASE, c, false, [], false);
        assert.deepEqual(changed.backups.map((b) => [b.source, b.actual, b.manifest]), [['public.gone', 1, 2], ['public.kept.x', 0, 2]]);
        const lines = renderValidationLines(changed);
        assert.ok(lines.includes(`ERROR backup ${gone}: 1 / 2 rows (the manifest recorded 2)`), lines.join('\n'));
        assert.ok(changed.notes.some((n) => n.includes('is in the manifest but its table is gone')), changed.notes.join('\n'));
      });
    });

    it('inside a rehearsal\'s open transaction: sees its uncommitted changes and leaves it open, usable and as it was', async () => {
      await db().exec(`CREATE SCHEMA app; CREATE TABLE app.kept (id int); INSERT INTO app.kept VALUES (1), (2);`);
      const v = validatorFor(c);
      await v.start(c);
      await c.query('BEGIN');
      await c.query('SET LOCAL search_path = app, public');
      await c.query('SET LOCAL lock_timeout = 1234');
      await c.query('CREATE TABLE rehearsed (id int)');
      await c.query('INSERT INTO rehearsed VALUES (1), (2), (3)');
      await c.query('DELETE FROM kept WHERE id = 2');
      const report = await v.afterPhase(PHASE, c, true, [], true);
      assert.deepEqual(report.tables, [
        { table: 'app.kept', before: 2, after: 1, exact: true, decreased: true },
        { table: 'app.rehearsed', after: 3, exact: true, decreased: false },
      ]);
      assert.equal(report.objects.find((o) => o.kind === 'tables')?.actual, 2, 'the uncommitted table is in the schema read');
      assert.deepEqual(report.notes, []);
      // Still the same transaction, with its own settings.
      const settings = await c.query<{ path: string; lock: string; txn: boolean }>(
        "SELECT current_setting('search_path') AS path, current_setting('lock_timeout') AS lock, now() <> statement_timestamp() AS txn");
      assert.deepEqual(settings.rows[0], { path: 'app, public', lock: '1234ms', txn: true });
      await c.query('INSERT INTO rehearsed VALUES (4)');
      await c.query('ROLLBACK');
      const after = await c.query<{ t: string | null }>("SELECT to_regclass('app.rehearsed')::text AS t");
      assert.equal(after.rows[0]?.t, null, 'nothing was committed');
      const kept = await c.query<{ n: string }>('SELECT count(*)::text AS n FROM app.kept');
      assert.equal(kept.rows[0]?.n, '2');
    });

    it('inside a rehearsal: a check that fails becomes a note, and the transaction goes on', async () => {
      await db().exec(`
        CREATE SCHEMA pgdrift_backup;
        CREATE TABLE pgdrift_backup.manifest (backup text PRIMARY KEY, source text NOT NULL, hazard text NOT NULL, fingerprint text NOT NULL, rows bigint NOT NULL, saved_at timestamptz NOT NULL DEFAULT now());
        INSERT INTO pgdrift_backup.manifest (backup, source, hazard, fingerprint, rows) VALUES ('a.b.c.d', 'public.t', 'DL-01', 'sha256:0', 1);
        CREATE TABLE t (id int); INSERT INTO t VALUES (1);`);
      const v = validatorFor(c);
      await v.start(c);
      await c.query('BEGIN');
      await c.query('INSERT INTO t VALUES (2)');
      const report = await v.afterPhase(PHASE, c, false, [], true);
      assert.deepEqual(report.tables, [{ table: 'public.t', before: 1, after: 2, exact: true, decreased: false }]);
      // to_regclass raises on a name with too many dots: the backups' read fails, in its savepoint.
      assert.ok(report.notes.some((n) => /^backups could not be counted against pgdrift_backup\.manifest: .*too many dotted names/.test(n)), report.notes.join('\n'));
      const rows = await c.query<{ n: string }>('SELECT count(*)::text AS n FROM t');
      assert.equal(rows.rows[0]?.n, '2', 'the rehearsal\'s transaction is still usable');
      await c.query('ROLLBACK');
    });
  });
});

/** The plan's statements on `q`, inside the transaction the caller opened; its expectations checked. */
async function runInTransaction(q: PgConnection, plan: Plan): Promise<void> {
  await q.query('SET LOCAL check_function_bodies = off');
  for (const s of plan.statements) {
    assert.notEqual(s.transactional, false, `${s.sql} cannot run in a transaction`);
    const e = expectationOf(s);
    if (e) assert.equal((await checkExpectation(q, e)).ok, true, e.sql);
    else await q.query(s.sql);
  }
}
