// The ERP pair with its production rows (test/fixtures/erp): what the plan reports, measured on the
// from-database, and, with the remedies chosen, a plan that applies on a copy of it without losing
// a row: kept tables keep their row counts, the backup schema holds every dropped value, and a
// re-diff against the desired database is empty.
import { strict as assert } from 'node:assert';
import { connectPg } from '../../../src/core/db/pgConnection';
import { acceptName, blockingHazards, type Accept } from '../../../src/core/hazards/accept';
import { analysePlan } from '../../../src/core/hazards/analyse';
import type { Hazard } from '../../../src/core/hazards/types';
import type { DiffOptions } from '../../../src/core/diff/options';
import { quoteIdent } from '../../../src/core/model/ids';
import type { Inspection } from '../../../src/core/model/types';
import { planMigration } from '../../../src/core/plan';
import type { Plan } from '../../../src/core/plan/types';
import { applyPlan } from '../../support/applyPlan';
import { fixtureSql, inspectDatabase } from '../../support/fixtures';
import { modelDifferences } from '../../support/modelDifference';
import { runPsql } from '../../support/psql';
import { databaseOn, describeEachServer, type TestDatabase } from '../../support/servers';

const LEGACY = ['autoCalculateOvertime', 'dailyRegularHours', 'doubleTimeMultiplier', 'overtimeMode', 'overtimeMultiplier', 'payPeriodType', 'weekStartDay', 'weeklyRegularHours'];
const NULL_ONLY = [
  'TimeEntry.editapprovedat', 'TimeEntry.editapprovedby', 'TimeEntry.editrequest', 'TimeEntry.editrequestedat',
  'FileAttachment.cdnurl', 'FileAttachment.s3bucket', 'FileAttachment.s3key',
];
/** Lower-case columns of TimeTrackingSettings whose camelCase twin the desired state keeps. */
const TWINS: [string, string][] = [['companyid', 'companyId'], ['createdat', 'createdAt'], ['overtimethreshold', 'overtimeThreshold'], ['updatedat', 'updatedAt']];
/** The remedy the issue asks for: the one id that is not a uuid gets a new one. */
const MAP_DEFAULT: Partial<DiffOptions> = { casts: { 'public.OvertimeSettings.id': { invalid: 'map', map: { default: 'gen_random_uuid()' } } } };

async function analysed(from: TestDatabase, fromInspection: Inspection, to: Inspection, options: Partial<DiffOptions>, accepts: Accept[] = []): Promise<Plan> {
  const planned = planMigration(fromInspection.model, to.model, options);
  const q = await connectPg(from.target);
  try {
    const { plan } = await analysePlan(planned, { from: fromInspection.model, to: to.model, fingerprint: fromInspection.fingerprint, q, accepts });
    return plan;
  } finally {
    await q.close();
  }
}

function hazardsOf(plan: Plan): Hazard[] {
  return plan.statements.flatMap((s) => s.hazards ?? []);
}

function find(plan: Plan, code: string, object: string): Hazard {
  const h = hazardsOf(plan).find((x) => x.code === code && acceptName(x.object) === object);
  assert.ok(h, `no ${code} on ${object}; hazards: ${hazardsOf(plan).map((x) => `${x.code} ${acceptName(x.object)}`).join(', ')}`);
  return h;
}

