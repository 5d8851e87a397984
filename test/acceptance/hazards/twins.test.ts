// Twin columns (DL-05): the plan copies the old twin's values into the kept one before dropping
// it, in the order add → copy → SET NOT NULL → drop; the measure counts what is copied and what
// disagrees; applying the plan converges and the values survive.
import assert from 'node:assert/strict';
import { connectPg } from '../../../src/core/db/pgConnection';
import { isBlocking } from '../../../src/core/hazards/accept';
import { measureHazards } from '../../../src/core/hazards/measure';
import type { Hazard } from '../../../src/core/hazards/types';
import { planMigration } from '../../../src/core/plan';
import type { Plan } from '../../../src/core/plan/types';
import { applyPlan } from '../../support/applyPlan';
import { fixtureSql, inspectDatabase } from '../../support/fixtures';
import { databaseOn, describeEachServer, type TestDatabase } from '../../support/servers';

// Modelled on the ERP's TimeTrackingSettings (test/fixtures/erp): lower-case legacy columns, the
// desired state has their camelCase twins, "companyId" NOT NULL without a default, "createdAt"
// NOT NULL with one.
const FROM_A = `
  CREATE TABLE "TimeTrackingSettings" (
    id uuid PRIMARY KEY,
    companyid uuid,
    createdat timestamp DEFAULT now(),
    maxdailyhours integer,
    note varchar(20));
  CREATE INDEX tts_company ON "TimeTrackingSettings" (companyid);
  INSERT INTO "TimeTrackingSettings" VALUES
    ('10000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001', '2024-01-02 03:04:05', 14, 'a');`;
const TO_A = `
  CREATE TABLE "TimeTrackingSettings" (
    id uuid PRIMARY KEY,
    "companyId" uuid NOT NULL,
    "createdAt" timestamp NOT NULL DEFAULT now(),
    "maxDailyHours" bigint,
    note text);
  CREATE INDEX tts_company ON "TimeTrackingSettings" ("companyId");`;

// Case (b): both twins exist in from, the desired state keeps "companyId".
const FROM_B = `
  CREATE TABLE emp (id int PRIMARY KEY, companyid int, "companyId" int);
  INSERT INTO emp VALUES (1, 10, NULL), (2, 20, 20), (3, 30, 31), (4, NULL, NULL), (5, NULL, 50);`;
const TO_B = 'CREATE TABLE emp (id int PRIMARY KEY, "companyId" int);';

async function plan(from: TestDatabase, to: TestDatabase): Promise<Plan> {
  return planMigration((await inspectDatabase(from)).model, (await inspectDatabase(to)).model);
}

async function measured(p: Plan, db: TestDatabase): Promise<Hazard[]> {
  const connection = await connectPg(db.target);
  try {
    return (await measureHazards(p, connection)).statements.flatMap((s) => s.hazards ?? []);
  } finally {
    await connection.close();
  }
}

async function converges(from: TestDatabase, to: TestDatabase, p: Plan): Promise<void> {
  await applyPlan(from, p);
  const again = await plan(from, to);
  assert.deepEqual(again.changes.map((c) => `${c.action} ${c.id}`), []);
}

