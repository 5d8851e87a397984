import assert from 'node:assert/strict';
import { connectPg } from '../../../src/core/db/pgConnection';
import type { CastPolicy, DiffOptions } from '../../../src/core/diff/options';
import { measureHazards } from '../../../src/core/hazards/measure';
import { hazard, type Hazard, type HazardCode } from '../../../src/core/hazards/types';
import { planMigration } from '../../../src/core/plan';
import type { Plan } from '../../../src/core/plan/types';
import { applyPlan } from '../../support/applyPlan';
import { inspectDatabase } from '../../support/fixtures';
import { databaseOn, describeEachServer, type TestDatabase } from '../../support/servers';

const N = (value: number) => ({ value, capped: false });

/**
 * Plans from → to, with the from-database's server version in the options when asked (the way the
 * CLI passes it), and measures the plan on the from-database.
 */
async function plannedAndMeasured(from: TestDatabase, to: TestDatabase, options: Partial<DiffOptions> = {}, withVersion = false): Promise<Plan> {
  const inspection = await inspectDatabase(from);
  const version = withVersion ? { serverVersionNum: inspection.source.serverVersionNum } : {};
  const plan = planMigration(inspection.model, (await inspectDatabase(to)).model, { ...options, ...version });
  const connection = await connectPg(from.target);
  try {
    return await measureHazards(plan, connection);
  } finally {
    await connection.close();
  }
}

function hazardsOf(plan: Plan, ...codes: HazardCode[]): Hazard[] {
  return plan.statements.flatMap((s) => s.hazards ?? []).filter((h) => codes.includes(h.code))
    .sort((a, b) => a.object.localeCompare(b.object) || a.code.localeCompare(b.code));
}

function summary(h: Hazard): unknown[] {
  return [h.code, h.object, h.evidence, h.message];
}

async function remainingDifference(from: TestDatabase, to: TestDatabase): Promise<string[]> {
  const plan = planMigration((await inspectDatabase(from)).model, (await inspectDatabase(to)).model);
  return plan.statements.map((s) => s.sql);
}

const SETTINGS_FROM = `
  CREATE TABLE "OvertimeSettings" (id text PRIMARY KEY, "companyId" text);
  INSERT INTO "OvertimeSettings" VALUES
    ('default', '30000000-0000-4000-8000-000000000001'),
    ('7a9d6c1e-2f3b-4a5c-9d8e-1f2a3b4c5d6e', 'none'),
    ('{7a9d6c1e2f3b4a5c9d8e1f2a3b4c5d6f}', NULL);`;
const SETTINGS_TO = `CREATE TABLE "OvertimeSettings" (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), "companyId" uuid);`;
const ID = 'column:"public"."OvertimeSettings"."id"';
const COMPANY = 'column:"public"."OvertimeSettings"."companyId"';

