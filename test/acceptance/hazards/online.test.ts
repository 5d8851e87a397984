import assert from 'node:assert/strict';
import { connectPg } from '../../../src/core/db/pgConnection';
import { measureHazards } from '../../../src/core/hazards/measure';
import { planMigration, renderPlanSql } from '../../../src/core/plan';
import type { Plan } from '../../../src/core/plan/types';
import { applyPlan } from '../../support/applyPlan';
import { inspectDatabase } from '../../support/fixtures';
import { databaseOn, describeEachServer, type TestDatabase } from '../../support/servers';

const FROM = `
  CREATE TABLE p (id int PRIMARY KEY);
  INSERT INTO p VALUES (1), (2);
  CREATE TABLE c (id int NOT NULL, p_id int, n int, email text, code text);
  CREATE INDEX c_old_idx ON c (code);
  INSERT INTO c VALUES (1, 1, 5, 'a@x.com', 'x'), (2, 2, 7, 'b@x.com', 'y'), (3, NULL, NULL, NULL, 'z');`;

const TO = `
  CREATE TABLE p (id int PRIMARY KEY);
  CREATE TABLE c (id int NOT NULL, p_id int, n int, email text, code text,
    CONSTRAINT c_pkey PRIMARY KEY (id),
    CONSTRAINT c_p_fkey FOREIGN KEY (p_id) REFERENCES p (id),
    CONSTRAINT c_n_check CHECK (n > 0),
    CONSTRAINT c_email_key UNIQUE (email) DEFERRABLE);
  CREATE INDEX c_n_idx ON c (n);
  CREATE UNIQUE INDEX c_code_idx ON c (code);
  CREATE TABLE fresh (id int PRIMARY KEY, p_id int REFERENCES p, n int CHECK (n > 0), email text UNIQUE);
  CREATE INDEX fresh_n_idx ON fresh (n);`;

async function plan(from: TestDatabase, to: TestDatabase, online: boolean): Promise<Plan> {
  return planMigration((await inspectDatabase(from)).model, (await inspectDatabase(to)).model, { online });
}

/** Each statement as "phase [no-tx] sql" with its hazard codes. */
function outline(p: Plan): string[] {
  return p.statements.map((s) => `${s.phase}${s.transactional === false ? ' no-tx' : ''} ${s.sql}${s.hazards?.length ? ` [${s.hazards.map((h) => h.code).join(' ')}]` : ''}`);
}