async function rowCounts(db: TestDatabase, inspection: Inspection): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const t of inspection.model.tables) {
    const rows = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`);
    out.set(t.id, Number(rows[0]?.n));
  }
  return out;
}

describeEachServer('hazards on the ERP pair with its data', ({ server, db }) => {
  let to: TestDatabase;
  let fromInspection: Inspection;
  let toInspection: Inspection;
  before(async () => {
    to = await databaseOn(server);
    const loaded = await runPsql(to.url, fixtureSql('erp/to.sql'));
    assert.ok(loaded.ok, loaded.firstError);
    toInspection = await inspectDatabase(to);
  });
  after(async () => {
    await to.drop();
  });
  beforeEach(async () => {
    const loaded = await runPsql(db().url, fixtureSql('erp/from.sql'));
    assert.ok(loaded.ok, loaded.firstError);
    fromInspection = await inspectDatabase(db());
  });

  it('reports what would be lost and what would fail, with exact counts', async () => {
    const plan = await analysed(db(), fromInspection, toInspection, {});
    for (const column of LEGACY) {
      const h = find(plan, 'DL-02', `public.OvertimeSettings.${column}`);
      assert.deepEqual([h.evidence?.rows, h.evidence?.values], [{ value: 2, capped: false }, { value: 2, capped: false }], column);
      assert.match(h.remedy ?? '', /backed up first: 2 rows into pgdrift_backup\./);
    }
    for (const column of NULL_ONLY) {
      const h = find(plan, 'DL-02', `public.${column}`);
      assert.equal(h.evidence?.values?.value, 0, column);
      assert.match(h.message, /loses nothing/);
    }
    const id = find(plan, 'FL-03', 'public.OvertimeSettings.id');
    assert.equal(id.evidence?.failing?.value, 1);
    assert.deepEqual(id.evidence?.samples, ['default']);
    const blocking = blockingHazards(plan).map((h) => `${h.code} ${acceptName(h.object)}`);
    assert.ok(blocking.includes('FL-03 public.OvertimeSettings.id'), 'the id that is not a uuid blocks until a policy is chosen');
    for (const column of LEGACY) assert.ok(blocking.includes(`DL-02 public.OvertimeSettings.${column}`));
    for (const column of NULL_ONLY) assert.ok(!blocking.some((b) => b.endsWith(column)), `${column} is all NULL and must not block`);
    // Twins: each lower-case value is copied into its camelCase column before the drop; none disagree.
    for (const [old, kept] of TWINS) {
      const h = find(plan, 'DL-05', `public.TimeTrackingSettings.${old}`);
      assert.deepEqual([h.evidence?.toCopy, h.evidence?.conflicts], [{ value: 1, capped: false }, { value: 0, capped: false }], old);
      assert.equal(h.remedy, `copied into "${kept}" before the drop`);
      assert.ok(!blocking.some((b) => b.endsWith(`.${old}`)), `${old}: nothing is lost, must not block`);
    }
    // The new NOT NULL "companyId": after the copy no row lacks a value.
    const companyId = find(plan, 'FL-02', 'public.TimeTrackingSettings.companyId');
    assert.deepEqual(companyId.evidence?.nulls, { value: 0, capped: false });
    assert.equal(plan.statements.find((s) => s.hazards?.includes(companyId))?.phase, 'migrate-data');
    // Job.status text → enum: every value casts, and the text default is recast with the column.
    assert.deepEqual(find(plan, 'FL-03', 'public.Job.status').evidence?.failing, { value: 0, capped: false });
    const recast = find(plan, 'FL-15', 'public.Job.status');
    assert.equal(recast.accepted, 'policy');
    assert.match(recast.remedy ?? '', /^default recast: 'open'::text → 'open'::"JobStatus"$/);
    // The view over "approvedBy" is dropped and recreated around its type change, in one phase.
    const view = plan.statements.filter((s) => s.object === 'view:"public"."ApprovedEntries"').map((s) => [s.phase, s.action]);
    assert.deepEqual(view, [['expand', 'drop'], ['expand', 'create']]);
  });

  it('with the remedies chosen, applies on the from-database without losing a row, and converges', async () => {
    const first = await analysed(db(), fromInspection, toInspection, MAP_DEFAULT);
    // Everything still blocking is data the user must let go of by name; accept exactly that.
    const accepts = blockingHazards(first).map((h) => ({ code: h.code, object: acceptName(h.object), source: 'test' }));
    assert.ok(accepts.every((a) => a.code === 'DL-02'), `only dropped values should remain to accept: ${accepts.map((a) => `${a.code} ${a.object}`).join(', ')}`);
    const plan = await analysed(db(), fromInspection, toInspection, MAP_DEFAULT, accepts);
    assert.deepEqual(blockingHazards(plan), []);
    const before = await rowCounts(db(), fromInspection);
    await applyPlan(db(), plan);

    const after = await inspectDatabase(db());
    assert.deepEqual(modelDifferences(after.model, toInspection.model), [], 're-diff against the desired database');
    const counts = await rowCounts(db(), after);
    for (const [tableId, n] of before) if (counts.has(tableId)) assert.equal(counts.get(tableId), n, `${tableId} row count`);

    const saved = await db().query<{ source: string; rows: string }>('SELECT source, rows::text FROM pgdrift_backup.manifest ORDER BY source');
    const savedLegacy = saved.filter((r) => r.source.startsWith('public.OvertimeSettings.') && r.source !== 'public.OvertimeSettings.id');
    assert.deepEqual(savedLegacy.map((r) => [r.source, r.rows]), LEGACY.map((c) => [`public.OvertimeSettings.${c}`, '2']).sort());
    const mode = await db().query<{ v: string }>(
      `SELECT string_agg("overtimeMode", ',' ORDER BY "overtimeMode") AS v FROM pgdrift_backup."public.OvertimeSettings.overtimeMode@${fromInspection.fingerprint.slice(7, 15)}"`,
    );
    assert.equal(mode[0]?.v, 'daily,weekly');
    const ids = await db().query<{ n: string }>(`SELECT count(*) AS n FROM "OvertimeSettings" WHERE id = '7a9d6c1e-2f3b-4a5c-9d8e-1f2a3b4c5d6e'`);
    assert.equal(ids[0]?.n, '1', 'the valid uuid id is kept as it was');
    const twins = await db().query<{ n: string }>('SELECT count(*) AS n FROM "TimeTrackingSettings" WHERE "companyId" IS NOT NULL AND "createdAt" IS NOT NULL AND "overtimeThreshold" IS NOT NULL');
    assert.equal(twins[0]?.n, '1', 'the lower-case values were copied into the camelCase columns');
  });
});
