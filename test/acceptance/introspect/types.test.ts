import { strict as assert } from 'node:assert';
import type { CompositeType, DomainType, EnumType } from '../../../src/core/model/types';
import { describeEachServer } from '../../support/servers';
import { ABSENT, byId, declareCases, modelAfter, useRoles, type Case } from './support';

describeEachServer('introspect: enum types', ({ server, db }) => {
  const role = useRoles(server);

  const cases: Case<EnumType>[] = [
    {
      title: 'labels in declaration order',
      sql: `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`,
      id: 'enum:"public"."mood"',
      expected: { schema: 'public', name: 'mood', values: ['sad', 'ok', 'happy'], owner: 'postgres', acl: ABSENT, comment: ABSENT },
    },
    {
      title: 'labels in sort order after ADD VALUE BEFORE / AFTER / at the end',
      sql: `CREATE TYPE "JobStatus" AS ENUM ('open', 'closed');
            ALTER TYPE "JobStatus" ADD VALUE 'draft' BEFORE 'open';
            ALTER TYPE "JobStatus" ADD VALUE 'in progress' AFTER 'open';
            ALTER TYPE "JobStatus" ADD VALUE 'archived';
            ALTER TYPE "JobStatus" ADD VALUE 'review' BEFORE 'closed';`,
      id: 'enum:"public"."JobStatus"',
      expected: { name: 'JobStatus', values: ['draft', 'open', 'in progress', 'review', 'closed', 'archived'] },
    },
    {
      title: 'labels with quotes and spaces, a renamed label, in another schema, with a comment',
      sql: `CREATE SCHEMA hr;
            CREATE TYPE hr.level AS ENUM ('it''s fine', 'Not "ok"', 'old');
            ALTER TYPE hr.level RENAME VALUE 'old' TO 'legacy';
            COMMENT ON TYPE hr.level IS 'seniority';`,
      id: 'enum:"hr"."level"',
      expected: { schema: 'hr', name: 'level', values: ["it's fine", 'Not "ok"', 'legacy'], comment: 'seniority' },
    },
  ];
  declareCases(db, (m) => m.enums, cases);

  it('reads owner and privileges of an enum', async () => {
    const owner = await role(db(), 'owner');
    const user = await role(db(), 'user');
    const model = await modelAfter(db(), `
      CREATE TYPE color AS ENUM ('red');
      ALTER TYPE color OWNER TO ${owner};
      REVOKE USAGE ON TYPE color FROM PUBLIC;
      GRANT USAGE ON TYPE color TO ${user};`);
    assert.deepEqual(byId(model.enums, 'enum:"public"."color"'), {
      id: 'enum:"public"."color"', schema: 'public', name: 'color', values: ['red'], owner, acl: [`${owner}=U/${owner}`, `${user}=U/${owner}`],
    });
  });
});

