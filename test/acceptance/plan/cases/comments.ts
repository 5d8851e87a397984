import type { ConvergenceCase } from '../../../support/convergence';

const base = `CREATE TABLE t (id int, n int CONSTRAINT n_pos CHECK (n > 0));
  CREATE VIEW v AS SELECT id FROM t;
  CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
  CREATE TYPE e AS ENUM ('a');
  CREATE SEQUENCE s;`;

export const comments: ConvergenceCase[] = [
  {
    name: 'comments added on many kinds',
    from: base,
    to: `${base}
      COMMENT ON TABLE t IS 'table'; COMMENT ON COLUMN t.n IS 'column'; COMMENT ON CONSTRAINT n_pos ON t IS 'constraint';
      COMMENT ON VIEW v IS 'view'; COMMENT ON FUNCTION f() IS 'function'; COMMENT ON TYPE e IS 'enum';
      COMMENT ON SEQUENCE s IS 'sequence'; COMMENT ON SCHEMA public IS 'public schema';`,
  },
  {
    name: 'comment changed',
    expectedSql: `COMMENT ON TABLE "public"."t" IS 'new';`,
    from: `${base} COMMENT ON TABLE t IS 'old';`,
    to: `${base} COMMENT ON TABLE t IS 'new';`,
  },
  {
    name: 'comments with quotes, newlines and non-ASCII',
    from: base,
    to: `${base} COMMENT ON TABLE t IS 'it''s "quoted"
second line — ünïcödé';`,
  },
  {
    name: 'comment on a new object',
    from: '',
    to: `CREATE TABLE fresh (id int); COMMENT ON TABLE fresh IS 'new table'; COMMENT ON COLUMN fresh.id IS 'new column';`,
  },
  {
    name: 'comment kept on a column whose type changes',
    from: `CREATE TABLE t (n int); COMMENT ON COLUMN t.n IS 'count';`,
    to: `CREATE TABLE t (n bigint); COMMENT ON COLUMN t.n IS 'count';`,
    seed: 'INSERT INTO t VALUES (3);',
  },
  {
    name: 'comment kept on a view that is recreated',
    from: `CREATE TABLE t (a int, b int); CREATE VIEW v AS SELECT a FROM t; COMMENT ON VIEW v IS 'kept';`,
    to: `CREATE TABLE t (a int, b int); CREATE VIEW v AS SELECT b, a FROM t; COMMENT ON VIEW v IS 'kept';`,
  },
  {
    name: 'comment kept on a function that is recreated',
    from: `CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'; COMMENT ON FUNCTION f() IS 'kept';`,
    to: `CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS 'SELECT 1::bigint'; COMMENT ON FUNCTION f() IS 'kept';`,
  },
  {
    name: 'empty comment means none',
    from: `CREATE TABLE t (id int); COMMENT ON TABLE t IS 'x';`,
    to: `CREATE TABLE t (id int); COMMENT ON TABLE t IS '';`,
  },
];
