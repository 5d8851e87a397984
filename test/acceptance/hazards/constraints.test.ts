import assert from 'node:assert/strict';
import { connectPg } from '../../../src/core/db/pgConnection';
import type { DiffOptions } from '../../../src/core/diff/options';
import { measureHazards } from '../../../src/core/hazards/measure';
import type { Hazard, HazardCode } from '../../../src/core/hazards/types';
import { planMigration } from '../../../src/core/plan';
import { fixtureSql, inspectDatabase } from '../../support/fixtures';
import { databaseOn, describeEachServer, type TestDatabase } from '../../support/servers';

const CODES: HazardCode[] = ['FL-05', 'FL-06', 'FL-07'];

/** The FL-05/06/07 hazards of the plan from `from` to `to`, measured on `from`. */
async function measured(from: TestDatabase, to: TestDatabase, options: Partial<DiffOptions> = {}): Promise<Hazard[]> {
  const plan = planMigration((await inspectDatabase(from)).model, (await inspectDatabase(to)).model, options);
  const connection = await connectPg(from.target);
  try {
    const done = await measureHazards(plan, connection);
    return done.statements.flatMap((s) => s.hazards ?? []).filter((h) => CODES.includes(h.code));
  } finally {
    await connection.close();
  }
}

const row = (h: Hazard) => [h.code, h.object, h.evidence, h.message];
const n = (value: number) => ({ value, capped: false });

