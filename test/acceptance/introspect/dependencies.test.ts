import { strict as assert } from 'node:assert';
import { inspectDatabase } from '../../support/fixtures';
import { databaseOn, describeEachServer } from '../../support/servers';
import { allIds, assertEdge, edge, modelAfter } from './support';

describeEachServer('introspect: dependencies', ({ server, db }) => {
  it('a view depends on the columns it reads, not on the others', async () => {
    const model = await modelAfter(db(), `
      CREATE TABLE t (id int, name text, unused text);
      CREATE VIEW v AS SELECT id, upper(name) AS n FROM t;
      CREATE VIEW vv AS SELECT n FROM v;
      CREATE MATERIALIZED VIEW mv AS SELECT id FROM t;`);
    assertEdge(model, 'view:"public"."v"', 'column:"public"."t"."id"', 'normal');
    assertEdge(model, 'view:"public"."v"', 'column:"public"."t"."name"', 'normal');
    assert.equal(edge(model, 'view:"public"."v"', 'column:"public"."t"."unused"'), undefined);
    // View columns have no ids of their own: a view reading another view depends on that view.
    assertEdge(model, 'view:"public"."vv"', 'view:"public"."v"', 'normal');
    assertEdge(model, 'materialized view:"public"."mv"', 'column:"public"."t"."id"', 'normal');
    assert.equal(edge(model, 'view:"public"."v"', 'view:"public"."v"'), undefined, 'no edge from a view to itself (its rule)');
  });

  it('a trigger depends on its function, its table and its UPDATE OF columns', async () => {
    const model = await modelAfter(db(), `
      CREATE TABLE t (a int, b int);
      CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
      CREATE TRIGGER tr BEFORE UPDATE OF b ON t FOR EACH ROW EXECUTE FUNCTION trg();`);
    assertEdge(model, 'trigger:"public"."t"."tr"', 'function:"public"."trg"()', 'normal');
    assertEdge(model, 'trigger:"public"."t"."tr"', 'table:"public"."t"', 'auto');
    assertEdge(model, 'trigger:"public"."t"."tr"', 'column:"public"."t"."b"', 'normal');
    assert.equal(edge(model, 'trigger:"public"."t"."tr"', 'column:"public"."t"."a"'), undefined);
  });

  it('a serial column depends on its sequence, which is owned by (depends on) the column', async () => {
    const model = await modelAfter(db(), 'CREATE TABLE t (id serial, other int)');
    assertEdge(model, 'column:"public"."t"."id"', 'sequence:"public"."t_id_seq"', 'normal');
    assertEdge(model, 'sequence:"public"."t_id_seq"', 'column:"public"."t"."id"', 'auto');
  });

  it('a default calling nextval on a shared sequence depends on it', async () => {
    const model = await modelAfter(db(), `CREATE SEQUENCE ids; CREATE TABLE a (id bigint DEFAULT nextval('ids')); CREATE TABLE b (id bigint DEFAULT nextval('ids'))`);
    assertEdge(model, 'column:"public"."a"."id"', 'sequence:"public"."ids"', 'normal');
    assertEdge(model, 'column:"public"."b"."id"', 'sequence:"public"."ids"', 'normal');
  });

  it('a foreign key depends on the referenced table\'s unique index and on both tables\' columns', async () => {
    const model = await modelAfter(db(), `
      CREATE TABLE job (id int CONSTRAINT job_pk PRIMARY KEY, code text CONSTRAINT job_code UNIQUE);
      CREATE TABLE entry (job_id int CONSTRAINT entry_job REFERENCES job, job_code text CONSTRAINT entry_code REFERENCES job (code));`);
    assertEdge(model, 'constraint:"public"."entry"."entry_job"', 'index:"public"."job_pk"', 'normal');
    assertEdge(model, 'constraint:"public"."entry"."entry_code"', 'index:"public"."job_code"', 'normal');
    assertEdge(model, 'constraint:"public"."entry"."entry_job"', 'column:"public"."job"."id"', 'normal');
    assertEdge(model, 'constraint:"public"."entry"."entry_job"', 'column:"public"."entry"."job_id"', 'auto');
    // The index belongs to its constraint, which depends on its column.
    assertEdge(model, 'index:"public"."job_pk"', 'constraint:"public"."job"."job_pk"', 'internal');
    assertEdge(model, 'constraint:"public"."job"."job_pk"', 'column:"public"."job"."id"', 'auto');
  });

  it('columns depend on their enum, array-of-enum and domain types; a domain on its base enum', async () => {
    const model = await modelAfter(db(), `
      CREATE TYPE "Mood" AS ENUM ('up', 'down');
      CREATE DOMAIN mood_d AS "Mood" NOT NULL;
      CREATE TABLE t (m "Mood", ms "Mood"[], d mood_d, plain int);`);
    assertEdge(model, 'column:"public"."t"."m"', 'enum:"public"."Mood"', 'normal');
    assertEdge(model, 'column:"public"."t"."ms"', 'enum:"public"."Mood"', 'normal');
    assertEdge(model, 'column:"public"."t"."d"', 'domain:"public"."mood_d"', 'normal');
    assertEdge(model, 'domain:"public"."mood_d"', 'enum:"public"."Mood"', 'normal');
    assert.deepEqual(model.dependencies.filter((d) => d.from === 'column:"public"."t"."plain"'), [], 'built-in types are not edge ends');
  });

  it('a function depends on the user types of its arguments and result', async () => {
    const model = await modelAfter(db(), `
      CREATE TYPE pair AS (a int, b int); CREATE TYPE "Mood" AS ENUM ('up');
      CREATE FUNCTION mk(m "Mood") RETURNS pair LANGUAGE sql AS 'SELECT ROW(1, 1)::pair';`);
    assertEdge(model, 'function:"public"."mk"(m public."Mood")', 'type:"public"."pair"', 'normal');
    assertEdge(model, 'function:"public"."mk"(m public."Mood")', 'enum:"public"."Mood"', 'normal');
  });

  if (server.major >= 14) {
    it('a function with a SQL-standard body depends on what the body reads (PostgreSQL 14+)', async () => {
      const model = await modelAfter(db(), `
        CREATE TABLE t (id int, a int);
        CREATE FUNCTION total() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT sum(a) FROM t; END;`);
      assertEdge(model, 'function:"public"."total"()', 'column:"public"."t"."a"', 'normal');
      assert.equal(edge(model, 'function:"public"."total"()', 'column:"public"."t"."id"'), undefined);
    });
  }

  it('a policy depends on the columns of its expressions and on its table', async () => {
    const model = await modelAfter(db(), 'CREATE TABLE t (owner name, body text); CREATE POLICY p ON t USING (owner = current_user)');
    assertEdge(model, 'policy:"public"."t"."p"', 'column:"public"."t"."owner"', 'normal');
    assertEdge(model, 'policy:"public"."t"."p"', 'table:"public"."t"', 'auto');
  });

  it('indexes depend on their columns; partitions and children on their parents', async () => {
    const model = await modelAfter(db(), `
      CREATE TABLE t (a int, b int); CREATE INDEX t_b ON t (b);
      CREATE TABLE p (k int) PARTITION BY LIST (k); CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);
      CREATE TABLE base (x int); CREATE TABLE derived () INHERITS (base);`);
    assertEdge(model, 'index:"public"."t_b"', 'column:"public"."t"."b"', 'auto');
    assertEdge(model, 'table:"public"."p1"', 'table:"public"."p"', 'auto');
    assertEdge(model, 'table:"public"."derived"', 'table:"public"."base"', 'normal');
  });

  it('a generated column depends on the columns it is computed from', async () => {
    const model = await modelAfter(db(), 'CREATE TABLE t (a int, b int, c int GENERATED ALWAYS AS (a * 2) STORED)');
    // PostgreSQL 13 records the edge as auto; later versions as normal.
    assertEdge(model, 'column:"public"."t"."c"', 'column:"public"."t"."a"', server.major >= 14 ? 'normal' : 'auto');
    assert.equal(edge(model, 'column:"public"."t"."c"', 'column:"public"."t"."b"'), undefined);
  });

  it('objects depend on their schema, public included', async () => {
    const model = await modelAfter(db(), `
      CREATE SCHEMA app; CREATE TABLE app.t (a int); CREATE TABLE public.u (a int);
      CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'; CREATE TYPE app.e AS ENUM ('x');`);
    assertEdge(model, 'table:"app"."t"', 'schema:"app"', 'normal');
    assertEdge(model, 'enum:"app"."e"', 'schema:"app"', 'normal');
    assertEdge(model, 'table:"public"."u"', 'schema:"public"', 'normal');
    assertEdge(model, 'function:"public"."f"()', 'schema:"public"', 'normal');
  });

  it('the same schema gives the same edges whether public is the original or a re-created one', async () => {
    const ddl = `CREATE SCHEMA app; CREATE TABLE app.t (a int); CREATE TABLE public.u (a int, b int);
      CREATE VIEW public.v AS SELECT a FROM public.u; CREATE TYPE public.e AS ENUM ('x');`;
    await db().exec(ddl);
    const other = await databaseOn(server);
    try {
      await other.exec(`DROP SCHEMA public; CREATE SCHEMA public; ${ddl}`);
      const original = (await inspectDatabase(db())).model;
      const recreated = (await inspectDatabase(other)).model;
      assert.ok(original.dependencies.length > 0);
      assert.deepEqual(recreated.dependencies, original.dependencies);
    } finally {
      await other.drop();
    }
  });

  it('system objects and extension members are never edge ends', async () => {
    const model = await modelAfter(db(), `
      CREATE EXTENSION citext; CREATE EXTENSION pgcrypto; CREATE EXTENSION btree_gist;
      CREATE TABLE t (id int, c citext, d bytea DEFAULT digest('x', 'sha256'), during tstzrange, n numeric DEFAULT random(),
        EXCLUDE USING gist (id WITH =, during WITH &&));
      CREATE FUNCTION f(x citext) RETURNS text LANGUAGE sql AS 'SELECT lower(x::text)';
      CREATE VIEW v AS SELECT id, c, now() AS at FROM t;`);
    const known = allIds(model);
    assert.ok(model.dependencies.length >= 5, `edges were read (${model.dependencies.length})`);
    const strays = model.dependencies.filter((d) => !known.has(d.from) || !known.has(d.to));
    assert.deepEqual(strays, []);
    assert.deepEqual(model.dependencies.filter((d) => d.from === 'column:"public"."t"."c"' || d.from === 'column:"public"."t"."d"'), []);
    assert.deepEqual(model.dependencies.filter((d) => d.from.startsWith('function:"public"."f"') && d.to !== 'schema:"public"'), []);
    assertEdge(model, 'view:"public"."v"', 'column:"public"."t"."c"', 'normal');
  });
});
