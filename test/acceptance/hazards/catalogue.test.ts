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
import { blockingHazards, isBlocking } from '../../../src/core/hazards/accept';
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

/**
 * The relation locks `sql` takes on the user's tables (relation: mode, sorted), read from pg_locks
 * inside a transaction that is rolled back.
 */
async function locksTaken(db: TestDatabase, sql: string): Promise<string[]> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(sql);
    const r = await client.query<{ lock: string }>(`SELECT c.relname || ': ' || l.mode AS lock FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
      WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND c.relkind IN ('r', 'p') AND c.relnamespace = 'public'::regnamespace ORDER BY 1`);
    return r.rows.map((row) => row.lock);
  } finally {
    await client.query('ROLLBACK');
    await client.end();
  }
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

  it('DL-10 an identity turned into a serial continues after the stored ids; DROP IDENTITY says the position goes (compat, not blocking)', async () => {
    await db().exec(`CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text); INSERT INTO t (v) VALUES ('a'), ('b'), ('c');
      CREATE TABLE u (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text); INSERT INTO u (id, v) VALUES (7, 'x'), (150, 'y')`);
    await to.exec('CREATE TABLE t (id serial PRIMARY KEY, v text); CREATE TABLE u (id int PRIMARY KEY, v text)');
    const plan = await planned(db(), to);
    assert.deepEqual(outline(plan).filter((s) => s.includes('setval')), [
      `expand: SELECT pg_catalog.setval('"public"."t_id_seq"', v) FROM (SELECT max("id") AS v FROM "public"."t") AS s WHERE v >= 1`,
    ]);
    assert.ok(at(plan, 'CREATE SEQUENCE "public"."t_id_seq"') < at(plan, `setval('"public"."t_id_seq"'`));
    assert.deepEqual(hazardsOf(plan, 'DL-10').map((h) => [h.severity, h.object, h.message, isBlocking(h)]), [
      ['compat', 'column:"public"."t"."id"', `DROP IDENTITY on "public"."t"."id" discards the sequence's position (read it first with SELECT pg_sequence_last_value(pg_get_serial_sequence('"public"."t"', 'id')) if the numbering must go on): "public"."t"."id" gets a new sequence that continues after its largest stored value, so numbers of rows deleted from the end can be issued again.`, false],
      ['compat', 'column:"public"."u"."id"', `DROP IDENTITY on "public"."u"."id" discards the sequence's position (read it first with SELECT pg_sequence_last_value(pg_get_serial_sequence('"public"."u"', 'id')) if the numbering must go on): a sequence created in its place later starts over.`, false],
    ]);
    await converges(db(), to, plan);
    await db().exec(`INSERT INTO t (v) VALUES ('d')`);
    assert.deepEqual(await db().query(`SELECT id FROM t WHERE v = 'd'`), [{ id: 4 }]);
  });

  it('DL-10 a sequence dropped on its own: its position goes, stated as compat (a counter, not rows; not measured), and a serial turned identity says its identity continues after the stored ids', async () => {
    await db().exec(`CREATE SEQUENCE counter; SELECT nextval('counter') FROM generate_series(1, 3);
      CREATE TABLE t (id serial PRIMARY KEY, v text); INSERT INTO t (v) VALUES ('a'), ('b')`);
    await to.exec('CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text)');
    const plan = await planned(db(), to);
    assert.deepEqual(plan.statements.filter((s) => s.sql.startsWith('DROP SEQUENCE')).map((s) => [s.sql, s.hazards?.map((h) => [h.code, h.severity, h.object, h.evidence, h.message])]), [
      ['DROP SEQUENCE "public"."t_id_seq"', [['DL-10', 'compat', 'sequence:"public"."t_id_seq"', undefined,
        'Dropping "public"."t_id_seq" discards the sequence\'s position (read it first with SELECT last_value, is_called FROM "public"."t_id_seq" if the numbering must go on): "public"."t"."id" gets a new sequence that continues after its largest stored value, so numbers of rows deleted from the end can be issued again.']]],
      ['DROP SEQUENCE "public"."counter"', [['DL-10', 'compat', 'sequence:"public"."counter"', undefined,
        'Dropping "public"."counter" discards the sequence\'s position (read it first with SELECT last_value, is_called FROM "public"."counter" if the numbering must go on): a sequence created in its place later starts over.']]],
    ]);
    assert.deepEqual(blockingHazards(plan), [], 'compat: reported, not blocking');
    await converges(db(), to, plan);
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

  it('FL-03 a type change with no cast at all (integer → integer[], and back) is reported before it runs: blocking, stated, not measured (it fails whatever the values); text → integer[] is measured', async () => {
    await db().exec(`CREATE TABLE t (id int PRIMARY KEY, a int, b int[], c text); INSERT INTO t VALUES (1, 5, '{1,2}', '{3}'), (2, NULL, NULL, 'x')`);
    await to.exec('CREATE TABLE t (id int PRIMARY KEY, a int[], b int, c int[])');
    const plan = await planned(db(), to);
    const found = hazardsOf(plan, 'FL-03');
    assert.deepEqual(found.map((h) => [h.object, h.target, h.evidence, isBlocking(h)]), [
      ['column:"public"."t"."a"', undefined, undefined, true],
      ['column:"public"."t"."b"', undefined, undefined, true],
      ['column:"public"."t"."c"', found[2]?.target, found[2]?.evidence, true],
    ]);
    assert.deepEqual(found.slice(0, 2).map((h) => h.message), [
      '"public"."t"."a": PostgreSQL has no cast from integer to integer[], so ALTER … TYPE fails whatever the values, even on an empty table: convert the column by hand (for instance USING ARRAY["a"]) or keep its type. Not measured: no value can make it pass.',
      '"public"."t"."b": PostgreSQL has no cast from integer[] to integer, so ALTER … TYPE fails whatever the values, even on an empty table: convert the column by hand (for instance USING "b"[1]) or keep its type. Not measured: no value can make it pass.',
    ]);
    assert.deepEqual(found[2]?.evidence?.failing, N(1), 'text → integer[]: the values must be array literals; \'x\' is not');
    await db().exec('DELETE FROM t');
    await assert.rejects(applyPlan(db(), plan), /cannot cast type integer to integer\[\]/, 'fails on an empty table too');
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

  it('LK-11 ATTACH PARTITION scans the table under ACCESS EXCLUSIVE (the default partition too); DETACH PARTITION locks the partitioned table', async () => {
    await db().exec(`CREATE TABLE p (id int) PARTITION BY RANGE (id); CREATE TABLE p_other PARTITION OF p DEFAULT; CREATE TABLE p_old PARTITION OF p FOR VALUES FROM (100) TO (200);
      CREATE TABLE p_new (id int); INSERT INTO p_new VALUES (1), (5); INSERT INTO p VALUES (150), (300)`);
    await to.exec(`CREATE TABLE p (id int) PARTITION BY RANGE (id); CREATE TABLE p_other PARTITION OF p DEFAULT; CREATE TABLE p_new PARTITION OF p FOR VALUES FROM (1) TO (10);
      CREATE TABLE p_old (id int)`);
    const plan = await planned(db(), to);
    const attach = 'ALTER TABLE "public"."p" ATTACH PARTITION "public"."p_new" FOR VALUES FROM (1) TO (10)';
    const detach = 'ALTER TABLE "public"."p" DETACH PARTITION "public"."p_old"';
    assert.deepEqual(plan.statements.map((s) => [s.sql, s.hazards?.map((h) => [h.code, h.severity, h.object, h.message])]), [
      [attach, [['LK-11', 'lock', 'table:"public"."p_new"', 'ATTACH PARTITION scans "public"."p_new" under ACCESS EXCLUSIVE to check that its rows fit FOR VALUES FROM (1) TO (10), and scans the default partition "public"."p_other" under the same lock, unless a validated CHECK constraint already implies the bound: add one (NOT VALID, then VALIDATE) before attaching a large table.']]],
      [detach, [['LK-11', 'lock', 'table:"public"."p"', 'DETACH PARTITION "public"."p_old" takes ACCESS EXCLUSIVE on "public"."p": every query on the partitioned table waits; from PostgreSQL 14, DETACH PARTITION … CONCURRENTLY (outside a transaction, no default partition) does not.']]],
    ]);
    // What the server takes (13 leaves the detached table at SHARE UPDATE EXCLUSIVE).
    assert.deepEqual(await locksTaken(db(), attach), ['p: ShareUpdateExclusiveLock', 'p_new: AccessExclusiveLock', 'p_other: AccessExclusiveLock']);
    assert.deepEqual((await locksTaken(db(), detach)).filter((l) => l.startsWith('p:')), ['p: AccessExclusiveLock']);
    await converges(db(), to, plan);
    assert.deepEqual(await db().query('SELECT tableoid::regclass::text AS part, id FROM p ORDER BY id'), [{ part: 'p_new', id: 1 }, { part: 'p_new', id: 5 }, { part: 'p_other', id: 300 }]);
  });

  it('LK-14 ALTER DOMAIN … ADD CONSTRAINT checks every column of the domain, blocking writes (SHARE); its violations are counted per column; --online adds it NOT VALID and validates it in the validate phase', async () => {
    const domain = 'CREATE DOMAIN qty AS int; CREATE DOMAIN unused AS int';
    await db().exec(`${domain}; CREATE TABLE line (id int PRIMARY KEY, q qty); CREATE TABLE stock (q qty);
      INSERT INTO line VALUES (1, 5), (2, -1), (3, NULL); INSERT INTO stock VALUES (0)`);
    await to.exec(`${domain}; ALTER DOMAIN qty ADD CONSTRAINT qty_nonneg CHECK (VALUE >= 0); ALTER DOMAIN unused ADD CONSTRAINT unused_pos CHECK (VALUE > 0);
      CREATE TABLE line (id int PRIMARY KEY, q qty); CREATE TABLE stock (q qty)`);
    const lk14 = (clause: string) => ['LK-14', 'domain:"public"."qty"', `${clause} on domain "public"."qty" checks every stored value of "public"."line"."q", "public"."stock"."q" and blocks writes to "public"."line", "public"."stock" (SHARE${clause.startsWith('VALIDATE') ? ', unlike a table\'s VALIDATE' : ''}) until it is done; a CHECK on each column instead can be added NOT VALID and validated without blocking writes.`, undefined];
    const fl07 = [
      ['FL-07', 'constraint:"public"."qty"."qty_nonneg"', '"public"."line": 1 row violates CHECK (q >= 0) (e.g. id=\'2\'); qty_nonneg fails.', { rows: N(3), failing: N(1), samples: ["id='2'"] }],
      ['FL-07', 'constraint:"public"."qty"."qty_nonneg"', '"public"."stock": none of 1 row violates CHECK (q >= 0).', { rows: N(1), failing: N(0), samples: [] }],
    ];
    const plan = await planned(db(), to);
    assert.deepEqual(plan.statements.map((s) => [s.phase, s.sql, s.hazards?.map((h) => [h.code, h.object, h.message, h.evidence])]), [
      ['expand', 'ALTER DOMAIN "public"."qty" ADD CONSTRAINT "qty_nonneg" CHECK (VALUE >= 0)', [...fl07, lk14('ADD CONSTRAINT "qty_nonneg"')]],
      ['expand', 'ALTER DOMAIN "public"."unused" ADD CONSTRAINT "unused_pos" CHECK (VALUE > 0)', undefined],
    ]);
    const online = await planned(db(), to, { online: true });
    assert.deepEqual(online.statements.map((s) => [s.phase, s.sql, s.hazards?.map((h) => [h.code, h.object, h.message, h.evidence])]), [
      ['expand', 'ALTER DOMAIN "public"."qty" ADD CONSTRAINT "qty_nonneg" CHECK (VALUE >= 0) NOT VALID', undefined],
      ['expand', 'ALTER DOMAIN "public"."unused" ADD CONSTRAINT "unused_pos" CHECK (VALUE > 0)', undefined],
      ['validate', 'ALTER DOMAIN "public"."qty" VALIDATE CONSTRAINT "qty_nonneg"', [...fl07, lk14('VALIDATE CONSTRAINT "qty_nonneg"')]],
    ]);
    // What the server takes: SHARE on every table using the domain, for VALIDATE as for ADD; nothing for NOT VALID.
    const share = ['line: ShareLock', 'stock: ShareLock'];
    await db().exec('DELETE FROM line WHERE id = 2');
    assert.deepEqual(await locksTaken(db(), 'ALTER DOMAIN qty ADD CONSTRAINT qty_nonneg CHECK (VALUE >= 0)'), share);
    assert.deepEqual(await locksTaken(db(), 'ALTER DOMAIN qty ADD CONSTRAINT qty_nonneg CHECK (VALUE >= 0) NOT VALID'), []);
    assert.deepEqual(await locksTaken(db(), 'ALTER DOMAIN qty ADD CONSTRAINT qty_nonneg CHECK (VALUE >= 0) NOT VALID; ALTER DOMAIN qty VALIDATE CONSTRAINT qty_nonneg'), share);
    await converges(db(), to, online);
  });

  it('LK-14 a domain used as an array element type: PostgreSQL refuses to check a new constraint whatever the values, stated as a blocking FL-07', async () => {
    await db().exec('CREATE DOMAIN tag AS text; CREATE TABLE post (tags tag[])');
    await to.exec(`CREATE DOMAIN tag AS text CONSTRAINT tag_short CHECK (length(VALUE) < 10); CREATE TABLE post (tags tag[])`);
    const plan = await planned(db(), to);
    assert.deepEqual(plan.statements.flatMap((s) => (s.hazards ?? []).map((h) => [h.code, h.object, h.target, isBlocking(h)])), [
      ['FL-07', 'constraint:"public"."tag"."tag_short"', undefined, true],
      ['LK-14', 'domain:"public"."tag"', undefined, false],
    ]);
    assert.equal(hazardsOf(plan, 'FL-07')[0]?.message, 'Checking tag_short of domain "public"."tag" fails whatever the values: PostgreSQL refuses it while "public"."post"."tags" is an array of the domain ("cannot alter type … because column … uses it"); change that column first. Not measured: no value can make it pass.');
    await assert.rejects(applyPlan(db(), plan), /cannot alter type "tag" because column "post.tags" uses it/);
  });

  it('LK-15 SET LOGGED / SET UNLOGGED rewrite the table and the row security switches take ACCESS EXCLUSIVE on an existing table; not on a new one', async () => {
    await db().exec(`CREATE TABLE a (id int); CREATE UNLOGGED TABLE b (id int); CREATE TABLE c (id int); CREATE TABLE d (id int);
      ALTER TABLE d ENABLE ROW LEVEL SECURITY; INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)`);
    await to.exec(`CREATE UNLOGGED TABLE a (id int); CREATE TABLE b (id int); CREATE TABLE c (id int); CREATE TABLE d (id int);
      ALTER TABLE c ENABLE ROW LEVEL SECURITY; ALTER TABLE c FORCE ROW LEVEL SECURITY; CREATE POLICY c_all ON c USING (true);
      CREATE TABLE e (id int); ALTER TABLE e ENABLE ROW LEVEL SECURITY; CREATE POLICY e_all ON e USING (true)`);
    const plan = await planned(db(), to);
    assert.deepEqual(plan.statements.flatMap((s) => (s.hazards ?? []).map((h) => [s.sql, h.code, h.severity, h.object, h.message])), [
      ['ALTER TABLE "public"."a" SET UNLOGGED', 'LK-15', 'lock', 'table:"public"."a"', 'SET UNLOGGED rewrites "public"."a" under ACCESS EXCLUSIVE: reads and writes wait until the whole table is copied.'],
      ['ALTER TABLE "public"."b" SET LOGGED', 'LK-15', 'lock', 'table:"public"."b"', 'SET LOGGED rewrites "public"."b" under ACCESS EXCLUSIVE: reads and writes wait until the whole table is copied.'],
      ...['ENABLE', 'FORCE'].map((clause) => [`ALTER TABLE "public"."c" ${clause} ROW LEVEL SECURITY`, 'LK-15', 'lock', 'table:"public"."c"',
        `${clause} ROW LEVEL SECURITY takes ACCESS EXCLUSIVE on "public"."c": it waits for every query on the table and blocks all others while it waits, so run it when the table is quiet.`]),
      ['ALTER TABLE "public"."d" DISABLE ROW LEVEL SECURITY', 'LK-15', 'lock', 'table:"public"."d"',
        'DISABLE ROW LEVEL SECURITY takes ACCESS EXCLUSIVE on "public"."d": it waits for every query on the table and blocks all others while it waits, so run it when the table is quiet.'],
    ]);
    const file = async (t: string) => (await db().query<{ f: string }>(`SELECT pg_relation_filenode('${t}')::text AS f`))[0]?.f;
    const before = [await file('a'), await file('b')];
    for (const sql of ['ALTER TABLE a SET UNLOGGED', 'ALTER TABLE c ENABLE ROW LEVEL SECURITY', 'ALTER TABLE c FORCE ROW LEVEL SECURITY', 'ALTER TABLE d DISABLE ROW LEVEL SECURITY']) {
      assert.ok((await locksTaken(db(), sql)).includes(`${sql.split(' ')[2] ?? ''}: AccessExclusiveLock`), sql);
    }
    await converges(db(), to, plan);
    const after = [await file('a'), await file('b')];
    assert.ok(before[0] !== after[0] && before[1] !== after[1], 'both tables were rewritten');
    assert.deepEqual(await db().query('SELECT (SELECT id FROM a) AS a, (SELECT id FROM b) AS b'), [{ a: 1, b: 2 }]);
  });

  // ---- CP: compatibility --------------------------------------------------------------------

  it('CP-01 a declared rename (mapping file) is reported: application versions still using the old name break', async () => {
    await db().exec(`CREATE TABLE employees (id int, name text); INSERT INTO employees VALUES (1, 'ada')`);
    await to.exec('CREATE TABLE "Employee" (id int, "fullName" text)');
    const plan = await planned(db(), to, { mapping: { tables: { 'public.employees': 'Employee' }, columns: { 'public.Employee': { name: 'fullName' } } } });
    assert.deepEqual(plan.statements.map((s) => [s.sql, s.hazards?.map((h) => [h.code, h.severity, h.object, h.message])]), [
      ['ALTER TABLE "public"."employees" RENAME TO "Employee"', [['CP-01', 'compat', 'table:"public"."Employee"',
        'Renaming "public"."employees" to "Employee" breaks application versions still using the old name until they are replaced: keep a view under the old name over the new table for the length of the deploy, or deploy with the application stopped.']]],
      ['ALTER TABLE "public"."Employee" RENAME COLUMN "name" TO "fullName"', [['CP-01', 'compat', 'column:"public"."Employee"."fullName"',
        'Renaming "public"."Employee"."name" to "fullName" breaks application versions still using the old name until they are replaced: to avoid it, add the new column, write both and copy, and drop the old one in a later release.']]],
    ]);
    await applyPlan(db(), plan);
    assert.deepEqual(await db().query('SELECT id, "fullName" FROM "Employee"'), [{ id: 1, fullName: 'ada' }]);
    await assert.rejects(db().query('SELECT name FROM employees'), /relation "employees" does not exist/);
    assert.deepEqual(planMigration((await inspectDatabase(db())).model, (await inspectDatabase(to)).model).statements, [], 're-plan after applying');
  });

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

  it('CP-05 row security enabled on a table with no policy hides its rows from every role but the owner; a recreated view loses its grants unless privileges are compared', async () => {
    const role = `DO $$ BEGIN CREATE ROLE pgdrift_app; EXCEPTION WHEN duplicate_object THEN NULL; END $$`;
    const grants = 'GRANT SELECT ON t, u TO pgdrift_app; GRANT SELECT, INSERT ON v TO pgdrift_app';
    await db().exec(`${role}; CREATE TABLE t (id int); CREATE TABLE u (id int); INSERT INTO t VALUES (1); INSERT INTO u VALUES (1);
      CREATE VIEW v AS SELECT id FROM t; ${grants}`);
    await to.exec(`${role}; CREATE TABLE t (id int); CREATE TABLE u (id int); ALTER TABLE t ENABLE ROW LEVEL SECURITY;
      ALTER TABLE u ENABLE ROW LEVEL SECURITY; CREATE POLICY u_read ON u FOR SELECT USING (true);
      CREATE VIEW v AS SELECT id::bigint AS id FROM t; ${grants}`);
    const plan = await planned(db(), to);
    assert.deepEqual(hazardsOf(plan, 'CP-05').map((h) => [h.severity, h.object, h.message]), [
      ['compat', 'view:"public"."v"', 'Recreating "public"."v" drops what was granted on it to "pgdrift_app" (INSERT, SELECT), and privileges are not compared, so the plan does not grant it again: compare with --privileges, or repeat the GRANTs after the plan.'],
      ['compat', 'table:"public"."t"', 'ENABLE ROW LEVEL SECURITY on "public"."t", which has no policy: every role but the owner, superusers and BYPASSRLS roles will see no rows and cannot insert any; create its policies in the same plan or leave row security off.'],
    ]);
    assert.deepEqual(plan.statements.filter((s) => s.hazards?.some((h) => h.code === 'CP-05')).map((s) => s.sql), ['DROP VIEW "public"."v"', 'ALTER TABLE "public"."t" ENABLE ROW LEVEL SECURITY']);
    const withPrivileges = await planned(db(), to, { privileges: true });
    assert.deepEqual(hazardsOf(withPrivileges, 'CP-05').map((h) => h.object), ['table:"public"."t"'], 'compared privileges are granted again');
    await converges(db(), to, plan);
    const asApp = async (sql: string) => {
      const client = new Client({ connectionString: db().url });
      await client.connect();
      try {
        await client.query('SET ROLE pgdrift_app');
        return (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    };
    assert.deepEqual(await asApp('SELECT (SELECT count(*) FROM t)::int AS t, (SELECT count(*) FROM u)::int AS u'), [{ t: 0, u: 1 }], 'no policy, no rows; u has one');
    assert.deepEqual(await db().query('SELECT count(*)::int AS t FROM t'), [{ t: 1 }], 'the owner still sees its row');
    await assert.rejects(asApp('SELECT * FROM v'), /permission denied/);
  });

  it('CP-07 ALTER EXTENSION … UPDATE and DROP EXTENSION are reported', async () => {
    await db().exec(`CREATE EXTENSION citext VERSION '1.4'; CREATE EXTENSION isn`);
    await to.exec(`CREATE EXTENSION citext VERSION '1.5'`);
    const plan = await planned(db(), to);
    const isn = (await db().query<{ v: string }>(`SELECT extversion AS v FROM pg_extension WHERE extname = 'isn'`))[0]?.v ?? '?';
    assert.deepEqual(plan.statements.map((s) => [s.sql, s.hazards?.map((h) => [h.code, h.severity, h.object, h.message])]), [
      [`ALTER EXTENSION "citext" UPDATE TO '1.5'`, [['CP-07', 'compat', 'extension:"citext"', `Updating extension citext from 1.4 to 1.5 runs its upgrade scripts, which may change or remove functions, types and operators in use: read the extension's release notes for that step before running it.`]]],
      ['DROP EXTENSION "isn"', [['CP-07', 'compat', 'extension:"isn"', `Dropping extension isn ${isn} removes its functions, types and operators: application queries that still call them fail afterwards, so make sure nothing uses them before the plan runs.`]]],
    ]);
    await converges(db(), to, plan);
  });

  it('CP-08 a json column added to an existing table, or a column changed to json: DISTINCT, GROUP BY and UNION over it fail; not for a new table', async () => {
    await db().exec(`CREATE TABLE t (id int, doc jsonb); INSERT INTO t VALUES (1, '{"a": 1}'), (1, '{"a": 1}')`);
    await to.exec('CREATE TABLE t (id int, doc json, meta json); CREATE TABLE n (id int, doc json)');
    const plan = await planned(db(), to);
    assert.deepEqual(hazardsOf(plan, 'CP-08').map((h) => [h.severity, h.object, h.message]), ['doc', 'meta'].map((c) => ['compat', `column:"public"."t"."${c}"`,
      `"public"."t".${c} is json, which has no equality operator: DISTINCT, GROUP BY and UNION over it (SELECT DISTINCT * included) fail; use jsonb unless the exact input text must be kept.`]));
    assert.deepEqual(await db().query('SELECT count(*)::int AS n FROM (SELECT DISTINCT * FROM t) s'), [{ n: 1 }], 'before: DISTINCT * works');
    await converges(db(), to, plan);
    await assert.rejects(db().query('SELECT DISTINCT * FROM t'), /could not identify an equality operator for type json/);
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
