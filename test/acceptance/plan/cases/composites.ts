import type { ConvergenceCase } from '../../../support/convergence';

export const composites: ConvergenceCase[] = [
  { name: 'composite type added', from: '', to: 'CREATE TYPE pair AS (a int, b text);' },
  {
    name: 'attribute added',
    from: 'CREATE TYPE addr AS (street text, city text);',
    to: 'CREATE TYPE addr AS (street text, city text, zip text);',
  },
  {
    name: 'attribute type changed',
    from: 'CREATE TYPE measure AS (v integer, unit text);',
    to: 'CREATE TYPE measure AS (v numeric(10,2), unit text);',
  },
  {
    name: 'attribute dropped while a column uses the type',
    from: 'CREATE TYPE addr AS (street text, city text, fax text); CREATE TABLE customer (id int PRIMARY KEY, a addr);',
    to: 'CREATE TYPE addr AS (street text, city text); CREATE TABLE customer (id int PRIMARY KEY, a addr);',
    // DROP ATTRIBUTE discards the attribute's values (a data-loss hazard, measured in issue 4), and
    // every stored value's text changes with it; the row itself must survive.
    seed: `INSERT INTO customer VALUES (1, NULL);`,
  },
  {
    name: 'composite used by a new table column',
    from: 'CREATE TABLE customer (id int PRIMARY KEY);',
    to: 'CREATE TYPE addr AS (street text, city text); CREATE TABLE customer (id int PRIMARY KEY, a addr);',
    seed: 'INSERT INTO customer VALUES (1);',
  },
  {
    name: 'composite nesting an enum and a domain',
    from: '',
    to: `CREATE TYPE unit AS ENUM ('kg', 'g'); CREATE DOMAIN pos AS numeric CHECK (VALUE > 0);
      CREATE TYPE weight AS (v pos, u unit);`,
  },
  {
    name: 'composite returned by a function',
    from: '',
    to: `CREATE TYPE kv AS (k text, v text);
      CREATE FUNCTION one_kv() RETURNS kv LANGUAGE sql IMMUTABLE AS $$ SELECT ROW('a', 'b')::kv $$;`,
  },
  {
    name: 'composite attribute with a collation',
    from: 'CREATE TYPE label AS (t text);',
    to: 'CREATE TYPE label AS (t text COLLATE "C");',
  },
  {
    name: 'composite comment',
    from: 'CREATE TYPE p AS (x int);',
    to: `CREATE TYPE p AS (x int); COMMENT ON TYPE p IS 'a point';`,
  },
];
