import { strict as assert } from 'node:assert';
import type { Extension, Schema } from '../../../src/core/model/types';
import { describeEachServer } from '../../support/servers';
import { ABSENT, allIds, assertMatches, byId, inspectWith, modelAfter, useRoles } from './support';

describeEachServer('introspect: schemas', ({ server, db }) => {
  const role = useRoles(server);

  it('reads the public schema as initdb made it on this version', async () => {
    const model = await modelAfter(db(), '');
    // PostgreSQL 15 gave public to pg_database_owner and took CREATE away from PUBLIC.
    const expected: Schema = server.major >= 15
      ? {
        id: 'schema:"public"', name: 'public', owner: 'pg_database_owner',
        acl: ['=U/pg_database_owner', 'pg_database_owner=UC/pg_database_owner'], comment: 'standard public schema',
      }
      : { id: 'schema:"public"', name: 'public', owner: 'postgres', acl: ['=UC/postgres', 'postgres=UC/postgres'], comment: 'standard public schema' };
    assert.deepEqual(model.schemas, [expected]);
  });

  it('reads owner, comment and sorted privileges of a created schema', async () => {
    const owner = await role(db(), 'owner');
    const reader = await role(db(), 'reader');
    const model = await modelAfter(db(), `
      CREATE SCHEMA app AUTHORIZATION ${owner};
      COMMENT ON SCHEMA app IS 'application tables';
      GRANT USAGE ON SCHEMA app TO ${reader};
      GRANT CREATE ON SCHEMA app TO PUBLIC;`);
    assert.deepEqual(byId(model.schemas, 'schema:"app"'), {
      id: 'schema:"app"',
      name: 'app',
      owner,
      acl: [`=C/${owner}`, `${owner}=UC/${owner}`, `${reader}=U/${owner}`],
      comment: 'application tables',
    });
  });

  it('quotes role names that need it in privileges, and lists a revoked owner privilege', async () => {
    const odd = await role(db(), 'Odd Reader');
    const model = await modelAfter(db(), `
      CREATE SCHEMA "Mixed Case";
      GRANT USAGE ON SCHEMA "Mixed Case" TO "${odd}" WITH GRANT OPTION;
      REVOKE CREATE ON SCHEMA "Mixed Case" FROM postgres;`);
    assertMatches(byId(model.schemas, 'schema:"Mixed Case"'), {
      name: 'Mixed Case',
      owner: 'postgres',
      acl: [`"${odd}"=U*/postgres`, 'postgres=U/postgres'],
      comment: ABSENT,
    });
  });

  it('leaves acl and comment out for a schema with default privileges', async () => {
    const model = await modelAfter(db(), 'CREATE SCHEMA plain');
    assert.deepEqual(byId(model.schemas, 'schema:"plain"'), { id: 'schema:"plain"', name: 'plain', owner: 'postgres' });
  });

  it('never lists pg_catalog, information_schema, pg_toast or a session temp schema', async () => {
    // The harness connection stays open, so its temp schema exists while introspection runs.
    await db().exec('CREATE TEMP TABLE scratch (a int); CREATE SCHEMA app; CREATE TABLE app.t (a int)');
    const [temp] = await db().query<{ n: string }>("SELECT count(*)::text AS n FROM pg_namespace WHERE nspname LIKE 'pg_temp_%'");
    assert.notEqual(temp?.n, '0', 'the temp schema exists in the catalog');
    const model = await modelAfter(db(), '');
    assert.deepEqual(model.schemas.map((s) => s.name), ['app', 'public']);
    assert.deepEqual(model.tables.map((t) => t.id), ['table:"app"."t"']);
  });

  it('reads only the schemas asked for, and leaves out excluded ones', async () => {
    await db().exec(`
      CREATE SCHEMA a; CREATE SCHEMA b;
      CREATE TABLE a.t (x int); CREATE TABLE b.t (x int); CREATE TABLE public.t (x int);
      CREATE TYPE b.e AS ENUM ('x'); CREATE FUNCTION a.f() RETURNS int LANGUAGE sql AS 'SELECT 1';`);
    const only = await inspectWith(db(), { schemas: ['a'] });
    assert.deepEqual(only.schemas.map((s) => s.id), ['schema:"a"']);
    assert.deepEqual(only.tables.map((t) => t.id), ['table:"a"."t"']);
    assert.deepEqual(only.routines.map((r) => r.id), ['function:"a"."f"()']);
    assert.deepEqual(only.enums, []);
    const without = await inspectWith(db(), { excludeSchemas: ['a', 'public'] });
    assert.deepEqual(without.schemas.map((s) => s.id), ['schema:"b"']);
    assert.deepEqual(without.tables.map((t) => t.id), ['table:"b"."t"']);
    assert.deepEqual(without.enums.map((e) => e.id), ['enum:"b"."e"']);
    assert.deepEqual(without.routines, []);
  });

  it('references to objects in schemas left out are kept, by name', async () => {
    await db().exec(`
      CREATE SCHEMA a; CREATE SCHEMA b;
      CREATE TABLE b.u (id int PRIMARY KEY);
      CREATE TABLE a.t (u int CONSTRAINT t_u REFERENCES b.u ON DELETE CASCADE);
      CREATE TABLE b.parent (x int); CREATE TABLE a.child () INHERITS (b.parent);
      CREATE TABLE b.pp (k int) PARTITION BY LIST (k); CREATE INDEX pp_k ON b.pp (k);
      CREATE TABLE a.pp1 PARTITION OF b.pp FOR VALUES IN (1);
      CREATE FUNCTION b.trg() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
      CREATE TRIGGER tt BEFORE INSERT ON a.t FOR EACH ROW EXECUTE FUNCTION b.trg();`);
    const full = await inspectWith(db(), {});
    const only = await inspectWith(db(), { schemas: ['a'] });
    assert.deepEqual(only.tables.map((t) => t.id), ['table:"a"."child"', 'table:"a"."pp1"', 'table:"a"."t"']);
    // Each object of schema a reads exactly as it does when everything is introspected.
    for (const id of ['table:"a"."child"', 'table:"a"."pp1"', 'table:"a"."t"']) {
      assert.deepEqual(byId(only.tables, id), byId(full.tables, id));
    }
    assert.deepEqual(byId(only.tables, 'table:"a"."pp1"').partitionOf, { parent: 'table:"b"."pp"', bound: 'FOR VALUES IN (1)' });
    assert.deepEqual(byId(only.tables, 'table:"a"."child"').inherits, ['table:"b"."parent"']);
    const fk = byId(only.constraints, 'constraint:"a"."t"."t_u"');
    assert.deepEqual(fk, byId(full.constraints, 'constraint:"a"."t"."t_u"'));
    assert.equal(fk.foreignKey?.referencedTable, 'table:"b"."u"');
    assert.equal(fk.foreignKey?.onDelete, 'cascade');
    assert.deepEqual(only.indexes.map((i) => [i.id, i.parentIndex]), [['index:"a"."pp1_k_idx"', 'index:"b"."pp_k"']]);
    assert.deepEqual(only.triggers.map((t) => t.function), ['function:"b"."trg"()']);
  });
});

