import type { ConvergenceCase } from '../../../support/convergence';

export const indexes: ConvergenceCase[] = [
  { name: 'index added', from: 'CREATE TABLE t (a int);', to: 'CREATE TABLE t (a int); CREATE INDEX t_a ON t (a);', seed: 'INSERT INTO t VALUES (1);' },
  {
    name: 'unique index with INCLUDE',
    from: 'CREATE TABLE t (a int, b text);',
    to: 'CREATE TABLE t (a int, b text); CREATE UNIQUE INDEX t_a ON t (a) INCLUDE (b);',
  },
  {
    name: 'partial expression index',
    from: 'CREATE TABLE t (email text, active boolean);',
    to: 'CREATE TABLE t (email text, active boolean); CREATE INDEX t_email ON t (lower(email)) WHERE active;',
  },
  {
    name: 'index definition changed under the same name',
    from: 'CREATE TABLE t (a int, b int); CREATE INDEX t_idx ON t (a);',
    to: 'CREATE TABLE t (a int, b int); CREATE INDEX t_idx ON t (a, b DESC NULLS LAST);',
  },
  {
    name: 'index method and storage parameters',
    from: 'CREATE TABLE t (a int, doc jsonb);',
    to: `CREATE TABLE t (a int, doc jsonb); CREATE INDEX t_doc ON t USING gin (doc jsonb_path_ops);
      CREATE INDEX t_a ON t USING hash (a); CREATE INDEX t_a_ff ON t (a) WITH (fillfactor = 50);`,
  },
  {
    name: 'index on a new column',
    from: 'CREATE TABLE t (id int);',
    to: 'CREATE TABLE t (id int, code text); CREATE INDEX t_code ON t (code);',
    seed: 'INSERT INTO t VALUES (1);',
  },
  {
    name: 'index on a column whose type changes',
    from: 'CREATE TABLE t (id int, n int); CREATE INDEX t_n ON t (n);',
    to: 'CREATE TABLE t (id int, n bigint); CREATE INDEX t_n ON t (n);',
    seed: 'INSERT INTO t VALUES (1, 5);',
  },
  {
    name: 'index using a new function',
    from: 'CREATE TABLE t (s text);',
    to: `CREATE FUNCTION norm(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(trim(s)) $$;
      CREATE TABLE t (s text); CREATE INDEX t_norm ON t (norm(s));`,
    seed: `INSERT INTO t VALUES (' A ');`,
  },
  {
    name: 'index on a materialized view',
    from: 'CREATE TABLE t (a int); CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;',
    to: 'CREATE TABLE t (a int); CREATE MATERIALIZED VIEW mv AS SELECT a FROM t; CREATE UNIQUE INDEX mv_a ON mv (a);',
  },
  {
    name: 'index in another schema than public',
    from: 'CREATE SCHEMA s; CREATE TABLE s.t (a int);',
    to: 'CREATE SCHEMA s; CREATE TABLE s.t (a int); CREATE INDEX t_a ON s.t (a);',
  },
  {
    name: 'index comment',
    from: 'CREATE TABLE t (a int); CREATE INDEX t_a ON t (a);',
    to: `CREATE TABLE t (a int); CREATE INDEX t_a ON t (a); COMMENT ON INDEX t_a IS 'lookup';`,
  },
];
