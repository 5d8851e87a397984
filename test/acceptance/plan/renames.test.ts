// Renames declared in pgdrift.mapping.json: the plan renames instead of dropping and creating,
// keeps what depends on the renamed object (indexes, constraints, foreign keys, triggers), and
// converges: applied to the from-database, the re-diff against the desired one is empty and the
// values are still there. Undeclared renames are only proposed (DL-04, DL-06), measured.
import assert from 'node:assert/strict';
import { connectPg } from '../../../src/core/db/pgConnection';
import { parseMapping, validateMapping } from '../../../src/core/diff/mapping';
import { measureHazards } from '../../../src/core/hazards/measure';
import type { Hazard } from '../../../src/core/hazards/types';
import type { SchemaModel } from '../../../src/core/model/types';
import { planMigration } from '../../../src/core/plan';
import type { Plan } from '../../../src/core/plan/types';
import { applyPlan } from '../../support/applyPlan';
import { inspectDatabase } from '../../support/fixtures';
import { databaseOn, describeEachServer, type TestDatabase } from '../../support/servers';

const COLUMNS_FROM = `
  CREATE TABLE users (
    id int PRIMARY KEY,
    fullname text CONSTRAINT users_name_check CHECK (fullname <> ''),
    code text CONSTRAINT users_code_key UNIQUE,
    score smallint);
  CREATE INDEX users_name_idx ON users (lower(fullname)) WHERE fullname IS NOT NULL;
  CREATE TABLE posts (id int PRIMARY KEY, user_code text CONSTRAINT posts_user_fkey REFERENCES users (code));
  INSERT INTO users VALUES (1, 'Ada', 'a', 5), (2, 'Bob', 'b', NULL);
  INSERT INTO posts VALUES (10, 'a');`;
const COLUMNS_TO = `
  CREATE TABLE users (
    id int PRIMARY KEY,
    "displayName" text CONSTRAINT users_name_check CHECK ("displayName" <> ''),
    user_code text CONSTRAINT users_code_key UNIQUE,
    points integer);
  CREATE INDEX users_name_idx ON users (lower("displayName")) WHERE "displayName" IS NOT NULL;
  CREATE TABLE posts (id int PRIMARY KEY, user_code text CONSTRAINT posts_user_fkey REFERENCES users (user_code));`;
const COLUMNS_MAPPING = { columns: { 'public.users': { fullname: 'displayName', code: 'user_code', score: 'points' } } };

const TABLE_FROM = `
  CREATE TABLE employees (id int PRIMARY KEY, name text NOT NULL, boss int CONSTRAINT employees_boss_fkey REFERENCES employees (id));
  CREATE INDEX employees_name_idx ON employees (name);
  CREATE TABLE badge (id int PRIMARY KEY, employee int CONSTRAINT badge_employee_fkey REFERENCES employees (id));
  CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
  CREATE TRIGGER employees_touch BEFORE UPDATE OF name ON employees FOR EACH ROW EXECUTE FUNCTION touch();
  INSERT INTO employees VALUES (1, 'Ada', NULL), (2, 'Bob', 1);
  INSERT INTO badge VALUES (7, 2);`;
const TABLE_TO = `
  CREATE TABLE "Employee" (id int CONSTRAINT employees_pkey PRIMARY KEY, "fullName" text NOT NULL, boss int CONSTRAINT employees_boss_fkey REFERENCES "Employee" (id));
  CREATE INDEX employees_name_idx ON "Employee" ("fullName");
  CREATE TABLE badge (id int PRIMARY KEY, employee int CONSTRAINT badge_employee_fkey REFERENCES "Employee" (id));
  CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
  CREATE TRIGGER employees_touch BEFORE UPDATE OF "fullName" ON "Employee" FOR EACH ROW EXECUTE FUNCTION touch();`;
const TABLE_MAPPING = { tables: { 'public.employees': 'Employee' }, columns: { 'public.Employee': { name: 'fullName' } } };

async function models(from: TestDatabase, to: TestDatabase): Promise<[SchemaModel, SchemaModel]> {
  return [(await inspectDatabase(from)).model, (await inspectDatabase(to)).model];
}

async function planWith(from: TestDatabase, to: TestDatabase, json: object): Promise<Plan> {
  const [a, b] = await models(from, to);
  const file = parseMapping(JSON.stringify(json));
  validateMapping(file, a, b);
  return planMigration(a, b, { mapping: file.mapping, casts: file.casts });
}

async function convergeAndRead<R extends object>(from: TestDatabase, to: TestDatabase, p: Plan, read: string): Promise<R[]> {
  await applyPlan(from, p);
  const [after, desired] = await models(from, to);
  const again = planMigration(after, desired);
  assert.deepEqual(again.changes.map((c) => `${c.action} ${c.id}: ${c.details.join('; ')}`), []);
  return from.query<R>(read);
}

async function measured(p: Plan, db: TestDatabase): Promise<Hazard[]> {
  const connection = await connectPg(db.target);
  try {
    return (await measureHazards(p, connection)).statements.flatMap((s) => s.hazards ?? []);
  } finally {
    await connection.close();
  }
}