describeEachServer('type-change hazards', ({ server, db }) => {
  let to: TestDatabase;
  beforeEach(async () => {
    to = await databaseOn(server);
  });
  afterEach(async () => {
    await to.drop();
  });

  for (const withVersion of [false, true]) {
    it(`FL-03 counts values that fail the cast, exactly (${withVersion ? 'version in the options' : 'no version in the options'})`, async () => {
      await db().exec(SETTINGS_FROM);
      await to.exec(SETTINGS_TO);
      const plan = await plannedAndMeasured(db(), to, {}, withVersion);
      const found = hazardsOf(plan, 'FL-03');
      assert.deepEqual(found.map(summary), [
        [COMPANY, { rows: N(3), failing: N(1), samples: ['none'] },
          `"public"."OvertimeSettings"."companyId": 1 value cannot be cast to uuid (e.g. 'none'); ALTER … TYPE fails.`],
        [ID, { rows: N(3), failing: N(1), samples: ['default'] },
          `"public"."OvertimeSettings"."id": 1 value cannot be cast to uuid (e.g. 'default'); ALTER … TYPE fails.`],
      ].map((x) => ['FL-03', ...x]));
      assert.deepEqual(found[1]?.target, { table: '"public"."OvertimeSettings"', column: '"id"', cast: { from: 'text', to: 'uuid' }, key: ['"id"'] });
      assert.equal(found[1]?.accepted, undefined);
    });
  }

  it('FL-03 on a type without a pattern: integers and dates (pg_input_is_valid on 16+, the try-cast before)', async () => {
    await db().exec(`CREATE TABLE t (id int PRIMARY KEY, n text, d varchar(20));
      INSERT INTO t VALUES (1, '12', '2024-01-31'), (2, ' 7 ', '2024-02-30'), (3, 'x1', 'soon'), (4, '99999999999', NULL), (5, NULL, '2024-03-01')`);
    await to.exec('CREATE TABLE t (id int PRIMARY KEY, n integer, d date)');
    const found = hazardsOf(await plannedAndMeasured(db(), to), 'FL-03');
    assert.deepEqual(found.map(summary), [
      ['FL-03', 'column:"public"."t"."d"', { rows: N(5), failing: N(2), samples: ['2024-02-30', 'soon'] },
        `"public"."t"."d": 2 values cannot be cast to date (e.g. '2024-02-30', 'soon'); ALTER … TYPE fails.`],
      ['FL-03', 'column:"public"."t"."n"', { rows: N(5), failing: N(2), samples: ['99999999999', 'x1'] },
        `"public"."t"."n": 2 values cannot be cast to integer (e.g. '99999999999', 'x1'); ALTER … TYPE fails.`],
    ]);
  });

  it('FL-03 to an enum the plan creates: values that are not labels; FL-15 names the recast default', async () => {
    await db().exec(`CREATE TABLE "Job" (id int PRIMARY KEY, status text NOT NULL DEFAULT 'open');
      INSERT INTO "Job" VALUES (1, 'open'), (2, 'closed'), (3, 'done'), (4, 'open')`);
    await to.exec(`CREATE TYPE "JobStatus" AS ENUM ('open', 'in_progress', 'closed', 'cancelled');
      CREATE TABLE "Job" (id int PRIMARY KEY, status "JobStatus" NOT NULL DEFAULT 'open')`);
    const plan = await plannedAndMeasured(db(), to);
    const [fl03, fl15] = hazardsOf(plan, 'FL-03', 'FL-15');
    assert.deepEqual(fl03 && summary(fl03), ['FL-03', 'column:"public"."Job"."status"', { rows: N(4), failing: N(1), samples: ['done'] },
      `"public"."Job"."status": 1 value cannot be cast to public."JobStatus" (e.g. 'done'); ALTER … TYPE fails.`]);
    assert.equal(fl03?.target?.where, `t."status" IS NOT NULL AND NOT t."status"::text = ANY (ARRAY['open', 'in_progress', 'closed', 'cancelled']::text[])`);
    assert.deepEqual([fl15?.code, fl15?.object, fl15?.accepted, fl15?.remedy], ['FL-15', 'column:"public"."Job"."status"', 'policy', `default recast: 'open'::text → 'open'::"JobStatus"`]);
    await db().exec(`UPDATE "Job" SET status = 'closed' WHERE status = 'done'`);
    await applyPlan(db(), plan);
    assert.deepEqual(await remainingDifference(db(), to), []);
  });

  it('null on a type without a pattern: the plan brings its own try-cast before PostgreSQL 16', async () => {
    await db().exec(`CREATE TABLE n (id int PRIMARY KEY, v text); INSERT INTO n VALUES (1, '12'), (2, 'twelve'), (3, NULL)`);
    await to.exec('CREATE TABLE n (id int PRIMARY KEY, v integer)');
    const plan = await plannedAndMeasured(db(), to, { casts: { 'public.n.v': { invalid: 'null' } } });
    const v = hazardsOf(plan, 'FL-03').find((h) => h.object === 'column:"public"."n"."v"');
    assert.deepEqual(v?.evidence, { rows: N(3), failing: N(0), values: N(1), samples: ['twelve'] });
    await applyPlan(db(), plan);
    assert.deepEqual(await db().query('SELECT id, v FROM n ORDER BY id'), [{ id: 1, v: 12 }, { id: 2, v: null }, { id: 3, v: null }]);
    assert.deepEqual((await remainingDifference(db(), to)).filter((sql) => sql.includes('"n"')), []);
  });

  it('FL-03 reports all values castable when none fails', async () => {
    await db().exec(`CREATE TABLE t (id int PRIMARY KEY, u text); INSERT INTO t VALUES (1, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'), (2, NULL)`);
    await to.exec('CREATE TABLE t (id int PRIMARY KEY, u uuid)');
    const [fl03] = hazardsOf(await plannedAndMeasured(db(), to), 'FL-03');
    assert.deepEqual(fl03 && summary(fl03), ['FL-03', 'column:"public"."t"."u"', { rows: N(2), failing: N(0), samples: [] }, '"public"."t"."u": all 1 value cast to uuid.']);
  });

  it('FL-15: a default that cannot be cast is dropped first and replaced', async () => {
    await db().exec(`CREATE TABLE t (id int PRIMARY KEY, u text DEFAULT 'default')`);
    await to.exec('CREATE TABLE t (id int PRIMARY KEY, u uuid DEFAULT gen_random_uuid())');
    const [fl15] = hazardsOf(await plannedAndMeasured(db(), to), 'FL-15');
    assert.deepEqual([fl15?.object, fl15?.message, fl15?.accepted, fl15?.remedy], ['column:"public"."t"."u"',
      `"public"."t"."u": default 'default'::text cannot be cast to uuid; the plan drops it before the type change and sets gen_random_uuid() after.`,
      'policy', `default replaced: 'default'::text → gen_random_uuid()`]);
  });

  it('FL-04: values a narrower type cannot hold; the plan leaves USING out so PostgreSQL refuses instead of cutting', async () => {
    await db().exec(`CREATE TABLE t (id int PRIMARY KEY, s varchar(10), b bigint, n numeric(8,2));
      INSERT INTO t VALUES (1, 'abcdefgh', 3000000000, 123456.78), (2, 'abc    ', 5, 99.995), (3, 'abcdefghij', -3000000000, 12.5)`);
    await to.exec('CREATE TABLE t (id int PRIMARY KEY, s varchar(5), b integer, n numeric(4,2))');
    const plan = await plannedAndMeasured(db(), to);
    assert.ok(plan.statements.some((s) => s.sql === 'ALTER TABLE "public"."t" ALTER COLUMN "s" TYPE character varying(5)'), plan.statements.map((s) => s.sql).join('\n'));
    assert.deepEqual(hazardsOf(plan, 'FL-04').map(summary), [
      ['FL-04', 'column:"public"."t"."b"', { rows: N(3), failing: N(2), samples: ['-3000000000', '3000000000'] },
        `"public"."t"."b": 2 values do not fit integer (e.g. '-3000000000', '3000000000'); ALTER … TYPE fails.`],
      ['FL-04', 'column:"public"."t"."n"', { rows: N(3), failing: N(2), samples: ['100.00', '123456.78'] },
        `"public"."t"."n": 2 values do not fit numeric(4,2) (e.g. '100.00', '123456.78'); ALTER … TYPE fails.`],
      ['FL-04', 'column:"public"."t"."s"', { rows: N(3), failing: N(2), samples: ['abcdefgh', 'abcdefghij'] },
        `"public"."t"."s": 2 values do not fit character varying(5) (e.g. 'abcdefgh', 'abcdefghij'); ALTER … TYPE fails.`],
    ]);
  });

  it('DL-08: values a cast rounds without an error', async () => {
    await db().exec(`CREATE TABLE t (id int PRIMARY KEY, n numeric(10,4), f double precision);
      INSERT INTO t VALUES (1, 1.2345, 2.5), (2, 1.5, 3), (3, NULL, -0.25)`);
    await to.exec('CREATE TABLE t (id int PRIMARY KEY, n numeric(10,2), f integer)');
    assert.deepEqual(hazardsOf(await plannedAndMeasured(db(), to), 'DL-08').map(summary), [
      ['DL-08', 'column:"public"."t"."f"', { rows: N(3), failing: N(2), samples: ['-0.25', '2.5'] },
        `"public"."t"."f": 2 values would be rounded or cut when cast to integer (e.g. '-0.25', '2.5'); nothing reports it.`],
      ['DL-08', 'column:"public"."t"."n"', { rows: N(3), failing: N(1), samples: ['1.2345'] },
        `"public"."t"."n": 1 value would be rounded or cut when cast to numeric(10,2) (e.g. '1.2345'); nothing reports it.`],
    ]);
  });

  it('FL-04 and DL-08 targets that name only the cast (as pgdrift check writes them) are measured too', async () => {
    await db().exec(`CREATE TABLE t (id int PRIMARY KEY, s text, n numeric); INSERT INTO t VALUES (1, 'abcdef', 1.005), (2, 'ab', 2)`);
    const target = (column: string, to: string) => ({ table: '"public"."t"', column, cast: { from: column === '"s"' ? 'text' : 'numeric', to } });
    const plan: Plan = {
      changes: [],
      statements: [{
        sql: 'SELECT 1', object: 'table:"public"."t"', action: 'alter', phase: 'expand', change: 'table:"public"."t"',
        hazards: [hazard('FL-04', 'column:"public"."t"."s"', 'static', target('"s"', 'character varying(3)')), hazard('DL-08', 'column:"public"."t"."n"', 'static', target('"n"', 'numeric(6,2)'))],
      }],
    };
    const connection = await connectPg(db().target);
    try {
      const measured = (await measureHazards(plan, connection)).statements[0]?.hazards ?? [];
      assert.deepEqual(measured.map((h) => [h.code, h.evidence]), [
        ['FL-04', { rows: N(2), failing: N(1), samples: ['abcdef'] }],
        ['DL-08', { rows: N(2), failing: N(1), samples: ['1.005'] }],
      ]);
    } finally {
      await connection.close();
    }
  });

  it('DL-09: rows using an enum value the rebuild removes, array columns included', async () => {
    await db().exec(`CREATE TYPE st AS ENUM ('new', 'shipped', 'lost', 'done');
      CREATE TABLE orders (id int PRIMARY KEY, status st, history st[]);
      INSERT INTO orders VALUES (1, 'shipped', '{new}'), (2, 'shipped', '{new,lost}'), (3, 'done', NULL), (4, 'shipped', '{}')`);
    await to.exec(`CREATE TYPE st AS ENUM ('new', 'done');
      CREATE TABLE orders (id int PRIMARY KEY, status st, history st[])`);
    const found = hazardsOf(await plannedAndMeasured(db(), to), 'DL-09');
    assert.deepEqual(found.map(summary), [
      ['DL-09', 'column:"public"."orders"."history"', { rows: N(4), failing: N(1), samples: ['{new,lost}'] },
        `"public"."orders"."history" uses removed value '{new,lost}' in 1 row; the rebuild fails.`],
      ['DL-09', 'column:"public"."orders"."status"', { rows: N(4), failing: N(3), samples: ['shipped'] },
        `"public"."orders"."status" uses removed value 'shipped' in 3 rows; the rebuild fails.`],
    ]);
    assert.equal(found[1]?.target?.where, `t."status"::text IN ('shipped', 'lost')`);
  });
});

