// The hazard catalogue (../shared/docs/HAZARDS.md), row by row: the cases no other test covers.
// Each test name begins with its catalogue ID. A row pgdrift reports as a hazard code is checked
// for the code and its evidence (the measured counts and samples, or the static facts); a row the
// planner handles by what it writes is checked by the statements, their order and phase, and by
// applying the plan (it converges, the data survives). README "Hazard catalogue coverage" lists
// every row and where it is tested (test/unit/catalogue-coverage.test.ts keeps that table honest).
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { connectPg } from '../../../src/core/db/pgConnection';
import type { DiffOptions } from '../../../src/core/diff/options';
import { measureHazards } from '../../../src/core/hazards/measure';
import { DEFAULT_PROBE_LIMITS, type ProbeLimits } from '../../../src/core/hazards/probe';
import type { Hazard, HazardCode } from '../../../src/core/hazards/types';
import { planMigration, renderPlanSql } from '../../../src/core/plan';
import type { Plan } from '../../../src/core/plan/types';
import { applyPlan } from '../../support/applyPlan';
import { inspectDatabase } from '../../support/fixtures';
import { databaseOn, describeEachServer, type TestDatabase } from '../../support/servers';

const N = (value: number) => ({ value, capped: false });

/** The plan from → to (with the from-database's version, as the CLI passes it), measured on from. */
async function planned(from: TestDatabase, to: TestDatabase, options: Partial<DiffOptions> = {}, limits: ProbeLimits = DEFAULT_PROBE_LIMITS): Promise<Plan> {
  const inspection = await inspectDatabase(from);
  const plan = planMigration(inspection.model, (await inspectDatabase(to)).model, { serverVersionNum: inspection.source.serverVersionNum, ...options });
  const connection = await connectPg(from.target);
  try {
    return await measureHazards(plan, connection, limits);
  } finally {
    await connection.close();
  }
}

/** Each statement's first line, prefixed by its phase (and no-tx when it runs outside a transaction). */
function outline(plan: Plan): string[] {
  return plan.statements.map((s) => `${s.phase}${s.transactional === false ? ' no-tx' : ''}: ${s.sql.split('\n')[0] ?? ''}`);
}

function hazardsOf(plan: Plan, ...codes: HazardCode[]): Hazard[] {
  return plan.statements.flatMap((s) => s.hazards ?? []).filter((h) => codes.includes(h.code));
}

/** Code, object, evidence and message: what a measured hazard is checked by. */
const summary = (h: Hazard | undefined) => h && [h.code, h.object, h.evidence, h.message];

/** Index of the first statement containing `text` (asserting there is one). */
function at(plan: Plan, text: string): number {
  const i = plan.statements.findIndex((s) => s.sql.includes(text));
  assert.ok(i >= 0, `no statement with ${text}:\n${renderPlanSql(plan)}`);
  return i;
}

/** Applies the plan to `from`; a new plan against `to` must then be empty. */
async function converges(from: TestDatabase, to: TestDatabase, plan: Plan): Promise<void> {
  await applyPlan(from, plan);
  const again = planMigration((await inspectDatabase(from)).model, (await inspectDatabase(to)).model);
  assert.deepEqual(again.statements.map((s) => s.sql), [], 're-plan after applying');
}