describeEachServer('online constraint and index changes', ({ server, db }) => {
  let to: TestDatabase;
  beforeEach(async () => {
    to = await databaseOn(server);
    await db().exec(FROM);
    await to.exec(TO);
  });
  afterEach(async () => {
    await to.drop();
  });

  it('adds foreign keys and checks NOT VALID then validates them, builds indexes CONCURRENTLY, attaches unique keys USING INDEX', async () => {
    const planned = outline(await plan(db(), to, true)).filter((s) => /CONSTRAINT|INDEX/.test(s) && !s.includes('CREATE TABLE'));
    assert.deepEqual(planned, [
      'expand no-tx CREATE UNIQUE INDEX CONCURRENTLY c_code_idx ON public.c USING btree (code) [FL-05 TX-01]',
      'expand no-tx CREATE UNIQUE INDEX CONCURRENTLY "c_email_key" ON "public"."c" ("email") [FL-05 TX-01]',
      'expand no-tx CREATE INDEX CONCURRENTLY c_n_idx ON public.c USING btree (n) [TX-01]',
      'expand no-tx CREATE UNIQUE INDEX CONCURRENTLY "c_pkey" ON "public"."c" ("id") [FL-05 TX-01]',
      'expand ALTER TABLE "public"."c" ADD CONSTRAINT "c_email_key" UNIQUE USING INDEX "c_email_key" DEFERRABLE',
      'expand ALTER TABLE "public"."c" ADD CONSTRAINT "c_n_check" CHECK (n > 0) NOT VALID',
      'expand ALTER TABLE "public"."c" ADD CONSTRAINT "c_p_fkey" FOREIGN KEY (p_id) REFERENCES public.p(id) NOT VALID',
      'expand ALTER TABLE "public"."c" ADD CONSTRAINT "c_pkey" PRIMARY KEY USING INDEX "c_pkey"',
      'expand ALTER TABLE "public"."fresh" ADD CONSTRAINT "fresh_email_key" UNIQUE (email)',
      'expand ALTER TABLE "public"."fresh" ADD CONSTRAINT "fresh_n_check" CHECK (n > 0)',
      'expand ALTER TABLE "public"."fresh" ADD CONSTRAINT "fresh_p_id_fkey" FOREIGN KEY (p_id) REFERENCES public.p(id)',
      'expand ALTER TABLE "public"."fresh" ADD CONSTRAINT "fresh_pkey" PRIMARY KEY (id)',
      'expand CREATE INDEX fresh_n_idx ON public.fresh USING btree (n)',
      'contract no-tx DROP INDEX CONCURRENTLY "public"."c_old_idx" [TX-01]',
      'validate ALTER TABLE "public"."c" VALIDATE CONSTRAINT "c_n_check" [FL-07]',
      'validate ALTER TABLE "public"."c" VALIDATE CONSTRAINT "c_p_fkey" [FL-06]',
    ], renderPlanSql(await plan(db(), to, true)));
  });

  it('without online, keeps the plain forms and their lock hazards', async () => {
    const planned = outline(await plan(db(), to, false)).filter((s) => /"c"|public\.c |c_old_idx/.test(s));
    assert.ok(planned.every((s) => !s.includes('no-tx') && !s.includes('CONCURRENTLY') && !s.includes('NOT VALID') && !s.startsWith('validate')), planned.join('\n'));
    const codes = planned.flatMap((s) => /\[(.*)\]$/.exec(s)?.[1]?.split(' ') ?? []).sort();
    assert.deepEqual([...new Set(codes)], ['FL-05', 'FL-06', 'FL-07', 'LK-05', 'LK-06', 'LK-07', 'LK-08', 'LK-09']);
  });

  it('measures the row hazards on the statements that check the rows', async () => {
    const connection = await connectPg(db().target);
    try {
      const measured = await measureHazards(await plan(db(), to, true), connection);
      const found = measured.statements.flatMap((s) => (s.hazards ?? [])
        .filter((h) => ['FL-05', 'FL-06', 'FL-07'].includes(h.code))
        .map((h) => [h.code, h.object, s.sql.split(' ').slice(0, 4).join(' '), h.evidence?.failing]));
      const none = { value: 0, capped: false };
      assert.deepEqual(found, [
        ['FL-05', 'index:"public"."c_code_idx"', 'CREATE UNIQUE INDEX CONCURRENTLY', none],
        ['FL-05', 'constraint:"public"."c"."c_email_key"', 'CREATE UNIQUE INDEX CONCURRENTLY', none],
        ['FL-05', 'constraint:"public"."c"."c_pkey"', 'CREATE UNIQUE INDEX CONCURRENTLY', none],
        ['FL-07', 'constraint:"public"."c"."c_n_check"', 'ALTER TABLE "public"."c" VALIDATE', none],
        ['FL-06', 'constraint:"public"."c"."c_p_fkey"', 'ALTER TABLE "public"."c" VALIDATE', none],
      ]);
    } finally {
      await connection.close();
    }
  });

  it('applies: constraints end up validated, indexes valid, and a re-plan is empty', async () => {
    await applyPlan(db(), await plan(db(), to, true));
    const invalid = await db().query<{ name: string }>(`
      SELECT conname AS name FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND NOT convalidated
      UNION ALL SELECT indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE c.relnamespace = 'public'::regnamespace AND NOT i.indisvalid`);
    assert.deepEqual(invalid, []);
    const [count] = await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 'n'`);
    assert.equal(count?.n, 9);
    const again = await plan(db(), to, true);
    assert.deepEqual(again.statements.map((s) => s.sql), []);
  });

  it('a primary key on columns that were nullable is attached in the validate phase, after they become NOT NULL', async () => {
    await db().exec('CREATE TABLE k (a int, b text); INSERT INTO k VALUES (1, \'x\'), (2, \'y\')');
    await to.exec('CREATE TABLE k (a int CONSTRAINT k_pkey PRIMARY KEY, b text)');
    const planned = await plan(db(), to, true);
    const attach = planned.statements.findIndex((s) => s.sql.includes('"k_pkey" PRIMARY KEY USING INDEX'));
    const notNull = planned.statements.findIndex((s) => s.sql.startsWith('ALTER TABLE "public"."k" ALTER COLUMN "a" SET NOT NULL'));
    assert.equal(planned.statements[attach]?.phase, 'validate', renderPlanSql(planned));
    assert.ok(notNull >= 0 && notNull < attach, renderPlanSql(planned));
    await applyPlan(db(), planned);
    assert.deepEqual((await plan(db(), to, true)).statements.map((s) => s.sql), []);
  });

  it('a unique key on a column the plan adds is built after the column, and a CONCURRENTLY build after a new extension', async () => {
    await db().exec("CREATE TABLE u (id int PRIMARY KEY); INSERT INTO u VALUES (1), (2); CREATE TABLE doc (body text); INSERT INTO doc VALUES ('x')");
    await to.exec(`CREATE TABLE u (id int PRIMARY KEY, email text CONSTRAINT u_email_key UNIQUE);
      CREATE EXTENSION pg_trgm; CREATE TABLE doc (body text); CREATE INDEX doc_trgm ON doc USING gin (body gin_trgm_ops)`);
    const planned = await plan(db(), to, true);
    await applyPlan(db(), planned);
    assert.deepEqual((await plan(db(), to, true)).statements.map((s) => s.sql), []);
  });

  it('a temporal primary key (WITHOUT OVERLAPS, PostgreSQL 18) keeps the plain form; its FL-05 is not measured', async function () {
    if (server.major < 18) this.skip();
    const table = 'CREATE EXTENSION btree_gist; CREATE TABLE r (id int NOT NULL, period tsrange NOT NULL';
    await db().exec(`${table})`);
    await to.exec(`${table}, CONSTRAINT r_pkey PRIMARY KEY (id, period WITHOUT OVERLAPS))`);
    const planned = await plan(db(), to, true);
    const add = planned.statements.find((s) => s.sql.includes('"r_pkey"'));
    assert.equal(add?.sql, 'ALTER TABLE "public"."r" ADD CONSTRAINT "r_pkey" PRIMARY KEY (id, period WITHOUT OVERLAPS)');
    assert.deepEqual(add?.hazards?.map((h) => [h.code, h.message]), [
      ['FL-05', 'Adding r_pkey fails if rows of "public"."r" share a key with overlapping periods. Not measured: overlapping periods are not counted.'],
      ['LK-07', 'Adding r_pkey builds its index on "public"."r" under ACCESS EXCLUSIVE.'],
    ]);
    await applyPlan(db(), planned);
    assert.deepEqual((await plan(db(), to, true)).statements.map((s) => s.sql), []);
  });

  it('an orphan makes VALIDATE fail after the NOT VALID constraint is in place', async () => {
    await db().exec('INSERT INTO c VALUES (4, 42, 1, NULL, NULL)');
    await assert.rejects(applyPlan(db(), await plan(db(), to, true)), /VALIDATE CONSTRAINT "c_p_fkey"/);
  });
});