describeEachServer('cast policies, applied', ({ server, db }) => {
  let to: TestDatabase;
  beforeEach(async () => {
    to = await databaseOn(server);
    await db().exec(SETTINGS_FROM);
    await to.exec(SETTINGS_TO);
  });
  afterEach(async () => {
    await to.drop();
  });

  const policies = (id: CastPolicy, company: CastPolicy): Partial<DiffOptions> => ({
    casts: { 'public.OvertimeSettings.id': id, 'public.OvertimeSettings.companyId': company },
  });

  async function rows(): Promise<{ id: string; companyId: string | null }[]> {
    return db().query('SELECT id::text AS id, "companyId"::text AS "companyId" FROM "OvertimeSettings" ORDER BY "companyId" NULLS LAST, id');
  }

  for (const withVersion of [false, true]) {
    it(`null: invalid values become NULL, valid ones are cast (${withVersion ? 'version in the options' : 'no version'})`, async () => {
      const plan = await plannedAndMeasured(db(), to, policies({ invalid: 'map', map: { default: 'gen_random_uuid()' } }, { invalid: 'null' }), withVersion);
      const company = hazardsOf(plan, 'FL-03').find((h) => h.object === COMPANY);
      assert.equal(company?.accepted, 'policy');
      assert.equal(company?.remedy, 'Values that cannot be cast to uuid become NULL.');
      assert.deepEqual(company?.evidence, { rows: N(3), failing: N(0), values: N(1), samples: ['none'] });
      assert.equal(company?.message, `"public"."OvertimeSettings"."companyId": the cast policy rewrites 1 value (e.g. 'none'): values that cannot be cast to uuid become NULL. Every other value casts to uuid.`);
      const [{ n }] = await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM "OvertimeSettings" t WHERE ${company?.target?.where ?? 'false'}`) as [{ n: number }];
      assert.equal(n, 1);
      await applyPlan(db(), plan);
      assert.deepEqual((await rows()).map((r) => r.companyId), ['30000000-0000-4000-8000-000000000001', null, null]);
      assert.deepEqual(await remainingDifference(db(), to), []);
    });
  }

  it('map: the listed value becomes the expression, the other values are cast', async () => {
    const plan = await plannedAndMeasured(db(), to, policies({ invalid: 'map', map: { default: 'gen_random_uuid()' } }, { invalid: 'null' }));
    const id = hazardsOf(plan, 'FL-03').find((h) => h.object === ID);
    assert.deepEqual([id?.accepted, id?.remedy, id?.target?.where], ['policy', `'default' becomes gen_random_uuid().`, `t."id"::text IN ('default')`]);
    assert.deepEqual(id?.evidence, { rows: N(3), failing: N(0), values: N(1), samples: ['default'] });
    const before = await rows();
    await applyPlan(db(), plan);
    const after = await rows();
    assert.equal(after.length, 3);
    assert.ok(!after.some((r) => r.id === 'default'));
    assert.ok(after.some((r) => r.id === '7a9d6c1e-2f3b-4a5c-9d8e-1f2a3b4c5d6e'));
    assert.ok(after.some((r) => r.id === '7a9d6c1e-2f3b-4a5c-9d8e-1f2a3b4c5d6f'));
    assert.match(after[0]?.id ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(before.length, 3);
    assert.deepEqual(await remainingDifference(db(), to), []);
  });

  it('map: a value neither listed nor castable still fails, and the measure says so', async () => {
    await db().exec(`INSERT INTO "OvertimeSettings" VALUES ('legacy', NULL)`);
    const plan = await plannedAndMeasured(db(), to, policies({ invalid: 'map', map: { default: 'gen_random_uuid()' } }, { invalid: 'null' }));
    const id = hazardsOf(plan, 'FL-03').find((h) => h.object === ID);
    assert.deepEqual(id?.evidence, { rows: N(4), failing: N(1), values: N(1), samples: ['legacy'] });
    assert.equal(id?.message, `"public"."OvertimeSettings"."id": 1 value cannot be cast to uuid and the cast policy does not cover it (e.g. 'legacy'); ALTER … TYPE fails.`);
  });

  it('fail (the default): the plan casts plainly and applying it fails on the invalid value', async () => {
    const plan = await plannedAndMeasured(db(), to, policies({ invalid: 'fail' }, { invalid: 'fail' }));
    assert.ok(hazardsOf(plan, 'FL-03').every((h) => h.accepted === undefined && h.target?.where === undefined));
    await assert.rejects(applyPlan(db(), plan), /invalid input syntax for type uuid/);
  });
});

describeEachServer('online NOT NULL', ({ server, db }) => {
  it('adds a NOT VALID check, validates it in the validate phase, then sets NOT NULL and drops the check', async () => {
    const to = await databaseOn(server);
    try {
      await db().exec('CREATE TABLE t (id int PRIMARY KEY, n int); INSERT INTO t VALUES (1, 1), (2, NULL)');
      await to.exec('CREATE TABLE t (id int PRIMARY KEY, n int NOT NULL)');
      const plan = await plannedAndMeasured(db(), to, { online: true });
      assert.deepEqual(plan.statements.map((s) => [s.phase, s.sql]), [
        ['expand', 'ALTER TABLE "public"."t" ADD CONSTRAINT "pgdrift_n_not_null" CHECK ("n" IS NOT NULL) NOT VALID'],
        ['validate', 'ALTER TABLE "public"."t" VALIDATE CONSTRAINT "pgdrift_n_not_null"'],
        ['validate', 'ALTER TABLE "public"."t" ALTER COLUMN "n" SET NOT NULL'],
        ['validate', 'ALTER TABLE "public"."t" DROP CONSTRAINT "pgdrift_n_not_null"'],
      ]);
      const [fl02] = hazardsOf(plan, 'FL-02', 'LK-04');
      assert.deepEqual(fl02 && summary(fl02), ['FL-02', 'column:"public"."t"."n"', { rows: N(2), nulls: N(1) }, 'SET NOT NULL on "public"."t"."n" fails: 1 row holds NULL.']);
      await db().exec('UPDATE t SET n = 0 WHERE n IS NULL');
      await applyPlan(db(), plan);
      assert.deepEqual(await remainingDifference(db(), to), []);
    } finally {
      await to.drop();
    }
  });
});
