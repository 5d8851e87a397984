import type { ConvergenceCase } from '../../../support/convergence';

export const routines: ConvergenceCase[] = [
  { name: 'sql function added', from: '', to: `CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b';` },
  {
    name: 'plpgsql body changed',
    from: `CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;`,
    to: `CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 2; END $$;`,
  },
  {
    name: 'return type changed',
    from: `CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';`,
    to: `CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS 'SELECT 1::bigint';`,
  },
  {
    name: 'argument added (new signature)',
    from: `CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';`,
    to: `CREATE FUNCTION f(a int, b int DEFAULT 0) RETURNS int LANGUAGE sql AS 'SELECT a + b';`,
  },
  {
    name: 'overloads',
    from: `CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';`,
    to: `CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';
      CREATE FUNCTION f(a text) RETURNS text LANGUAGE sql AS 'SELECT a';`,
  },
  {
    name: 'attributes: volatility, strict, security definer, parallel, SET',
    from: `CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';`,
    to: `CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql IMMUTABLE STRICT SECURITY DEFINER PARALLEL SAFE
      SET search_path = pg_catalog AS 'SELECT a';`,
  },
  {
    name: 'procedure',
    from: 'CREATE TABLE log (msg text);',
    to: `CREATE TABLE log (msg text);
      CREATE PROCEDURE note(m text) LANGUAGE plpgsql AS $$ BEGIN INSERT INTO log VALUES (m); END $$;`,
  },
  {
    name: 'SQL-standard body referencing a table',
    minMajor: 14,
    from: 'CREATE TABLE item (id int PRIMARY KEY, price numeric);',
    to: `CREATE TABLE item (id int PRIMARY KEY, price numeric);
      CREATE FUNCTION total_price() RETURNS numeric LANGUAGE sql STABLE
      BEGIN ATOMIC SELECT sum(price) FROM item; END;`,
    seed: 'INSERT INTO item VALUES (1, 9.5);',
  },
  {
    name: 'SQL-standard body over a new table',
    minMajor: 14,
    from: '',
    to: `CREATE TABLE item (id int PRIMARY KEY, price numeric);
      CREATE FUNCTION item_count() RETURNS bigint LANGUAGE sql STABLE RETURN (SELECT count(*) FROM item);`,
  },
  {
    name: 'function returning a table type',
    from: 'CREATE TABLE t (a int);',
    to: `CREATE TABLE t (a int); CREATE FUNCTION all_t() RETURNS SETOF t LANGUAGE sql STABLE AS 'SELECT * FROM t';`,
  },
  {
    name: 'aggregate',
    from: '',
    to: `CREATE FUNCTION sum_sq_step(s bigint, v int) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT s + v * v';
      CREATE AGGREGATE sum_sq(int) (SFUNC = sum_sq_step, STYPE = bigint, INITCOND = '0');`,
  },
  {
    name: 'function calling a new function',
    from: '',
    to: `CREATE FUNCTION inner_f() RETURNS int LANGUAGE sql AS 'SELECT 1';
      CREATE FUNCTION outer_f() RETURNS int LANGUAGE sql AS 'SELECT inner_f() + 1';`,
  },
  {
    name: 'function comment',
    from: `CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';`,
    to: `CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'; COMMENT ON FUNCTION f() IS 'one';`,
  },
];
