import type { ConvergenceCase } from '../../../support/convergence';

export const views: ConvergenceCase[] = [
  { name: 'view added', from: 'CREATE TABLE t (a int, b text);', to: 'CREATE TABLE t (a int, b text); CREATE VIEW v AS SELECT a FROM t;' },
  {
    name: 'view definition changed, same columns',
    from: 'CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t WHERE a > 0;',
    to: 'CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t WHERE a > 10;',
  },
  {
    name: 'view gains a column in the middle',
    from: 'CREATE TABLE t (a int, b int, c int); CREATE VIEW v AS SELECT a, c FROM t;',
    to: 'CREATE TABLE t (a int, b int, c int); CREATE VIEW v AS SELECT a, b, c FROM t;',
  },
  {
    name: 'view on view',
    from: 'CREATE TABLE t (a int, b int);',
    to: `CREATE TABLE t (a int, b int);
      CREATE VIEW v1 AS SELECT a, b FROM t;
      CREATE VIEW v2 AS SELECT a FROM v1 WHERE b > 0;`,
  },
  {
    name: 'inner view of a view on view changes its columns',
    from: `CREATE TABLE t (a int, b int, c int);
      CREATE VIEW v1 AS SELECT a, b FROM t;
      CREATE VIEW v2 AS SELECT a FROM v1;`,
    to: `CREATE TABLE t (a int, b int, c int);
      CREATE VIEW v1 AS SELECT a, c FROM t;
      CREATE VIEW v2 AS SELECT a FROM v1;`,
  },
  {
    name: 'column type change under a view',
    from: `CREATE TABLE entry (id int PRIMARY KEY, approved_by text);
      CREATE VIEW approved AS SELECT id, approved_by FROM entry WHERE approved_by IS NOT NULL;`,
    to: `CREATE TABLE entry (id int PRIMARY KEY, approved_by uuid);
      CREATE VIEW approved AS SELECT id, approved_by FROM entry WHERE approved_by IS NOT NULL;`,
    seed: `INSERT INTO entry VALUES (1, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'), (2, NULL);`,
    seedTo: `INSERT INTO entry VALUES (1, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'), (2, NULL);`,
  },
  {
    name: 'column dropped under a view that stops using it',
    from: 'CREATE TABLE t (a int, legacy text); CREATE VIEW v AS SELECT a, legacy FROM t;',
    to: 'CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t;',
    seed: `INSERT INTO t VALUES (1, 'x');`,
  },
  {
    name: 'view options',
    from: 'CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t WHERE a > 0;',
    to: 'CREATE TABLE t (a int); CREATE VIEW v WITH (security_barrier) AS SELECT a FROM t WHERE a > 0 WITH CASCADED CHECK OPTION;',
  },
  {
    name: 'materialized view added, with data',
    from: 'CREATE TABLE t (a int);',
    to: 'CREATE TABLE t (a int); CREATE MATERIALIZED VIEW mv AS SELECT count(*) AS n FROM t;',
    seed: 'INSERT INTO t VALUES (1), (2);',
  },
  {
    name: 'materialized view definition changed',
    from: 'CREATE TABLE t (a int); CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;',
    to: 'CREATE TABLE t (a int); CREATE MATERIALIZED VIEW mv AS SELECT a, a * 2 AS twice FROM t;',
  },
  {
    name: 'materialized view on a view',
    from: 'CREATE TABLE t (a int);',
    to: 'CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t; CREATE MATERIALIZED VIEW mv AS SELECT a FROM v WITH NO DATA;',
  },
  {
    name: 'view using a new function',
    from: 'CREATE TABLE t (a int);',
    to: `CREATE TABLE t (a int); CREATE FUNCTION twice(n int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT n * 2';
      CREATE VIEW v AS SELECT twice(a) AS d FROM t;`,
  },
  {
    name: 'view column comment',
    from: 'CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t;',
    to: `CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t; COMMENT ON VIEW v IS 'all a'; COMMENT ON COLUMN v.a IS 'the a';`,
  },
];