describeEachServer('twin columns (DL-05)', ({ server, db }) => {
  let to: TestDatabase;
  beforeEach(async () => {
    to = await databaseOn(server);
  });
  afterEach(async () => {
    await to.drop();
  });

  it('case a: adds the new twin, copies, sets NOT NULL, then drops the old one', async () => {
    await db().exec(FROM_A);
    await to.exec(TO_A);
    const p = await plan(db(), to);
    const sql = p.statements.map((s) => `${s.phase}: ${s.sql}`);
    const at = (text: string) => {
      const i = sql.findIndex((s) => s.includes(text));
      assert.ok(i >= 0, `no statement with ${text}:\n${sql.join('\n')}`);
      return i;
    };
    // Added nullable: existing rows have no value yet.
    const add = at('ADD COLUMN "companyId" uuid');
    assert.ok(!sql[add]?.includes('NOT NULL'), sql[add]);
    const copy = at('migrate-data: UPDATE "public"."TimeTrackingSettings" SET "companyId" = "companyid" WHERE "companyId" IS NULL AND "companyid" IS NOT NULL');
    const notNull = at('migrate-data: ALTER TABLE "public"."TimeTrackingSettings" ALTER COLUMN "companyId" SET NOT NULL');
    const drop = at('contract: ALTER TABLE "public"."TimeTrackingSettings" DROP COLUMN "companyid"');
    assert.ok(add < copy && copy < notNull && notNull < drop, sql.join('\n'));
    // A column with a default is filled by ADD COLUMN: the old values overwrite the default.
    at('UPDATE "public"."TimeTrackingSettings" SET "createdAt" = "createdat" WHERE "createdat" IS NOT NULL');
    // Widening and text types are cast.
    at('SET "maxDailyHours" = "maxdailyhours"::bigint WHERE');
    assert.ok(!sql.some((s) => s.includes('SET "note"')), 'note keeps its name: no copy');
    assert.equal(p.statements.filter((s) => s.hazards?.some((h) => h.code === 'DL-02')).length, 0, 'no plain DL-02 left');

    const hazards = await measured(p, db());
    const dl05 = hazards.find((h) => h.code === 'DL-05' && h.object === 'column:"public"."TimeTrackingSettings"."companyid"');
    assert.deepEqual(dl05?.target, { table: '"public"."TimeTrackingSettings"', column: '"companyid"', where: 't."companyid" IS NOT NULL', copyInto: '"companyId"', key: ['"id"'] });
    assert.equal(dl05?.remedy, 'copied into "companyId" before the drop');
    assert.deepEqual(dl05?.evidence, { toCopy: { value: 1, capped: false }, conflicts: { value: 0, capped: false }, samples: [] });
    assert.equal(dl05?.message, '"public"."TimeTrackingSettings"."companyid": 1 value copied into "companyId" before the drop; none disagree.');
    assert.equal(isBlocking(dl05 as Hazard), false);
    const fl02 = hazards.find((h) => h.code === 'FL-02' && h.object === 'column:"public"."TimeTrackingSettings"."companyId"');
    assert.deepEqual(fl02?.target?.where, 't."companyid" IS NULL');
    assert.deepEqual(fl02?.evidence?.nulls, { value: 0, capped: false });

    await converges(db(), to, p);
    const rows = await db().query<{ c: string; d: string; h: string; idx: string }>(
      `SELECT "companyId"::text AS c, "createdAt"::text AS d, "maxDailyHours"::text AS h,
        (SELECT pg_get_indexdef('tts_company'::regclass)) AS idx FROM "TimeTrackingSettings"`);
    assert.deepEqual(rows.map((r) => [r.c, r.d, r.h]), [['30000000-0000-4000-8000-000000000001', '2024-01-02 03:04:05', '14']]);
    assert.match(rows[0]?.idx ?? '', /\("companyId"\)/);
  });

  it('case b: fills the kept twin where it is NULL, and counts the values that disagree', async () => {
    await db().exec(FROM_B);
    await to.exec(TO_B);
    const p = await plan(db(), to);
    const sql = p.statements.map((s) => `${s.phase}: ${s.sql}`);
    assert.deepEqual(sql, [
      'migrate-data: UPDATE "public"."emp" SET "companyId" = "companyid" WHERE "companyId" IS NULL AND "companyid" IS NOT NULL',
      'contract: ALTER TABLE "public"."emp" DROP COLUMN "companyid"',
    ]);
    const dl05 = (await measured(p, db())).find((h) => h.code === 'DL-05');
    assert.deepEqual(dl05?.evidence, { toCopy: { value: 1, capped: false }, conflicts: { value: 1, capped: false }, samples: ['30 ≠ 31'] });
    assert.equal(dl05?.message, '"public"."emp"."companyid": 1 value copied into "companyId" before the drop; 1 disagrees and would be lost (e.g. 30 ≠ 31).');
    assert.equal(isBlocking(dl05 as Hazard), true);

    await converges(db(), to, p);
    const rows = await db().query<{ id: number; c: number | null }>('SELECT id, "companyId" AS c FROM emp ORDER BY id');
    assert.deepEqual(rows.map((r) => [r.id, r.c]), [[1, 10], [2, 20], [3, 31], [4, null], [5, 50]]);
  });

  it('case b with NOT NULL desired: SET NOT NULL waits for the copy and counts rows where both are NULL', async () => {
    await db().exec(FROM_B);
    await to.exec('CREATE TABLE emp (id int PRIMARY KEY, "companyId" int NOT NULL);');
    const p = await plan(db(), to);
    const sql = p.statements.map((s) => `${s.phase}: ${s.sql}`);
    const copy = sql.findIndex((s) => s.startsWith('migrate-data: UPDATE'));
    const notNull = sql.findIndex((s) => s.endsWith('SET NOT NULL'));
    assert.ok(copy >= 0 && notNull > copy, sql.join('\n'));
    const fl02 = (await measured(p, db())).find((h) => h.code === 'FL-02');
    assert.equal(fl02?.target?.where, 't."companyId" IS NULL AND t."companyid" IS NULL');
    assert.deepEqual(fl02?.evidence?.nulls, { value: 1, capped: false });
  });

  it('ERP with its production rows: TimeTrackingSettings keeps its values through the camelCase twins', async () => {
    await db().exec(fixtureSql('erp/from.sql'));
    await to.exec(fixtureSql('erp/to.sql'));
    const hazards = (await measured(await plan(db(), to), db())).filter((h) => h.object.startsWith('column:"public"."TimeTrackingSettings"'));
    assert.deepEqual(hazards.filter((h) => h.code === 'DL-05').map((h) => h.message), [
      '"public"."TimeTrackingSettings"."companyid": 1 value copied into "companyId" before the drop; none disagree.',
      '"public"."TimeTrackingSettings"."createdat": 1 value copied into "createdAt" before the drop; none disagree.',
      '"public"."TimeTrackingSettings"."overtimethreshold": 1 value copied into "overtimeThreshold" before the drop; none disagree.',
      '"public"."TimeTrackingSettings"."updatedat": 1 value copied into "updatedAt" before the drop; none disagree.',
    ]);
    assert.deepEqual(hazards.filter((h) => h.code === 'FL-02').map((h) => [h.object, h.evidence?.nulls?.value]), [['column:"public"."TimeTrackingSettings"."companyId"', 0]]);
    assert.ok(hazards.filter((h) => h.code === 'DL-05').every((h) => !isBlocking(h)));
  });

  it('leaves columns alone whose types are not close (text → uuid is a cast that can fail)', async () => {
    await db().exec('CREATE TABLE t (id int PRIMARY KEY, companyid text)');
    await to.exec('CREATE TABLE t (id int PRIMARY KEY, "companyId" uuid)');
    const p = await plan(db(), to);
    assert.deepEqual(p.statements.flatMap((s) => s.hazards ?? []).filter((h) => h.code.startsWith('DL')).map((h) => h.code), ['DL-02']);
    assert.ok(!p.statements.some((s) => s.phase === 'migrate-data'));
  });
});