describeEachServer('introspect: extensions', ({ db }) => {
  async function defaultVersion(name: string): Promise<string> {
    const [row] = await db().query<{ v: string }>('SELECT default_version AS v FROM pg_available_extensions WHERE name = $1', [name]);
    assert.ok(row, `extension ${name} is available on this server`);
    return row.v;
  }

  it('lists installed extensions with schema, version and comment, but not plpgsql', async () => {
    const model = await modelAfter(db(), 'CREATE EXTENSION pgcrypto; CREATE EXTENSION citext; CREATE EXTENSION btree_gist');
    const expected: Extension[] = [
      { id: 'extension:"btree_gist"', name: 'btree_gist', schema: 'public', version: await defaultVersion('btree_gist'), comment: 'support for indexing common datatypes in GiST' },
      { id: 'extension:"citext"', name: 'citext', schema: 'public', version: await defaultVersion('citext'), comment: 'data type for case-insensitive character strings' },
      { id: 'extension:"pgcrypto"', name: 'pgcrypto', schema: 'public', version: await defaultVersion('pgcrypto'), comment: 'cryptographic functions' },
    ];
    assert.deepEqual(model.extensions, expected);
  });

  it('reads an extension installed in its own schema, and a comment set on it', async () => {
    const model = await modelAfter(db(), `
      CREATE SCHEMA ext;
      CREATE EXTENSION hstore SCHEMA ext;
      COMMENT ON EXTENSION hstore IS 'key/value pairs';
      CREATE TABLE kv (h ext.hstore);`);
    assert.deepEqual(byId(model.extensions, 'extension:"hstore"'), {
      id: 'extension:"hstore"', name: 'hstore', schema: 'ext', version: await defaultVersion('hstore'), comment: 'key/value pairs',
    });
    assert.deepEqual(model.schemas.map((s) => s.name), ['ext', 'public']);
    assert.equal(byId(model.tables, 'table:"public"."kv"').columns[0]?.type, 'ext.hstore');
    assert.deepEqual(model.routines, [], 'none of the hstore functions and operators support functions appear');
  });

  it('keeps every member of an extension (functions, types, operator support) out of the model', async () => {
    const model = await modelAfter(db(), `
      CREATE EXTENSION pgcrypto; CREATE EXTENSION citext; CREATE EXTENSION btree_gist;
      CREATE DOMAIN email AS citext CHECK (VALUE LIKE '%@%');
      CREATE TABLE account (id int, mail email, name citext, secret bytea DEFAULT public.digest('x', 'sha256'), during tstzrange,
        EXCLUDE USING gist (id WITH =, during WITH &&));
      CREATE FUNCTION lower_mail(m citext) RETURNS citext LANGUAGE sql IMMUTABLE AS 'SELECT lower(m)::citext';`);
    const [members] = await db().query<{ n: number }>(`
      SELECT count(*)::int AS n FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
      WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND e.extname IN ('pgcrypto', 'citext', 'btree_gist')`);
    assert.ok((members?.n ?? 0) > 100, `the three extensions have many members (${members?.n})`);
    assert.deepEqual(model.routines.map((r) => r.id), ['function:"public"."lower_mail"(m public.citext)']);
    assert.deepEqual(model.domains.map((d) => d.id), ['domain:"public"."email"']);
    assert.equal(byId(model.domains, 'domain:"public"."email"').baseType, 'public.citext');
    assert.deepEqual(model.enums, []);
    assert.deepEqual(model.composites, []);
    assert.deepEqual(model.tables.map((t) => t.id), ['table:"public"."account"']);
    assert.deepEqual(model.indexes.map((i) => i.id), ['index:"public"."account_id_during_excl"']);
    // Edges to members are dropped: every edge end is an object of the model.
    const known = allIds(model);
    assert.ok(model.dependencies.length > 0);
    for (const d of model.dependencies) {
      assert.ok(known.has(d.from), `edge start ${d.from} is in the model`);
      assert.ok(known.has(d.to), `edge end ${d.to} is in the model`);
    }
    assert.ok(!model.dependencies.some((d) => d.to.startsWith('extension:')), 'nothing depends on an extension by a modelled edge here');
  });
});