describeEachServer('renames from pgdrift.mapping.json', ({ server, db }) => {
  let to: TestDatabase;
  beforeEach(async () => {
    to = await databaseOn(server);
  });
  afterEach(async () => {
    await to.drop();
  });

  it('renames columns in place: the index, CHECK, UNIQUE and the foreign key to them stay; a type change follows the rename', async () => {
    await db().exec(COLUMNS_FROM);
    await to.exec(COLUMNS_TO);
    const p = await planWith(db(), to, COLUMNS_MAPPING);
    assert.deepEqual(p.statements.map((s) => s.sql), [
      'ALTER TABLE "public"."users" RENAME COLUMN "fullname" TO "displayName"',
      'ALTER TABLE "public"."users" RENAME COLUMN "score" TO "points"',
      'ALTER TABLE "public"."users" ALTER COLUMN "points" TYPE integer USING "points"::integer',
      'ALTER TABLE "public"."users" RENAME COLUMN "code" TO "user_code"',
    ]);
    const [before] = await db().query<{ oid: string }>(`SELECT 'users_name_idx'::regclass::oid::text AS oid`);
    const rows = await convergeAndRead<{ r: string }>(db(), to, p,
      `SELECT format('%s %s %s %s', id, "displayName", user_code, points) AS r FROM users ORDER BY id`);
    assert.deepEqual(rows.map((r) => r.r), ['1 Ada a 5', '2 Bob b ']);
    const [after] = await db().query<{ oid: string }>(`SELECT 'users_name_idx'::regclass::oid::text AS oid`);
    assert.equal(after?.oid, before?.oid, 'the index was kept, not rebuilt');
  });

  it('renames a table and a column of it: foreign keys (also from other tables), index and trigger stay', async () => {
    await db().exec(TABLE_FROM);
    await to.exec(TABLE_TO);
    const p = await planWith(db(), to, TABLE_MAPPING);
    assert.deepEqual(p.statements.map((s) => s.sql), [
      'ALTER TABLE "public"."employees" RENAME TO "Employee"',
      'ALTER TABLE "public"."Employee" RENAME COLUMN "name" TO "fullName"',
    ]);
    const rows = await convergeAndRead<{ r: string }>(db(), to, p,
      `SELECT format('%s %s %s %s', e.id, e."fullName", e.boss, b.id) AS r FROM "Employee" e LEFT JOIN badge b ON b.employee = e.id ORDER BY e.id`);
    assert.deepEqual(rows.map((r) => r.r), ['1 Ada  ', '2 Bob 1 7']);
  });

  it('copies a mapped column into one that already exists, then drops it (DL-05)', async () => {
    await db().exec('CREATE TABLE t (id int PRIMARY KEY, legacy_name text, name text); INSERT INTO t VALUES (1, \'a\', NULL), (2, \'b\', \'b\')');
    await to.exec('CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL)');
    const p = await planWith(db(), to, { columns: { 'public.t': { legacy_name: 'name' } } });
    assert.deepEqual(p.statements.map((s) => `${s.phase}: ${s.sql}`), [
      'migrate-data: UPDATE "public"."t" SET "name" = "legacy_name" WHERE "name" IS NULL AND "legacy_name" IS NOT NULL',
      'migrate-data: ALTER TABLE "public"."t" ALTER COLUMN "name" SET NOT NULL',
      'contract: ALTER TABLE "public"."t" DROP COLUMN "legacy_name"',
    ]);
    const dl05 = (await measured(p, db())).find((h) => h.code === 'DL-05');
    assert.equal(dl05?.message, '"public"."t"."legacy_name": 1 value copied into "name" before the drop; none disagree.');
    const rows = await convergeAndRead<{ r: string }>(db(), to, p, `SELECT format('%s %s', id, name) AS r FROM t ORDER BY id`);
    assert.deepEqual(rows.map((r) => r.r), ['1 a', '2 b']);
  });
});

describeEachServer('rename proposals (DL-04, DL-06)', ({ server, db }) => {
  let to: TestDatabase;
  beforeEach(async () => {
    to = await databaseOn(server);
  });
  afterEach(async () => {
    await to.drop();
  });

  it('proposes a column rename on the drop, measured like DL-02, without changing the plan', async () => {
    await db().exec(`CREATE TABLE users (id int PRIMARY KEY, usr_name text, age int); INSERT INTO users VALUES (1, 'ada', 3), (2, NULL, 4)`);
    await to.exec('CREATE TABLE users (id int PRIMARY KEY, user_name text, years int)');
    const [a, b] = await models(db(), to);
    const p = planMigration(a, b);
    assert.ok(p.statements.some((s) => s.sql === 'ALTER TABLE "public"."users" DROP COLUMN "usr_name"'));
    const hazards = await measured(p, db());
    const dl04 = hazards.find((h) => h.code === 'DL-04');
    assert.equal(dl04?.object, 'column:"public"."users"."usr_name"');
    assert.deepEqual(dl04?.evidence?.values, { value: 1, capped: false });
    assert.equal(dl04?.message, `Dropping "public"."users"."usr_name" deletes 1 non-null value (e.g. 'ada'). It looks like a rename to "user_name": add {"columns":{"public.users":{"usr_name":"user_name"}}} to pgdrift.mapping.json.`);
    // age → years: same type, names too far apart.
    assert.ok(hazards.some((h) => h.code === 'DL-02' && h.object === 'column:"public"."users"."age"'));
  });

  it('proposes a table rename for the same columns or a case-only name change', async () => {
    await db().exec('CREATE TABLE person (id int PRIMARY KEY, name text); INSERT INTO person VALUES (1, \'a\'); CREATE TABLE employee (id int)');
    await to.exec('CREATE TABLE people (id int PRIMARY KEY, name text); CREATE TABLE "Employee" (id int, extra text)');
    const [a, b] = await models(db(), to);
    const hazards = await measured(planMigration(a, b), db());
    const messages = hazards.filter((h) => h.code === 'DL-06').map((h) => h.message).sort();
    assert.deepEqual(messages, [
      'Dropping "public"."employee" loses nothing: it has no rows. It looks like a rename to "Employee": add {"tables":{"public.employee":"Employee"}} to pgdrift.mapping.json.',
      'Dropping "public"."person" deletes 1 row. It looks like a rename to "people": add {"tables":{"public.person":"people"}} to pgdrift.mapping.json.',
    ]);
  });
});
