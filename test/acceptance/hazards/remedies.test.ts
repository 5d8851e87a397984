// Remedies that follow from measurements: the backup phase saves exactly what the plan destroys,
// preflight expectations stop a plan whose data changed since it was measured, and validate
// expectations check the counts the run leaves.
import { strict as assert } from 'node:assert';
import { connectPg } from '../../../src/core/db/pgConnection';
import { analysePlan } from '../../../src/core/hazards/analyse';
import { backupTableName } from '../../../src/core/hazards/remedies';
import { planMigration } from '../../../src/core/plan';
import { PHASES, type Plan } from '../../../src/core/plan/types';
import { applyPlan, PlanApplyError } from '../../support/applyPlan';
import { inspectDatabase } from '../../support/fixtures';
import { databaseOn, describeEachServer, type TestDatabase } from '../../support/servers';

const FROM = `
  CREATE TABLE kept (id int PRIMARY KEY, x text, y text, z int);
  INSERT INTO kept VALUES (1, 'a', NULL, 1), (2, NULL, NULL, 2), (3, 'b', NULL, 3);
  CREATE TABLE gone (v text);
  INSERT INTO gone VALUES ('p'), ('q');`;
const TO = 'CREATE TABLE kept (id int PRIMARY KEY, z int);';

describeEachServer('remedies: backup, preflight and validate', ({ server, db }) => {
  let to: TestDatabase;
  beforeEach(async () => {
    to = await databaseOn(server);
    await db().exec(FROM);
    await to.exec(TO);
  });
  afterEach(async () => {
    await to.drop();
  });

  async function plan(): Promise<{ plan: Plan; fingerprint: string }> {
    const from = await inspectDatabase(db());
    const desired = await inspectDatabase(to);
    const q = await connectPg(db().target);
    try {
      const accepts = [{ code: 'DL-02' as const, object: 'public.kept.x', source: 't' }, { code: 'DL-01' as const, object: 'public.gone', source: 't' }];
      const planned = planMigration(from.model, desired.model);
      const result = await analysePlan(planned, { from: from.model, to: desired.model, fingerprint: from.fingerprint, q, accepts });
      return { plan: result.plan, fingerprint: from.fingerprint };
    } finally {
      await q.close();
    }
  }

  it('saves the dropped values with their key and the dropped rows, records them, and checks the counts', async () => {
    const { plan: p, fingerprint } = await plan();
    const backup = p.statements.filter((s) => s.phase === 'backup');
    assert.deepEqual(backup.filter((s) => s.sql.startsWith('CREATE TABLE IF NOT EXISTS pgdrift_backup."')).map((s) => s.sql), [
      `CREATE TABLE IF NOT EXISTS pgdrift_backup."${backupTableName('public.kept.x', fingerprint)}" AS SELECT t."id", t."x" FROM "public"."kept" t WHERE t."x" IS NOT NULL`,
      `CREATE TABLE IF NOT EXISTS pgdrift_backup."${backupTableName('public.gone', fingerprint)}" AS SELECT * FROM "public"."gone"`,
    ], 'y is all NULL: nothing to save');
    assert.deepEqual(backup.filter((s) => s.expect).map((s) => s.expect), [{ op: '=', value: 2 }, { op: '=', value: 2 }]);
    await applyPlan(db(), p);
    const saved = await db().query<{ id: number; x: string }>(`SELECT id, x FROM pgdrift_backup."${backupTableName('public.kept.x', fingerprint)}" ORDER BY id`);
    assert.deepEqual(saved, [{ id: 1, x: 'a' }, { id: 3, x: 'b' }]);
    const manifest = await db().query<{ source: string; hazard: string; rows: string }>('SELECT source, hazard, rows::text FROM pgdrift_backup.manifest ORDER BY source');
    assert.deepEqual(manifest, [{ source: 'public.gone', hazard: 'DL-01', rows: '2' }, { source: 'public.kept.x', hazard: 'DL-02', rows: '2' }]);
    const validated = p.statements.filter((s) => s.phase === 'validate' && s.object === 'table:"public"."kept"');
    assert.deepEqual(validated.map((s) => [s.sql, s.expect]), [['SELECT count(*) FROM "public"."kept"', { op: '=', value: 3 }]]);
    // The backup schema is no part of the schema: the re-diff does not see it.
    assert.equal((await inspectDatabase(db())).model.schemas.some((s) => s.name === 'pgdrift_backup'), false);
  });

  it('the backup phase can run twice (a re-run after a later failure) without error or duplicates', async () => {
    const { plan: p } = await plan();
    const backupOnly = { ...p, statements: p.statements.filter((s) => s.phase === 'backup') };
    await applyPlan(db(), backupOnly);
    await applyPlan(db(), backupOnly);
    const manifest = await db().query<{ n: string }>('SELECT count(*) AS n FROM pgdrift_backup.manifest');
    assert.equal(manifest[0]?.n, '2');
  });

  it('stops before changing anything when the data no longer matches what was measured', async () => {
    const { plan: p } = await plan();
    assert.ok(p.statements.some((s) => s.phase === 'preflight' && s.expect && s.sql.includes('t."y" IS NOT NULL')));
    await db().exec(`UPDATE kept SET y = 'new since the plan' WHERE id = 2`);
    await assert.rejects(applyPlan(db(), p), (e: unknown) => e instanceof PlanApplyError && /t\."y" IS NOT NULL/.test(e.statement) && /got 1/.test(e.serverError));
    const columns = await db().query<{ n: string }>(`SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'kept'`);
    assert.equal(columns[0]?.n, '4', 'nothing ran');
  });

  it('a null cast policy: the values it rewrites are backed up first (before 16 through the try-cast function, created before the backup), the rest cast', async () => {
    const from = await databaseOn(server);
    const desired = await databaseOn(server);
    try {
      await from.exec(`CREATE TABLE m (id int PRIMARY KEY, n text); INSERT INTO m VALUES (1, '12'), (2, 'twelve'), (3, NULL), (4, '7x');`);
      await desired.exec('CREATE TABLE m (id int PRIMARY KEY, n int);');
      const a = await inspectDatabase(from);
      const b = await inspectDatabase(desired);
      const q = await connectPg(from.target);
      let p: Plan;
      try {
        const planned = planMigration(a.model, b.model, { casts: { 'public.m.n': { invalid: 'null' } }, serverVersionNum: a.source.serverVersionNum });
        p = (await analysePlan(planned, { from: a.model, to: b.model, fingerprint: a.fingerprint, q })).plan;
      } finally {
        await q.close();
      }
      const phases = p.statements.map((s) => s.phase);
      assert.deepEqual(phases, [...phases].sort((x, y) => PHASES.indexOf(x) - PHASES.indexOf(y)), 'phases in order');
      const fl03 = p.statements.flatMap((s) => s.hazards ?? []).find((h) => h.code === 'FL-03');
      assert.equal(fl03?.accepted, 'policy');
      assert.match(fl03?.remedy ?? '', /[^.]; backed up first: the rows concerned into pgdrift_backup\./);
      await applyPlan(from, p);
      const name = backupTableName('public.m.n', a.fingerprint);
      assert.deepEqual(await from.query(`SELECT id, n FROM pgdrift_backup."${name}" ORDER BY id`), [{ id: 2, n: 'twelve' }, { id: 4, n: '7x' }]);
      assert.deepEqual(await from.query('SELECT id, n FROM m ORDER BY id'), [{ id: 1, n: 12 }, { id: 2, n: null }, { id: 3, n: null }, { id: 4, n: null }]);
    } finally {
      await from.drop();
      await desired.drop();
    }
  });

  it('names backups within 63 bytes, uniquely per source and fingerprint', () => {
    const fp = 'sha256:0123456789abcdef';
    assert.equal(backupTableName('public.t.c', fp), 'public.t.c@01234567');
    const long = `public.${'a'.repeat(60)}.c1`;
    const other = `public.${'a'.repeat(60)}.c2`;
    assert.ok(Buffer.byteLength(backupTableName(long, fp)) <= 63);
    assert.notEqual(backupTableName(long, fp), backupTableName(other, fp));
  });
});