describeEachServer('constraint hazards measured on the data', ({ server, db }) => {
  let to: TestDatabase;
  beforeEach(async () => {
    to = await databaseOn(server);
  });
  afterEach(async () => {
    await to.drop();
  });

  const USERS = `CREATE TABLE users (id int PRIMARY KEY, email text, name text);
    INSERT INTO users VALUES (1, 'a@x.com', 'ann'), (2, 'a@x.com', 'bob'), (3, 'b@x.com', 'cy'), (4, 'b@x.com', 'di'),
      (5, 'b@x.com', 'ed'), (6, NULL, 'flo'), (7, NULL, 'gus'), (8, 'c@x.com', 'hal');`;

  it('FL-05: counts duplicated keys of a new UNIQUE, with samples; NULL keys never collide', async () => {
    await db().exec(USERS);
    await to.exec('CREATE TABLE users (id int PRIMARY KEY, email text CONSTRAINT users_email_key UNIQUE, name text CONSTRAINT users_name_key UNIQUE)');
    assert.deepEqual((await measured(db(), to)).map(row), [
      ['FL-05', 'constraint:"public"."users"."users_email_key"',
        { rows: n(8), groups: n(2), failing: n(5), samples: ["email='b@x.com' ×3", "email='a@x.com' ×2"] },
        `"public"."users": 2 duplicated keys in (email) (e.g. 'b@x.com' ×3, 'a@x.com' ×2); ADD UNIQUE fails.`],
      ['FL-05', 'constraint:"public"."users"."users_name_key"', { rows: n(8), groups: n(0), failing: n(0), samples: [] },
        '"public"."users": no duplicates in (name) in 8 rows.'],
    ]);
  });

  it('FL-05: a valid unique index on a subset of the columns proves it without scanning', async () => {
    await db().exec(`${USERS} CREATE UNIQUE INDEX users_name_idx ON users (name);`);
    await to.exec('CREATE TABLE users (id int PRIMARY KEY, email text, name text, CONSTRAINT users_pair UNIQUE (email, name)); CREATE UNIQUE INDEX users_name_idx ON users (name)');
    assert.deepEqual((await measured(db(), to)).map(row), [
      ['FL-05', 'constraint:"public"."users"."users_pair"', { groups: n(0), failing: n(0) },
        '"public"."users": no duplicates in (email, name): the unique index users_name_idx already proves it.'],
    ]);
  });

  it('FL-05: a new primary key fails on duplicates and on NULLs', async () => {
    await db().exec('CREATE TABLE k (a int, b text); INSERT INTO k VALUES (1, \'x\'), (1, \'y\'), (NULL, \'z\'), (2, \'w\')');
    await to.exec('CREATE TABLE k (a int CONSTRAINT k_pkey PRIMARY KEY, b text)');
    const found = (await measured(db(), to)).map(row);
    assert.deepEqual(found, [
      ['FL-05', 'constraint:"public"."k"."k_pkey"',
        { rows: n(4), groups: n(1), failing: n(3), nulls: n(1), samples: ["a='1' ×2"] },
        `"public"."k": 1 duplicated key in (a) (e.g. '1' ×2) and 1 row with NULL in (a); ADD PRIMARY KEY fails.`],
    ]);
  });

  it('FL-05: a unique index with an expression and a predicate groups by the expression among the rows it covers', async () => {
    await db().exec(`CREATE TABLE m (id int, email text);
      INSERT INTO m VALUES (1, 'A@x.com'), (2, 'a@X.com'), (3, 'b@x.com'), (-4, 'B@x.com'), (5, 'c''d@x.com'), (6, 'C''D@x.com')`);
    await to.exec('CREATE TABLE m (id int, email text); CREATE UNIQUE INDEX m_email ON m (lower(email)) WHERE id > 0');
    assert.deepEqual((await measured(db(), to)).map(row), [
      ['FL-05', 'index:"public"."m_email"',
        { rows: n(6), groups: n(2), failing: n(4), samples: ["lower(email)='a@x.com' ×2", "lower(email)='c''d@x.com' ×2"] },
        `"public"."m": 2 duplicated keys in (lower(email)) (e.g. 'a@x.com' ×2, 'c''d@x.com' ×2); CREATE UNIQUE INDEX fails.`],
    ]);
  });

  it('FL-05: an index changed to unique is measured like a new one', async () => {
    await db().exec(`${USERS} CREATE INDEX users_email_idx ON users (email);`);
    await to.exec('CREATE TABLE users (id int PRIMARY KEY, email text, name text); CREATE UNIQUE INDEX users_email_idx ON users (email)');
    assert.deepEqual((await measured(db(), to)).map(row), [
      ['FL-05', 'index:"public"."users_email_idx"',
        { rows: n(8), groups: n(2), failing: n(5), samples: ["email='b@x.com' ×3", "email='a@x.com' ×2"] },
        `"public"."users": 2 duplicated keys in (email) (e.g. 'b@x.com' ×3, 'a@x.com' ×2); CREATE UNIQUE INDEX fails.`],
    ]);
  });

  it('FL-05: NULLS NOT DISTINCT counts NULL keys as equal (PostgreSQL 15+)', async function () {
    if (server.major < 15) this.skip();
    await db().exec(USERS);
    await to.exec('CREATE TABLE users (id int PRIMARY KEY, email text, name text, CONSTRAINT users_email_key UNIQUE NULLS NOT DISTINCT (email))');
    const [h] = await measured(db(), to);
    assert.deepEqual(h?.evidence, { rows: n(8), groups: n(3), failing: n(7), samples: ["email='b@x.com' ×3", "email='a@x.com' ×2", 'email=NULL ×2'] });
    assert.equal(h?.message, `"public"."users": 3 duplicated keys in (email) (e.g. 'b@x.com' ×3, 'a@x.com' ×2, NULL ×2); ADD UNIQUE fails.`);
  });

  const PARENTS = `CREATE TABLE p (id int PRIMARY KEY); INSERT INTO p VALUES (1), (2);
    CREATE TABLE c (id int PRIMARY KEY, p_id int, "Ref" int, n int);
    INSERT INTO c VALUES (1, 1, 1, 5), (2, 42, 1, -1), (3, 77, NULL, NULL), (4, NULL, 42, -7), (5, 2, 2, 0);`;

  it('FL-06: counts rows pointing at missing parents (MATCH SIMPLE: a NULL key is not checked)', async () => {
    await db().exec(PARENTS);
    await to.exec(`CREATE TABLE p (id int PRIMARY KEY);
      CREATE TABLE c (id int PRIMARY KEY, p_id int CONSTRAINT c_p_fkey REFERENCES p, "Ref" int, n int)`);
    assert.deepEqual((await measured(db(), to)).map(row), [
      ['FL-06', 'constraint:"public"."c"."c_p_fkey"', { rows: n(5), failing: n(2), samples: ["p_id='42'", "p_id='77'"] },
        `"public"."c": 2 rows point at a missing parent (e.g. p_id='42', p_id='77'); c_p_fkey fails.`],
    ]);
  });

  it('FL-06: multi-column keys, no orphans, and a parent the plan creates (empty until then)', async () => {
    await db().exec(`${PARENTS} CREATE TABLE q (a int, b int, PRIMARY KEY (a, b)); INSERT INTO q VALUES (1, 1), (2, 2), (42, 42);`);
    await to.exec(`CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE q (a int, b int, PRIMARY KEY (a, b)); CREATE TABLE fresh (id int PRIMARY KEY);
      CREATE TABLE c (id int PRIMARY KEY, p_id int, "Ref" int CONSTRAINT c_ref_fkey REFERENCES fresh, n int,
        CONSTRAINT c_q_fkey FOREIGN KEY (p_id, "Ref") REFERENCES q (a, b))`);
    assert.deepEqual((await measured(db(), to)).map(row), [
      ['FL-06', 'constraint:"public"."c"."c_q_fkey"', { rows: n(5), failing: n(1), samples: [`p_id='42', "Ref"='1'`] },
        `"public"."c": 1 row points at a missing parent (e.g. p_id='42', "Ref"='1'); c_q_fkey fails.`],
      ['FL-06', 'constraint:"public"."c"."c_ref_fkey"', { rows: n(5), failing: n(4), samples: [`"Ref"='1'`, `"Ref"='2'`, `"Ref"='42'`] },
        `"public"."c": 4 rows point at a missing parent (e.g. "Ref"='1', "Ref"='2', "Ref"='42'); c_ref_fkey fails.`],
    ]);
  });

  it('FL-06: MATCH FULL also rejects a key that is partly NULL', async () => {
    await db().exec(`${PARENTS} CREATE TABLE q (a int, b int, PRIMARY KEY (a, b)); INSERT INTO q VALUES (1, 1), (2, 2);`);
    await to.exec(`CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE q (a int, b int, PRIMARY KEY (a, b));
      CREATE TABLE c (id int PRIMARY KEY, p_id int, "Ref" int, n int, CONSTRAINT c_q_full FOREIGN KEY (p_id, "Ref") REFERENCES q (a, b) MATCH FULL)`);
    const [h] = await measured(db(), to);
    assert.deepEqual(h?.evidence, { rows: n(5), failing: n(3), samples: [`p_id='42', "Ref"='1'`, `p_id='77', "Ref"=NULL`, `p_id=NULL, "Ref"='42'`] });
  });

  it('FL-06: no orphans; a new key column is NULL in every row (nothing to check); a retyped one is not measured', async () => {
    await db().exec(`${PARENTS} UPDATE c SET p_id = 1 WHERE p_id > 2;`);
    await to.exec(`CREATE TABLE p (id int PRIMARY KEY);
      CREATE TABLE c (id int PRIMARY KEY, p_id int CONSTRAINT c_p_fkey REFERENCES p, "Ref" bigint CONSTRAINT c_ref_fkey REFERENCES p, n int,
        fresh int CONSTRAINT c_fresh_fkey REFERENCES p)`);
    assert.deepEqual((await measured(db(), to)).map(row), [
      ['FL-06', 'constraint:"public"."c"."c_p_fkey"', { rows: n(5), failing: n(0), samples: [] },
        '"public"."c": none of 5 rows points at a missing parent; c_p_fkey holds.'],
      ['FL-06', 'constraint:"public"."c"."c_ref_fkey"', undefined,
        'Adding c_ref_fkey fails if rows of "public"."c" point at missing "public"."p" rows. Not measured: "public"."c"."Ref" changes in this plan.'],
    ]);
  });

  it('FL-06: a foreign key recreated for its ON DELETE action is already held', async () => {
    await db().exec(`${PARENTS} DELETE FROM c WHERE p_id > 2; ALTER TABLE c ADD CONSTRAINT c_p_fkey FOREIGN KEY (p_id) REFERENCES p;`);
    await to.exec('CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int PRIMARY KEY, p_id int CONSTRAINT c_p_fkey REFERENCES p ON DELETE CASCADE, "Ref" int, n int)');
    assert.deepEqual(await measured(db(), to), []);
  });

  it('FL-07: counts rows violating a new CHECK (NULL passes), shown by primary key or as whole rows', async () => {
    await db().exec(`${PARENTS} CREATE TABLE nokey (a int, b text); INSERT INTO nokey VALUES (1, 'x'), (-1, 'y'), (NULL, 'z');`);
    await to.exec(`CREATE TABLE p (id int PRIMARY KEY);
      CREATE TABLE c (id int PRIMARY KEY, p_id int, "Ref" int, n int CONSTRAINT c_n_check CHECK (n > 0) CONSTRAINT c_n_small CHECK (n < 100));
      CREATE TABLE nokey (a int CONSTRAINT nokey_a CHECK (a >= 0), b text)`);
    assert.deepEqual((await measured(db(), to)).map(row), [
      ['FL-07', 'constraint:"public"."c"."c_n_check"', { rows: n(5), failing: n(3), samples: ["id='2'", "id='4'", "id='5'"] },
        `"public"."c": 3 rows violate CHECK (n > 0) (e.g. id='2', id='4', id='5'); c_n_check fails.`],
      ['FL-07', 'constraint:"public"."c"."c_n_small"', { rows: n(5), failing: n(0), samples: [] },
        '"public"."c": none of 5 rows violates CHECK (n < 100).'],
      ['FL-07', 'constraint:"public"."nokey"."nokey_a"', { rows: n(3), failing: n(1), samples: ['(-1,y)'] },
        `"public"."nokey": 1 row violates CHECK (a >= 0) (e.g. (-1,y)); nokey_a fails.`],
    ]);
  });

  it('FL-07: a CHECK on a column the plan adds or a function it changes is not measured', async () => {
    await db().exec(`${PARENTS} CREATE FUNCTION pos(x int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT x > 0';`);
    await to.exec(`CREATE FUNCTION pos(x int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT x >= 0';
      CREATE TABLE p (id int PRIMARY KEY);
      CREATE TABLE c (id int PRIMARY KEY, p_id int, "Ref" int, n int CONSTRAINT c_pos CHECK (pos(n)), m int DEFAULT 3 CONSTRAINT c_m CHECK (m > 2))`);
    assert.deepEqual((await measured(db(), to)).map(row), [
      ['FL-07', 'constraint:"public"."c"."c_m"', undefined,
        'Adding c_m fails if rows of "public"."c" violate CHECK (m > 2). Not measured: "public"."c"."m" is new in this plan and filled from its default.'],
      ['FL-07', 'constraint:"public"."c"."c_pos"', undefined,
        'Adding c_pos fails if rows of "public"."c" violate CHECK (public.pos(n)). Not measured: "public"."pos"(x integer) changes in this plan.'],
    ]);
  });

  it('no row hazard for constraints of a table the plan creates; the ERP plan measures without error', async () => {
    await db().exec(fixtureSql('erp/from.sql'));
    await to.exec(fixtureSql('erp/to.sql'));
    const found = await measured(db(), to);
    assert.ok(!found.some((h) => h.object.includes('"StockMovement"')), found.map((h) => h.object).join('\n'));
    for (const h of found) assert.ok(h.evidence !== undefined || h.message.includes('Not measured'), h.message);
  });
});
