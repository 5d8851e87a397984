import { strict as assert } from 'node:assert';
import type { ObjectId, SchemaModel } from '../../../src/core/model/types';
import { describeEachServer } from '../../support/servers';
import { byId, columnOf, modelAfter } from './support';

/** Every kind that takes a comment, each with a distinct one. */
const DDL = `
  CREATE SCHEMA app;                                  COMMENT ON SCHEMA app IS 'c-schema';
  CREATE EXTENSION citext;                            COMMENT ON EXTENSION citext IS 'c-extension';
  CREATE TYPE app.mood AS ENUM ('up');                COMMENT ON TYPE app.mood IS 'c-enum';
  CREATE DOMAIN app.pos AS int CHECK (VALUE > 0);     COMMENT ON DOMAIN app.pos IS 'c-domain';
  CREATE TYPE app.pair AS (a int, b int);             COMMENT ON TYPE app.pair IS 'c-composite';
  CREATE SEQUENCE app.seq;                            COMMENT ON SEQUENCE app.seq IS 'c-sequence';
  CREATE TABLE app.t (id int CONSTRAINT t_pk PRIMARY KEY, a int CONSTRAINT t_a CHECK (a > 0));
  COMMENT ON TABLE app.t IS 'c-table';
  COMMENT ON COLUMN app.t.a IS 'c-column';
  COMMENT ON CONSTRAINT t_a ON app.t IS 'c-constraint';
  COMMENT ON INDEX app.t_pk IS 'c-index';
  CREATE VIEW app.v AS SELECT id, a FROM app.t;       COMMENT ON VIEW app.v IS 'c-view';
  COMMENT ON COLUMN app.v.a IS 'c-view-column';
  CREATE MATERIALIZED VIEW app.mv AS SELECT id FROM app.t; COMMENT ON MATERIALIZED VIEW app.mv IS 'c-matview';
  CREATE FUNCTION app.f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
  COMMENT ON FUNCTION app.f() IS 'c-function';
  CREATE PROCEDURE app.p() LANGUAGE sql AS 'SELECT 1'; COMMENT ON PROCEDURE app.p() IS 'c-procedure';
  CREATE AGGREGATE app.agg(int) (SFUNC = int4pl, STYPE = int); COMMENT ON AGGREGATE app.agg(int) IS 'c-aggregate';
  CREATE TRIGGER tr BEFORE INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.f(); COMMENT ON TRIGGER tr ON app.t IS 'c-trigger';
  CREATE POLICY pol ON app.t USING (true);            COMMENT ON POLICY pol ON app.t IS 'c-policy';`;

/** The comment of each object, found by id through the list its kind lives in. */
function commentsOf(model: SchemaModel): Record<string, string | undefined> {
  const t = byId(model.tables, 'table:"app"."t"');
  const v = byId(model.views, 'view:"app"."v"');
  const find = <T extends { id: ObjectId; comment?: string }>(list: readonly T[], id: ObjectId) => byId(list, id).comment;
  return {
    schema: find(model.schemas, 'schema:"app"'),
    extension: find(model.extensions, 'extension:"citext"'),
    enum: find(model.enums, 'enum:"app"."mood"'),
    domain: find(model.domains, 'domain:"app"."pos"'),
    composite: find(model.composites, 'type:"app"."pair"'),
    sequence: find(model.sequences, 'sequence:"app"."seq"'),
    table: t.comment,
    column: columnOf(t, 'a').comment,
    'other column': columnOf(t, 'id').comment,
    constraint: find(model.constraints, 'constraint:"app"."t"."t_a"'),
    'primary key': find(model.constraints, 'constraint:"app"."t"."t_pk"'),
    index: find(model.indexes, 'index:"app"."t_pk"'),
    view: v.comment,
    'view column': columnOf(v, 'a').comment,
    'materialized view': find(model.views, 'materialized view:"app"."mv"'),
    function: find(model.routines, 'function:"app"."f"()'),
    procedure: find(model.routines, 'procedure:"app"."p"()'),
    aggregate: find(model.routines, 'aggregate:"app"."agg"(integer)'),
    trigger: find(model.triggers, 'trigger:"app"."t"."tr"'),
    policy: find(model.policies, 'policy:"app"."t"."pol"'),
  };
}

describeEachServer('introspect: comments', ({ db }) => {
  it('reads the comment of every kind of object', async () => {
    const model = await modelAfter(db(), DDL);
    assert.deepEqual(commentsOf(model), {
      schema: 'c-schema', extension: 'c-extension', enum: 'c-enum', domain: 'c-domain', composite: 'c-composite',
      sequence: 'c-sequence', table: 'c-table', column: 'c-column', 'other column': undefined, constraint: 'c-constraint',
      'primary key': undefined, index: 'c-index', view: 'c-view', 'view column': 'c-view-column', 'materialized view': 'c-matview',
      function: 'c-function', procedure: 'c-procedure', aggregate: 'c-aggregate', trigger: 'c-trigger', policy: 'c-policy',
    });
  });

  it('a removed comment (IS NULL or empty) leaves the field out', async () => {
    await db().exec(DDL);
    const removals = `
      COMMENT ON SCHEMA app IS NULL; COMMENT ON EXTENSION citext IS ''; COMMENT ON TYPE app.mood IS NULL;
      COMMENT ON DOMAIN app.pos IS ''; COMMENT ON TYPE app.pair IS NULL; COMMENT ON SEQUENCE app.seq IS NULL;
      COMMENT ON TABLE app.t IS ''; COMMENT ON COLUMN app.t.a IS NULL; COMMENT ON CONSTRAINT t_a ON app.t IS NULL;
      COMMENT ON INDEX app.t_pk IS NULL; COMMENT ON VIEW app.v IS NULL; COMMENT ON COLUMN app.v.a IS '';
      COMMENT ON MATERIALIZED VIEW app.mv IS NULL; COMMENT ON FUNCTION app.f() IS NULL; COMMENT ON PROCEDURE app.p() IS NULL;
      COMMENT ON AGGREGATE app.agg(int) IS NULL; COMMENT ON TRIGGER tr ON app.t IS NULL; COMMENT ON POLICY pol ON app.t IS NULL;`;
    const model = await modelAfter(db(), removals);
    const comments = commentsOf(model);
    assert.deepEqual(Object.entries(comments).filter(([, c]) => c !== undefined), []);
    assert.equal(Object.keys(comments).length, 20);
    assert.equal('comment' in byId(model.tables, 'table:"app"."t"'), false, 'absent, not set to undefined');
  });

  it('keeps a comment verbatim: new lines, quotes, non-ASCII text', async () => {
    const text = "Line one\nLine 'two' with \"quotes\"\n\tindented — ünïcödé ✓";
    const model = await modelAfter(db(), `CREATE TABLE t (a int); COMMENT ON TABLE t IS ${literal(text)}`);
    assert.equal(byId(model.tables, 'table:"public"."t"').comment, text);
  });
});

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
