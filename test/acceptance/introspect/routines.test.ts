import { strict as assert } from 'node:assert';
import type { Routine } from '../../../src/core/model/types';
import { describeEachServer } from '../../support/servers';
import { ABSENT, byId, declareCases, modelAfter, useRoles, type Case } from './support';

describeEachServer('introspect: routines', ({ server, db }) => {
  const role = useRoles(server);

  it('reads a function completely', async () => {
    const model = await modelAfter(db(), `
      CREATE FUNCTION add(a integer, b integer DEFAULT 1) RETURNS integer
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT a + b';
      COMMENT ON FUNCTION add(integer, integer) IS 'adds';`);
    assert.deepEqual(model.routines, [{
      id: 'function:"public"."add"(a integer, b integer)',
      schema: 'public',
      name: 'add',
      kind: 'function',
      identityArguments: 'a integer, b integer',
      arguments: 'a integer, b integer DEFAULT 1',
      returns: 'integer',
      language: 'sql',
      volatility: 'immutable',
      strict: true,
      securityDefiner: false,
      leakproof: false,
      parallel: 'safe',
      owner: 'postgres',
      comment: 'adds',
      definition: 'CREATE OR REPLACE FUNCTION public.add(a integer, b integer DEFAULT 1)\n RETURNS integer\n LANGUAGE sql\n'
        + ' IMMUTABLE PARALLEL SAFE STRICT\nAS $function$SELECT a + b$function$\n',
    }]);
  });

  it('overloads have distinct ids', async () => {
    const model = await modelAfter(db(), `
      CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql AS 'SELECT a';
      CREATE FUNCTION f(a text) RETURNS text LANGUAGE sql AS 'SELECT a';
      CREATE FUNCTION f(a integer, b integer) RETURNS integer LANGUAGE sql AS 'SELECT a + b';
      CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 0';
      CREATE SCHEMA other; CREATE FUNCTION other.f(a integer) RETURNS integer LANGUAGE sql AS 'SELECT a';`);
    assert.deepEqual(model.routines.map((r) => r.id), [
      'function:"other"."f"(a integer)',
      'function:"public"."f"()',
      'function:"public"."f"(a integer)',
      'function:"public"."f"(a integer, b integer)',
      'function:"public"."f"(a text)',
    ]);
  });

  const cases: Case<Routine>[] = [
    {
      title: 'volatility, SECURITY DEFINER, LEAKPROOF, PARALLEL RESTRICTED and SET clauses',
      sql: `CREATE FUNCTION secure() RETURNS void LANGUAGE plpgsql STABLE SECURITY DEFINER LEAKPROOF PARALLEL RESTRICTED
              SET search_path = public, pg_temp SET work_mem = '64kB' AS $$BEGIN END$$`,
      id: 'function:"public"."secure"()',
      expected: {
        language: 'plpgsql', volatility: 'stable', strict: false, securityDefiner: true, leakproof: true, parallel: 'restricted',
        returns: 'void', config: ['search_path=public, pg_temp', 'work_mem=64kB'],
        definition: 'CREATE OR REPLACE FUNCTION public.secure()\n RETURNS void\n LANGUAGE plpgsql\n'
          + ' STABLE PARALLEL RESTRICTED SECURITY DEFINER LEAKPROOF\n'
          + " SET search_path TO 'public', 'pg_temp'\n SET work_mem TO '64kB'\nAS $function$BEGIN END$function$\n",
      },
    },
    {
      title: 'defaults: volatile, not strict, parallel unsafe, no config',
      sql: `CREATE FUNCTION plain() RETURNS int LANGUAGE sql AS 'SELECT 1'`,
      id: 'function:"public"."plain"()',
      expected: { volatility: 'volatile', strict: false, securityDefiner: false, leakproof: false, parallel: 'unsafe', config: ABSENT, acl: ABSENT },
    },
    {
      title: 'OUT parameters returning SETOF record',
      sql: `CREATE FUNCTION srf(n int, OUT i int, OUT j text) RETURNS SETOF record LANGUAGE sql AS $$ SELECT g, g::text FROM generate_series(1, n) g $$`,
      id: 'function:"public"."srf"(n integer, OUT i integer, OUT j text)',
      expected: { arguments: 'n integer, OUT i integer, OUT j text', returns: 'SETOF record' },
    },
    {
      title: 'RETURNS TABLE',
      sql: `CREATE FUNCTION tab(n int) RETURNS TABLE (i int, j text) LANGUAGE sql AS $$ SELECT 1, 'x' $$`,
      id: 'function:"public"."tab"(n integer)',
      expected: { identityArguments: 'n integer', arguments: 'n integer', returns: 'TABLE(i integer, j text)' },
    },
    {
      title: 'VARIADIC arguments',
      sql: `CREATE FUNCTION total(VARIADIC xs int[]) RETURNS int LANGUAGE sql AS 'SELECT sum(x)::int FROM unnest(xs) x'`,
      id: 'function:"public"."total"(VARIADIC xs integer[])',
      expected: { arguments: 'VARIADIC xs integer[]' },
    },
    {
      title: 'user types in arguments and result are qualified',
      sql: `CREATE SCHEMA hr; CREATE TYPE hr."Level" AS ENUM ('a'); CREATE TYPE pair AS (a int, b int);
            CREATE FUNCTION hr.mk(l hr."Level", x int DEFAULT 0) RETURNS pair LANGUAGE sql AS 'SELECT ROW(x, x)::pair'`,
      id: 'function:"hr"."mk"(l hr."Level", x integer)',
      expected: { schema: 'hr', arguments: 'l hr."Level", x integer DEFAULT 0', returns: 'public.pair' },
    },
    {
      title: 'a trigger function',
      sql: `CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$`,
      id: 'function:"public"."touch"()',
      expected: { kind: 'function', returns: 'trigger', language: 'plpgsql' },
    },
    {
      title: 'a procedure has no result',
      sql: `CREATE PROCEDURE bump(INOUT x int, y text DEFAULT 'a') LANGUAGE plpgsql AS $$BEGIN x := x + 1; END$$`,
      // From PostgreSQL 14 the IN mode of procedure arguments is printed.
      // 14+ prints "IN y text", 13 "y text": the model drops the default mode so the id is the same.
      id: 'procedure:"public"."bump"(INOUT x integer, y text)',
      expected: {
        kind: 'procedure', returns: ABSENT,
        arguments: "INOUT x integer, y text DEFAULT 'a'::text",
        definition: server.major >= 14
          ? "CREATE OR REPLACE PROCEDURE public.bump(INOUT x integer, IN y text DEFAULT 'a'::text)\n LANGUAGE plpgsql\nAS $procedure$BEGIN x := x + 1; END$procedure$\n"
          : "CREATE OR REPLACE PROCEDURE public.bump(INOUT x integer, y text DEFAULT 'a'::text)\n LANGUAGE plpgsql\nAS $procedure$BEGIN x := x + 1; END$procedure$\n",
      },
    },
    {
      title: 'an aggregate is defined by its support functions',
      sql: `CREATE AGGREGATE mysum(int) (SFUNC = int4pl, STYPE = int, INITCOND = '0')`,
      id: 'aggregate:"public"."mysum"(integer)',
      expected: {
        kind: 'aggregate', identityArguments: 'integer', returns: 'integer',
        definition: "CREATE AGGREGATE public.mysum(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0')",
      },
    },
    {
      title: 'a window function',
      sql: `CREATE FUNCTION my_row_number() RETURNS bigint LANGUAGE internal WINDOW IMMUTABLE AS 'window_row_number'`,
      id: 'window:"public"."my_row_number"()',
      expected: {
        kind: 'window', language: 'internal', returns: 'bigint',
        definition: 'CREATE OR REPLACE FUNCTION public.my_row_number()\n RETURNS bigint\n LANGUAGE internal\n WINDOW IMMUTABLE\nAS $function$window_row_number$function$\n',
      },
    },
  ];
  declareCases(db, (m) => m.routines, cases);

  if (server.major >= 14) {
    declareCases<Routine>(db, (m) => m.routines, [
      {
        title: 'a SQL-standard body BEGIN ATOMIC (PostgreSQL 14+)',
        sql: `CREATE FUNCTION atomic_add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE BEGIN ATOMIC SELECT a + b; END`,
        id: 'function:"public"."atomic_add"(a integer, b integer)',
        expected: {
          language: 'sql',
          definition: 'CREATE OR REPLACE FUNCTION public.atomic_add(a integer, b integer)\n RETURNS integer\n LANGUAGE sql\n IMMUTABLE\n'
            + 'BEGIN ATOMIC\n SELECT (a + b);\nEND\n',
        },
      },
      {
        title: 'a SQL-standard RETURN body (PostgreSQL 14+)',
        sql: `CREATE TABLE t (id int); CREATE FUNCTION n_rows() RETURNS bigint LANGUAGE sql STABLE RETURN (SELECT count(*) FROM t)`,
        id: 'function:"public"."n_rows"()',
        expected: {
          definition: 'CREATE OR REPLACE FUNCTION public.n_rows()\n RETURNS bigint\n LANGUAGE sql\n STABLE\n'
            + 'RETURN (SELECT count(*) AS count FROM public.t)\n',
        },
      },
      {
        title: 'a procedure with a BEGIN ATOMIC body (PostgreSQL 14+)',
        sql: `CREATE TABLE log (x int); CREATE PROCEDURE put(x int) LANGUAGE sql BEGIN ATOMIC INSERT INTO log VALUES (x); END`,
        id: 'procedure:"public"."put"(x integer)',
        expected: {
          kind: 'procedure',
          definition: 'CREATE OR REPLACE PROCEDURE public.put(IN x integer)\n LANGUAGE sql\nBEGIN ATOMIC\n INSERT INTO public.log (x)\n   VALUES (put.x);\nEND\n',
        },
      },
    ]);
  }

  it('reads owner and EXECUTE privileges', async () => {
    const owner = await role(db(), 'owner');
    const app = await role(db(), 'app');
    const model = await modelAfter(db(), `
      CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
      ALTER FUNCTION f() OWNER TO ${owner};
      REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION f() TO ${app};`);
    const f = byId(model.routines, 'function:"public"."f"()');
    assert.deepEqual({ owner: f.owner, acl: f.acl }, { owner, acl: [`${app}=X/${owner}`, `${owner}=X/${owner}`] });
  });
});