describeEachServer('hazard catalogue (HAZARDS.md), row by row', ({ server, db }) => {
  let to: TestDatabase;
  beforeEach(async () => {
    to = await databaseOn(server);
  });
  afterEach(async () => {
    await to.drop();
  });

  // ---- DL: data loss ------------------------------------------------------------------------

  it('DL-03 a dropped column takes a multi-column UNIQUE, a CHECK and an expression index: each is dropped explicitly before it, the replacement key added first, no CASCADE', async () => {
    await db().exec(`CREATE TABLE dc (a int, b int, c int, CONSTRAINT dc_a_b_key UNIQUE (a, b), CONSTRAINT dc_check CHECK (c > b));
      CREATE INDEX dc_expr ON dc ((a + b));
      INSERT INTO dc VALUES (1, 2, 3), (2, 2, 3), (3, NULL, 3)`);
    await to.exec('CREATE TABLE dc (a int, c int, CONSTRAINT dc_a_key UNIQUE (a))');
    const plan = await planned(db(), to);
    assert.deepEqual(outline(plan), [
      'expand: ALTER TABLE "public"."dc" ADD CONSTRAINT "dc_a_key" UNIQUE (a)',
      'contract: DROP INDEX "public"."dc_expr"',
      'contract: ALTER TABLE "public"."dc" DROP CONSTRAINT "dc_a_b_key"',
      'contract: ALTER TABLE "public"."dc" DROP CONSTRAINT "dc_check"',
      'contract: ALTER TABLE "public"."dc" DROP COLUMN "b"',
    ]);
    assert.ok(!plan.statements.some((s) => /CASCADE/i.test(s.sql)));
    // Each dependent is a change of its own, shown in the diff, not a silent side effect.
    assert.deepEqual(plan.changes.filter((c) => c.action === 'drop').map((c) => c.id).sort(), [
      'column:"public"."dc"."b"', 'constraint:"public"."dc"."dc_a_b_key"', 'constraint:"public"."dc"."dc_check"', 'index:"public"."dc_expr"',
    ]);
    assert.deepEqual(summary(hazardsOf(plan, 'DL-02')[0]), ['DL-02', 'column:"public"."dc"."b"', { rows: N(3), values: N(2), samples: ['2'] },
      `Dropping "public"."dc"."b" deletes 2 non-null values (e.g. '2').`]);
    assert.deepEqual(hazardsOf(plan, 'FL-05')[0]?.evidence, { rows: N(3), groups: N(0), failing: N(0), samples: [] });
    await converges(db(), to, plan);
    assert.deepEqual(await db().query('SELECT a, c FROM dc ORDER BY a'), [{ a: 1, c: 3 }, { a: 2, c: 3 }, { a: 3, c: 3 }]);
  });

  it('DL-06 a dropped and a created table with the same columns: proposed as a rename, its rows counted like DL-01', async () => {
    await db().exec(`CREATE TABLE person (id int PRIMARY KEY, name text); INSERT INTO person VALUES (1, 'a'), (2, 'b')`);
    await to.exec('CREATE TABLE people (id int PRIMARY KEY, name text)');
    const plan = await planned(db(), to);
    const drop = plan.statements.find((s) => s.sql === 'DROP TABLE "public"."person"');
    assert.deepEqual(drop?.hazards?.map(summary), [['DL-06', 'table:"public"."person"', { rows: N(2) },
      'Dropping "public"."person" deletes 2 rows. It looks like a rename to "people": add {"tables":{"public.person":"people"}} to pgdrift.mapping.json.']]);
    assert.ok(plan.statements.some((s) => s.sql.startsWith('CREATE TABLE "public"."people"')), 'the plan itself is unchanged: drop and create');
  });

  it('DL-07 a type change is ALTER COLUMN … TYPE … USING, never DROP and ADD COLUMN: the values survive', async () => {
    await db().exec(`CREATE TABLE t (id int PRIMARY KEY, n text, u text, s smallint);
      INSERT INTO t VALUES (1, '12', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 7), (2, NULL, NULL, NULL)`);
    await to.exec('CREATE TABLE t (id int PRIMARY KEY, n integer, u uuid, s text)');
    const plan = await planned(db(), to);
    assert.deepEqual(outline(plan), [
      'expand: ALTER TABLE "public"."t" ALTER COLUMN "n" TYPE integer USING "n"::integer',
      'expand: ALTER TABLE "public"."t" ALTER COLUMN "s" TYPE text USING "s"::text',
      'expand: ALTER TABLE "public"."t" ALTER COLUMN "u" TYPE uuid USING "u"::uuid',
    ]);
    assert.ok(!plan.statements.some((s) => /DROP COLUMN|ADD COLUMN/.test(s.sql)));
    assert.deepEqual(hazardsOf(plan, 'DL-01', 'DL-02'), [], 'nothing is dropped');
    await converges(db(), to, plan);
    assert.deepEqual(await db().query('SELECT id, n, u::text AS u, s FROM t ORDER BY id'), [
      { id: 1, n: 12, u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', s: '7' }, { id: 2, n: null, u: null, s: null },
    ]);
  });

  it('DL-10 an identity added to a column that already holds values (a serial, or ids written by hand) continues after them', async () => {
    await db().exec(`CREATE TABLE t (id serial PRIMARY KEY, v text); INSERT INTO t (v) VALUES ('a'), ('b'), ('c');
      CREATE TABLE u (id int PRIMARY KEY, v text); INSERT INTO u VALUES (7, 'x'), (150, 'y');
      CREATE TABLE w (id int PRIMARY KEY, v text); INSERT INTO w VALUES (7, 'x')`);
    await to.exec(`CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text);
      CREATE TABLE u (id int GENERATED BY DEFAULT AS IDENTITY (START WITH 100) PRIMARY KEY, v text);
      CREATE TABLE w (id int GENERATED BY DEFAULT AS IDENTITY (START WITH 100) PRIMARY KEY, v text)`);
    const plan = await planned(db(), to);
    assert.deepEqual(outline(plan).filter((s) => s.includes('setval')), [
      `expand: SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('"public"."t"', 'id'), v) FROM (SELECT max("id") AS v FROM "public"."t") AS s WHERE v >= 1`,
      `expand: SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('"public"."u"', 'id'), v) FROM (SELECT max("id") AS v FROM "public"."u") AS s WHERE v >= 100`,
      `expand: SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('"public"."w"', 'id'), v) FROM (SELECT max("id") AS v FROM "public"."w") AS s WHERE v >= 100`,
    ]);
    assert.ok(at(plan, 'DROP SEQUENCE "public"."t_id_seq"') < at(plan, '"public"."t" ALTER COLUMN "id" ADD GENERATED'));
    assert.ok(at(plan, '"public"."t" ALTER COLUMN "id" ADD GENERATED') < at(plan, `pg_get_serial_sequence('"public"."t"'`));
    await converges(db(), to, plan);
    await db().exec(`INSERT INTO t (v) VALUES ('d'); INSERT INTO u (v) VALUES ('z'); INSERT INTO w (v) VALUES ('z')`);
    assert.deepEqual(await db().query(`SELECT (SELECT id FROM t WHERE v = 'd') AS t, (SELECT id FROM u WHERE v = 'z') AS u, (SELECT id FROM w WHERE v = 'z') AS w`),
      [{ t: 4, u: 151, w: 100 }], 'serial continues at 4, hand-written ids are passed, a START above them is kept');
  });

  it.skip('DL-10 an identity turned into a serial continues after the stored ids — skipped: product gap, the new sequence starts at its START (1) below them and the next insert collides; no hazard says so', async () => {
    await db().exec(`CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text); INSERT INTO t (v) VALUES ('a'), ('b'), ('c')`);
    await to.exec('CREATE TABLE t (id serial PRIMARY KEY, v text)');
    await converges(db(), to, await planned(db(), to));
    await db().exec(`INSERT INTO t (v) VALUES ('d')`);
    assert.deepEqual(await db().query(`SELECT id FROM t WHERE v = 'd'`), [{ id: 4 }]);
  });

  it('DL-11 nothing is dropped with CASCADE: a schema loses its tables and a type its columns one statement at a time, each measured', async () => {
    await db().exec(`CREATE SCHEMA s; CREATE TABLE s.t (id int); INSERT INTO s.t VALUES (1), (2);
      CREATE TYPE mood AS ENUM ('ok', 'sad'); CREATE TABLE u (id int, m mood, ms mood[]);
      INSERT INTO u VALUES (1, 'ok', '{sad}'), (2, NULL, NULL)`);
    await to.exec('CREATE TABLE u (id int)');
    const plan = await planned(db(), to);
    assert.deepEqual(outline(plan), [
      'contract: ALTER TABLE "public"."u" DROP COLUMN "m"',
      'contract: ALTER TABLE "public"."u" DROP COLUMN "ms"',
      'contract: DROP TABLE "s"."t"',
      'contract: DROP TYPE "public"."mood"',
      'contract: DROP SCHEMA "s"',
    ]);
    assert.ok(!plan.statements.some((s) => /CASCADE/i.test(s.sql)));
    assert.deepEqual(hazardsOf(plan, 'DL-01', 'DL-02').map(summary), [
      ['DL-02', 'column:"public"."u"."m"', { rows: N(2), values: N(1), samples: ['ok'] }, `Dropping "public"."u"."m" deletes 1 non-null value (e.g. 'ok').`],
      ['DL-02', 'column:"public"."u"."ms"', { rows: N(2), values: N(1), samples: ['{sad}'] }, `Dropping "public"."u"."ms" deletes 1 non-null value (e.g. '{sad}').`],
      ['DL-01', 'table:"s"."t"', { rows: N(2) }, 'Dropping "s"."t" deletes 2 rows.'],
    ]);
    await converges(db(), to, plan);
  });

  it('DL-12 column order is ignored; a table that becomes partitioned is dropped and created, its rows counted as DL-01', async () => {
    await db().exec(`CREATE TABLE ordered (a int, b text); CREATE TABLE t (id int, d date); INSERT INTO t VALUES (1, '2024-01-01'), (2, '2024-02-01')`);
    await to.exec('CREATE TABLE ordered (b text, a int); CREATE TABLE t (id int, d date) PARTITION BY RANGE (d)');
    const plan = await planned(db(), to);
    assert.ok(!plan.changes.some((c) => c.id.includes('"ordered"')), 'column order is not a change');
    assert.deepEqual(outline(plan), ['expand: DROP TABLE "public"."t"', 'expand: CREATE TABLE "public"."t" (']);
    assert.deepEqual(summary(hazardsOf(plan, 'DL-01')[0]), ['DL-01', 'table:"public"."t"', { rows: N(2) }, 'Dropping "public"."t" deletes 2 rows.']);
    await converges(db(), to, plan);
  });

  // ---- FL: the migration would fail ---------------------------------------------------------

  it('FL-01 a NOT NULL column without a default, added to a table with rows: the rows are counted', async () => {
    await db().exec('CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2), (3)');
    await to.exec('CREATE TABLE t (id int, n int NOT NULL)');
    const plan = await planned(db(), to);
    assert.deepEqual(hazardsOf(plan, 'FL-01').map(summary), [['FL-01', 'table:"public"."t"', { rows: N(3) },
      'Adding a NOT NULL column without a default fails: "public"."t" has 3 rows.']]);
    await assert.rejects(applyPlan(db(), plan), /contains null values/);
  });

  it.skip('FL-03 a type change with no cast at all (integer → integer[]) is reported before it runs — skipped: product gap, no hazard is emitted (typeEffects treats the change as succeeding) and the plan fails when applied: cannot cast type integer to integer[]', async () => {
    await db().exec('CREATE TABLE t (id int, a int); INSERT INTO t VALUES (1, 5)');
    await to.exec('CREATE TABLE t (id int, a int[])');
    assert.equal(hazardsOf(await planned(db(), to), 'FL-03').length, 1);
  });

  it('FL-08 a column type change under views: the views are dropped deepest first and recreated after it, the data kept', async () => {
    await db().exec(`CREATE TABLE t (id int, s text); CREATE VIEW v AS SELECT id, s FROM t; CREATE VIEW v2 AS SELECT * FROM v;
      INSERT INTO t VALUES (1, '5')`);
    await to.exec('CREATE TABLE t (id int, s int); CREATE VIEW v AS SELECT id, s FROM t; CREATE VIEW v2 AS SELECT * FROM v');
    const plan = await planned(db(), to);
    assert.deepEqual(outline(plan), [
      'expand: DROP VIEW "public"."v2"',
      'expand: DROP VIEW "public"."v"',
      'expand: ALTER TABLE "public"."t" ALTER COLUMN "s" TYPE integer USING "s"::integer',
      'expand: CREATE VIEW "public"."v" AS',
      'expand: CREATE VIEW "public"."v2" AS',
    ]);
    assert.deepEqual(plan.changes.filter((c) => c.kind === 'view').map((c) => [c.id, c.action]), [['view:"public"."v"', 'recreate'], ['view:"public"."v2"', 'recreate']]);
    await converges(db(), to, plan);
    assert.deepEqual(await db().query('SELECT id, s FROM v2'), [{ id: 1, s: 5 }]);
  });

  it('FL-09 a trigger is created after its new function, and dropped before the function it calls', async () => {
    const fn = 'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$';
    const trigger = 'CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch()';
    await db().exec('CREATE TABLE t (id int)');
    await to.exec(`CREATE TABLE t (id int); ${fn}; ${trigger}`);
    const added = await planned(db(), to);
    assert.deepEqual(outline(added), ['routines: CREATE OR REPLACE FUNCTION public.touch()', 'routines: CREATE TRIGGER t_touch BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION public.touch()']);
    await converges(db(), to, added);
    await to.exec('DROP TRIGGER t_touch ON t; DROP FUNCTION touch()');
    const dropped = await planned(db(), to);
    assert.deepEqual(outline(dropped), ['contract: DROP TRIGGER "t_touch" ON "public"."t"', 'contract: DROP FUNCTION "public"."touch"()']);
    await converges(db(), to, dropped);
  });

  it('FL-10 tables that reference each other in a cycle: every table is created before any foreign key is added', async () => {
    await to.exec(`CREATE TABLE a (id int PRIMARY KEY, b_id int); CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a);
      ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b`);
    const plan = await planned(db(), to);
    const lastTable = Math.max(at(plan, 'CREATE TABLE "public"."a"'), at(plan, 'CREATE TABLE "public"."b"'));
    const firstKey = Math.min(at(plan, 'FOREIGN KEY (a_id)'), at(plan, 'FOREIGN KEY (b_id)'));
    assert.ok(lastTable < firstKey, renderPlanSql(plan));
    assert.deepEqual(hazardsOf(plan, 'FL-06', 'LK-06'), [], 'new tables: nothing to check or lock');
    await converges(db(), to, plan);
  });

  it('FL-12 an enum label added and used in the same plan: ADD VALUE runs outside the transaction, before the statements that use it', async () => {
    await db().exec(`CREATE TYPE mood AS ENUM ('ok', 'sad'); CREATE TABLE t (id int, m mood DEFAULT 'ok')`);
    await to.exec(`CREATE TYPE mood AS ENUM ('ok', 'happy', 'sad'); CREATE TABLE t (id int, m mood DEFAULT 'happy', n mood DEFAULT 'happy')`);
    const plan = await planned(db(), to);
    assert.deepEqual(outline(plan), [
      `expand no-tx: ALTER TYPE "public"."mood" ADD VALUE 'happy' AFTER 'ok'`,
      'expand: ALTER TABLE "public"."t" ALTER COLUMN "m" DROP DEFAULT',
      `expand: ALTER TABLE "public"."t" ALTER COLUMN "m" SET DEFAULT 'happy'::public.mood`,
      `expand: ALTER TABLE "public"."t" ADD COLUMN "n" public.mood DEFAULT 'happy'::public.mood`,
    ]);
    assert.deepEqual(plan.statements[0]?.hazards?.map((h) => [h.code, h.object, h.message]), [
      ['TX-01', 'enum:"public"."mood"', `ADD VALUE 'happy' commits on its own: it stays if a later statement fails.`],
    ]);
    assert.match(renderPlanSql(plan), /-- pgdrift:no-transaction\nALTER TYPE "public"."mood" ADD VALUE 'happy' AFTER 'ok';/);
    await converges(db(), to, plan);
  });

  it('FL-13 statements PostgreSQL refuses in a transaction block (CREATE/DROP INDEX CONCURRENTLY) are marked to run on their own, with TX-01', async () => {
    await db().exec('CREATE TABLE t (n int, m int); CREATE INDEX t_m ON t (m); INSERT INTO t VALUES (1, 1)');
    await to.exec('CREATE TABLE t (n int, m int); CREATE INDEX t_n ON t (n)');
    const plan = await planned(db(), to, { online: true });
    assert.deepEqual(plan.statements.map((s) => [s.phase, s.transactional, s.sql, s.hazards?.map((h) => [h.code, h.object])]), [
      ['expand', false, 'CREATE INDEX CONCURRENTLY t_n ON public.t USING btree (n)', [['TX-01', 'table:"public"."t"']]],
      ['contract', false, 'DROP INDEX CONCURRENTLY "public"."t_m"', [['TX-01', 'table:"public"."t"']]],
    ]);
    const sql = renderPlanSql(plan);
    assert.match(sql, /-- pgdrift:no-transaction\nCREATE INDEX CONCURRENTLY t_n/);
    assert.match(sql, /-- pgdrift:no-transaction\nDROP INDEX CONCURRENTLY "public"."t_m"/);
    await converges(db(), to, plan);
  });

  it('FL-14 a foreign key whose columns change type on both sides: it is dropped, both columns changed, then added back (its check stated, not measured)', async () => {
    await db().exec(`CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int CONSTRAINT c_p_id_fkey REFERENCES p);
      INSERT INTO p VALUES (1), (2); INSERT INTO c VALUES (1, 1), (2, NULL)`);
    await to.exec('CREATE TABLE p (id text PRIMARY KEY); CREATE TABLE c (id int, p_id text CONSTRAINT c_p_id_fkey REFERENCES p)');
    const plan = await planned(db(), to);
    assert.deepEqual(outline(plan), [
      'expand: ALTER TABLE "public"."c" DROP CONSTRAINT "c_p_id_fkey"',
      'expand: ALTER TABLE "public"."c" ALTER COLUMN "p_id" TYPE text USING "p_id"::text',
      'expand: ALTER TABLE "public"."p" ALTER COLUMN "id" TYPE text USING "id"::text',
      'expand: ALTER TABLE "public"."c" ADD CONSTRAINT "c_p_id_fkey" FOREIGN KEY (p_id) REFERENCES public.p(id)',
    ]);
    assert.deepEqual(summary(hazardsOf(plan, 'FL-06')[0]), ['FL-06', 'constraint:"public"."c"."c_p_id_fkey"', undefined,
      'Adding c_p_id_fkey fails if rows of "public"."c" point at missing "public"."p" rows. Not measured: "public"."c"."p_id" changes in this plan.']);
    await converges(db(), to, plan);
    assert.deepEqual(await db().query('SELECT id, p_id FROM c ORDER BY id'), [{ id: 1, p_id: '1' }, { id: 2, p_id: null }]);
  });

  it('FL-16 a function whose return type changes: what uses it (a view, a default) is dropped, the function dropped and created, then they are restored', async () => {
    await db().exec(`CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'; CREATE TABLE t (id int, n int DEFAULT f());
      CREATE VIEW v AS SELECT f() AS x; INSERT INTO t (id) VALUES (1)`);
    await to.exec(`CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS 'SELECT 1::bigint'; CREATE TABLE t (id int, n int DEFAULT f());
      CREATE VIEW v AS SELECT f() AS x`);
    const plan = await planned(db(), to);
    assert.deepEqual(outline(plan), [
      'expand: DROP VIEW "public"."v"',
      'expand: ALTER TABLE "public"."t" ALTER COLUMN "n" DROP DEFAULT',
      'expand: DROP FUNCTION "public"."f"()',
      'expand: CREATE OR REPLACE FUNCTION public.f()',
      'expand: ALTER TABLE "public"."t" ALTER COLUMN "n" SET DEFAULT public.f()',
      'expand: CREATE VIEW "public"."v" AS',
    ]);
    await converges(db(), to, plan);
    assert.deepEqual(await db().query(`SELECT pg_typeof(x)::text AS t FROM v`), [{ t: 'bigint' }]);
  });

  it('FL-18 names pgdrift makes up stay within 63 bytes and distinct: the online NOT NULL checks of two long column names sharing their first 55 bytes', async () => {
    const long = (n: number) => `${'c'.repeat(61)}_${n}`;
    await db().exec(`CREATE TABLE t (id int, ${long(1)} int, ${long(2)} int); INSERT INTO t VALUES (1, 1, 1)`);
    await to.exec(`CREATE TABLE t (id int, ${long(1)} int NOT NULL, ${long(2)} int NOT NULL)`);
    const plan = await planned(db(), to, { online: true });
    const checks = plan.statements.map((s) => /ADD CONSTRAINT "([^"]+)" CHECK/.exec(s.sql)?.[1]).filter((n): n is string => n !== undefined);
    assert.equal(checks.length, 2);
    assert.notEqual(checks[0], checks[1]);
    for (const name of checks) assert.ok(Buffer.byteLength(name) <= 63, name);
    await converges(db(), to, plan);
  });

  // ---- LK: locks ----------------------------------------------------------------------------

  it('LK-02 a column that fills every existing row rewrites the table: identity, stored generated, serial, volatile default; not now() or a constant', async () => {
    await db().exec('CREATE TABLE t (n int); INSERT INTO t VALUES (1)');
    await to.exec(`CREATE TABLE t (n int, i int GENERATED ALWAYS AS IDENTITY, g int GENERATED ALWAYS AS (n * 2) STORED, s serial,
      u uuid DEFAULT gen_random_uuid(), r float8 DEFAULT random(), ts timestamptz DEFAULT now(), k text DEFAULT 'random()')`);
    const plan = await planned(db(), to);
    const found = plan.statements.flatMap((s) => (s.hazards ?? []).map((h) => [h.code, h.severity, h.object, /ADD COLUMN "(\w+)"/.exec(s.sql)?.[1], h.message]));
    assert.deepEqual(found, ['g', 'i', 'r', 's', 'u'].map((c) => ['LK-02', 'lock', 'table:"public"."t"', c, `Adding ${c} rewrites "public"."t" under ACCESS EXCLUSIVE.`]));
    await converges(db(), to, plan);
  });

  it('LK-10 dropping a table that references another: its foreign key is dropped first, locking the referenced table too', async () => {
    await db().exec('CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int CONSTRAINT c_p_id_fkey REFERENCES p); INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1)');
    await to.exec('CREATE TABLE p (id int PRIMARY KEY)');
    const plan = await planned(db(), to);
    assert.deepEqual(plan.statements.map((s) => [s.sql, s.hazards?.map((h) => [h.code, h.severity, h.object, h.evidence, h.message])]), [
      ['ALTER TABLE "public"."c" DROP CONSTRAINT "c_p_id_fkey"', [['LK-10', 'lock', 'table:"public"."p"', undefined, 'Dropping c_p_id_fkey takes ACCESS EXCLUSIVE on "public"."p" too.']]],
      ['DROP TABLE "public"."c"', [['DL-01', 'data-loss', 'table:"public"."c"', { rows: N(1) }, 'Dropping "public"."c" deletes 1 row.']]],
    ]);
  });

  // ---- CP: compatibility --------------------------------------------------------------------

  it('CP-04 enum labels keep the desired order: a new label is added BEFORE/AFTER its neighbour, a reordered enum is rebuilt through text', async () => {
    await db().exec(`CREATE TYPE st AS ENUM ('pending', 'approved', 'rejected'); CREATE TYPE ab AS ENUM ('a', 'b');
      CREATE TABLE t (s ab); INSERT INTO t VALUES ('a'), ('b')`);
    await to.exec(`CREATE TYPE st AS ENUM ('pending', 'pending_review', 'approved', 'rejected'); CREATE TYPE ab AS ENUM ('b', 'a');
      CREATE TABLE t (s ab)`);
    const plan = await planned(db(), to);
    assert.deepEqual(outline(plan), [
      `expand no-tx: ALTER TYPE "public"."st" ADD VALUE 'pending_review' AFTER 'pending'`,
      'expand: ALTER TYPE "public"."ab" RENAME TO "ab__pgdrift_old"',
      `expand: CREATE TYPE "public"."ab" AS ENUM ('b', 'a')`,
      'expand: ALTER TABLE "public"."t" ALTER COLUMN "s" TYPE public.ab USING "s"::text::public.ab',
      'contract: DROP TYPE "public"."ab__pgdrift_old"',
    ]);
    await converges(db(), to, plan);
    const labels = await db().query<{ t: string; labels: string }>(
      `SELECT enumtypid::regtype::text AS t, string_agg(enumlabel, ',' ORDER BY enumsortorder) AS labels FROM pg_enum GROUP BY 1 ORDER BY 1`);
    assert.deepEqual(labels, [{ t: 'ab', labels: 'b,a' }, { t: 'st', labels: 'pending,pending_review,approved,rejected' }]);
    assert.deepEqual(await db().query('SELECT s::text AS v FROM t ORDER BY t.s'), [{ v: 'b' }, { v: 'a' }], 'rows sort by the new order');
  });

  // ---- TX: transactions and ordering --------------------------------------------------------

  it('TX-03 an INVALID index left by a failed concurrent build is not taken for the real one: it is dropped and built again, its duplicates measured', async () => {
    await db().exec(`CREATE TABLE u (id int, email text); INSERT INTO u VALUES (1, 'a'), (2, 'a')`);
    await assert.rejects(db().exec('CREATE UNIQUE INDEX CONCURRENTLY u_email ON u (email)'), /could not create unique index/);
    await db().exec('DELETE FROM u WHERE id = 2');
    await to.exec('CREATE TABLE u (id int, email text); CREATE UNIQUE INDEX u_email ON u (email)');
    const plan = await planned(db(), to);
    assert.deepEqual(plan.changes.map((c) => [c.id, c.action]), [['index:"public"."u_email"', 'recreate']]);
    assert.deepEqual(plan.statements.map((s) => [s.sql, s.hazards?.map((h) => [h.code, h.evidence])]), [
      ['DROP INDEX "public"."u_email"', [['LK-09', undefined]]],
      ['CREATE UNIQUE INDEX u_email ON public.u USING btree (email)', [['FL-05', { rows: N(1), groups: N(0), failing: N(0), samples: [] }], ['LK-08', undefined]]],
    ]);
    await converges(db(), to, plan);
    assert.deepEqual(await db().query(`SELECT indisvalid FROM pg_index WHERE indexrelid = 'u_email'::regclass`), [{ indisvalid: true }]);
  });

  it('TX-05 VALIDATE CONSTRAINT runs in the validate phase, a later transaction than the ADD … NOT VALID; the row checks are measured on it', async () => {
    await db().exec(`CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int, n int);
      INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1, 1), (2, 9, -1)`);
    await to.exec('CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int CONSTRAINT c_p_fkey REFERENCES p, n int CONSTRAINT c_n_check CHECK (n > 0))');
    const plan = await planned(db(), to, { online: true });
    assert.deepEqual(plan.statements.map((s) => [s.phase, s.sql, s.hazards?.map((h) => [h.code, h.evidence])]), [
      ['expand', 'ALTER TABLE "public"."c" ADD CONSTRAINT "c_n_check" CHECK (n > 0) NOT VALID', undefined],
      ['expand', 'ALTER TABLE "public"."c" ADD CONSTRAINT "c_p_fkey" FOREIGN KEY (p_id) REFERENCES public.p(id) NOT VALID', undefined],
      ['validate', 'ALTER TABLE "public"."c" VALIDATE CONSTRAINT "c_n_check"', [['FL-07', { rows: N(2), failing: N(1), samples: ['(2,9,-1)'] }]]],
      ['validate', 'ALTER TABLE "public"."c" VALIDATE CONSTRAINT "c_p_fkey"', [['FL-06', { rows: N(2), failing: N(1), samples: ["p_id='9'"] }]]],
    ]);
    await db().exec('DELETE FROM c WHERE id = 2');
    await converges(db(), to, plan);
  });

  it('TX-06 probes run READ ONLY with a statement and a lock timeout: a slow probe and a locked table leave their hazard unknown, a probe that would write is refused', async () => {
    await db().exec(`CREATE TABLE gone (id int); INSERT INTO gone VALUES (1);
      CREATE TABLE t (n int); INSERT INTO t VALUES (1), (2);
      CREATE FUNCTION slow(x int) RETURNS boolean LANGUAGE sql AS 'SELECT pg_sleep(0.3) IS NOT NULL'`);
    await to.exec(`CREATE FUNCTION slow(x int) RETURNS boolean LANGUAGE sql AS 'SELECT pg_sleep(0.3) IS NOT NULL';
      CREATE TABLE t (n int CONSTRAINT t_slow CHECK (slow(n)))`);
    const blocker = new Client({ connectionString: db().url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE gone IN ACCESS EXCLUSIVE MODE');
      const plan = await planned(db(), to, {}, { ...DEFAULT_PROBE_LIMITS, statementMs: 200, lockMs: 100 });
      assert.deepEqual(hazardsOf(plan, 'DL-01', 'FL-07').map(summary), [
        ['FL-07', 'constraint:"public"."t"."t_slow"', { unknown: 'timed out' }, 'Adding t_slow fails if rows of "public"."t" violate CHECK (public.slow(n)).'],
        ['DL-01', 'table:"public"."gone"', { unknown: 'table locked' }, 'Dropping "public"."gone" deletes all its rows.'],
      ]);
      await blocker.query('ROLLBACK');
    } finally {
      await blocker.end();
    }
    // A CHECK whose function writes: the probe evaluating it is refused by the READ ONLY transaction.
    const fn = `CREATE TABLE audit (n int); CREATE FUNCTION noted(x int) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit VALUES (x); RETURN true; END $$`;
    await db().exec(`DROP TABLE gone; ALTER TABLE t ADD COLUMN m int; ${fn}`);
    await to.drop();
    to = await databaseOn(server);
    await to.exec(`${fn}; CREATE TABLE t (n int, m int CONSTRAINT t_noted CHECK (noted(m)))`);
    await assert.rejects(planned(db(), to), /read-only transaction/);
    assert.deepEqual(await db().query('SELECT count(*)::int AS n FROM audit'), [{ n: 0 }]);
  });
});