describeEachServer('introspect: domains', ({ db }) => {
  const cases: Case<DomainType>[] = [
    {
      title: 'base type, NOT NULL, default and a named check',
      sql: `CREATE DOMAIN posint AS integer NOT NULL DEFAULT 1 CONSTRAINT posint_positive CHECK (VALUE > 0)`,
      id: 'domain:"public"."posint"',
      expected: {
        schema: 'public', name: 'posint', baseType: 'integer', notNull: true, default: '1', collation: ABSENT,
        checks: [{ name: 'posint_positive', definition: 'CHECK (VALUE > 0)', validated: true }],
        owner: 'postgres', acl: ABSENT, comment: ABSENT,
      },
    },
    {
      title: 'a check added NOT VALID is read as not validated; checks sorted by name',
      sql: `CREATE DOMAIN score AS numeric(5,2) CHECK (VALUE >= 0);
            ALTER DOMAIN score ADD CONSTRAINT a_upper CHECK (VALUE <= 100) NOT VALID;`,
      id: 'domain:"public"."score"',
      expected: {
        baseType: 'numeric(5,2)', notNull: false, default: ABSENT,
        checks: [
          { name: 'a_upper', definition: 'CHECK (VALUE <= 100::numeric) NOT VALID', validated: false },
          { name: 'score_check', definition: 'CHECK (VALUE >= 0::numeric)', validated: true },
        ],
      },
    },
    {
      title: 'a NOT VALID check that was validated later',
      sql: `CREATE DOMAIN code AS varchar(20);
            ALTER DOMAIN code ADD CONSTRAINT code_upper CHECK (VALUE = upper(VALUE)) NOT VALID;
            ALTER DOMAIN code VALIDATE CONSTRAINT code_upper;`,
      id: 'domain:"public"."code"',
      expected: {
        baseType: 'character varying(20)',
        checks: [{ name: 'code_upper', definition: 'CHECK (VALUE::text = upper(VALUE::text))', validated: true }],
      },
    },
    {
      title: 'collation differing from the base type, and a text default',
      sql: `CREATE DOMAIN tag AS text COLLATE "C" DEFAULT 'none'`,
      id: 'domain:"public"."tag"',
      expected: { baseType: 'text', collation: '"C"', default: `'none'::text`, checks: [] },
    },
    {
      title: 'an array base type and a comment',
      sql: `CREATE DOMAIN int_list AS int[] NOT NULL; COMMENT ON DOMAIN int_list IS 'ints'`,
      id: 'domain:"public"."int_list"',
      expected: { baseType: 'integer[]', notNull: true, checks: [], comment: 'ints' },
    },
    {
      title: 'a domain over an enum and one over another domain, qualified',
      sql: `CREATE SCHEMA s; CREATE TYPE s."Mood" AS ENUM ('up'); CREATE DOMAIN s.mood_d AS s."Mood";
            CREATE DOMAIN outer_d AS s.mood_d CHECK (VALUE IS NOT NULL)`,
      id: 'domain:"public"."outer_d"',
      expected: { baseType: 's.mood_d', checks: [{ name: 'outer_d_check', definition: 'CHECK (VALUE IS NOT NULL)', validated: true }] },
    },
    {
      // From PostgreSQL 17 a domain's NOT NULL is also a pg_constraint row: it must not be read as a check.
      title: 'a named NOT NULL constraint is the notNull flag, not a check',
      sql: `CREATE DOMAIN nn AS text CONSTRAINT nn_not_null NOT NULL CONSTRAINT nn_len CHECK (length(VALUE) > 1)`,
      id: 'domain:"public"."nn"',
      expected: { notNull: true, checks: [{ name: 'nn_len', definition: 'CHECK (length(VALUE) > 1)', validated: true }] },
    },
  ];
  declareCases(db, (m) => m.domains, cases);

  it('a domain over a type in another schema reads the base type qualified', async () => {
    const model = await modelAfter(db(), `CREATE SCHEMA s; CREATE TYPE s."Mood" AS ENUM ('up'); CREATE DOMAIN d AS s."Mood"`);
    assert.equal(byId(model.domains, 'domain:"public"."d"').baseType, 's."Mood"');
  });
});

describeEachServer('introspect: composite types', ({ db }) => {
  const cases: Case<CompositeType>[] = [
    {
      title: 'attributes in order with typmods, arrays and an explicit collation',
      sql: `CREATE TYPE address AS (street varchar(80), zip text COLLATE "C", lines text[], amount numeric(12,2))`,
      id: 'type:"public"."address"',
      expected: {
        schema: 'public', name: 'address', owner: 'postgres', acl: ABSENT, comment: ABSENT,
        attributes: [
          { name: 'street', type: 'character varying(80)', collation: ABSENT },
          { name: 'zip', type: 'text', collation: '"C"' },
          { name: 'lines', type: 'text[]', collation: ABSENT },
          { name: 'amount', type: 'numeric(12,2)', collation: ABSENT },
        ],
      },
    },
    {
      title: 'attributes typed by user types, qualified; dropped attributes skipped; comment',
      sql: `CREATE TYPE "Mood" AS ENUM ('up');
            CREATE TYPE pair AS (a int, gone int, m "Mood", ms "Mood"[]);
            ALTER TYPE pair DROP ATTRIBUTE gone;
            ALTER TYPE pair ADD ATTRIBUTE b bigint;
            COMMENT ON TYPE pair IS 'two things';`,
      id: 'type:"public"."pair"',
      expected: {
        comment: 'two things',
        attributes: [
          { name: 'a', type: 'integer' },
          { name: 'm', type: 'public."Mood"' },
          { name: 'ms', type: 'public."Mood"[]' },
          { name: 'b', type: 'bigint' },
        ],
      },
    },
  ];
  declareCases(db, (m) => m.composites, cases);

  it('row types of tables and views are not composite types', async () => {
    const model = await modelAfter(db(), `
      CREATE TYPE standalone AS (x int);
      CREATE TABLE t (x int); CREATE VIEW v AS SELECT 1 AS x; CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x;`);
    assert.deepEqual(model.composites.map((c) => c.id), ['type:"public"."standalone"']);
  });
});
