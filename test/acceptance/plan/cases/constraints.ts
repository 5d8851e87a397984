import type { ConvergenceCase } from '../../../support/convergence';

export const constraints: ConvergenceCase[] = [
  {
    name: 'primary key added',
    from: 'CREATE TABLE t (id int NOT NULL);',
    to: 'CREATE TABLE t (id int PRIMARY KEY);',
    seed: 'INSERT INTO t VALUES (1), (2);',
    seedTo: 'INSERT INTO t VALUES (1), (2);',
  },
  {
    name: 'unique constraint over two columns',
    from: 'CREATE TABLE t (a int, b int);',
    to: 'CREATE TABLE t (a int, b int, CONSTRAINT t_ab UNIQUE (a, b));',
    seed: 'INSERT INTO t VALUES (1, 1), (1, 2);',
    seedTo: 'INSERT INTO t VALUES (1, 1), (1, 2);',
  },
  {
    name: 'unique NULLS NOT DISTINCT',
    minMajor: 15,
    from: 'CREATE TABLE t (a int);',
    to: 'CREATE TABLE t (a int, CONSTRAINT t_a UNIQUE NULLS NOT DISTINCT (a));',
  },
  {
    name: 'check constraint changed',
    from: 'CREATE TABLE t (qty int, CONSTRAINT qty_ok CHECK (qty > 0));',
    to: 'CREATE TABLE t (qty int, CONSTRAINT qty_ok CHECK (qty >= 0));',
    seed: 'INSERT INTO t VALUES (1), (5);',
    seedTo: 'INSERT INTO t VALUES (1), (5);',
  },
  {
    name: 'function used in a CHECK constraint and in a column default, both new',
    from: 'CREATE TABLE t (id int PRIMARY KEY, code text);',
    to: `CREATE FUNCTION valid_code(c text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT c ~ '^[A-Z]{3}$' $$;
      CREATE FUNCTION default_code() RETURNS text LANGUAGE sql STABLE AS $$ SELECT 'AAA' $$;
      CREATE TABLE t (id int PRIMARY KEY, code text DEFAULT default_code(), CONSTRAINT t_code CHECK (valid_code(code)));`,
    seed: `INSERT INTO t VALUES (1, 'ABC'), (2, 'XYZ');`,
    seedTo: `INSERT INTO t VALUES (1, 'ABC'), (2, DEFAULT);`,
  },
  {
    name: 'function body changed under a CHECK constraint',
    from: `CREATE FUNCTION ok(n int) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT n > 0 $$;
      CREATE TABLE t (n int CHECK (ok(n)));`,
    to: `CREATE FUNCTION ok(n int) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT n > -10 $$;
      CREATE TABLE t (n int CHECK (ok(n)));`,
    seed: 'INSERT INTO t VALUES (1);',
    seedTo: 'INSERT INTO t VALUES (1);',
  },
  {
    name: 'foreign key with actions',
    from: 'CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int);',
    to: 'CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int REFERENCES p(id) ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED);',
    seed: 'INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1);',
    seedTo: 'INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1);',
  },
  {
    name: 'cross-schema foreign key added to existing tables',
    from: 'CREATE SCHEMA a; CREATE SCHEMA b; CREATE TABLE a.owner (id int PRIMARY KEY); CREATE TABLE b.pet (id int, owner_id int);',
    to: 'CREATE SCHEMA a; CREATE SCHEMA b; CREATE TABLE a.owner (id int PRIMARY KEY); CREATE TABLE b.pet (id int, owner_id int REFERENCES a.owner(id));',
    seed: 'INSERT INTO a.owner VALUES (1); INSERT INTO b.pet VALUES (10, 1);',
    seedTo: 'INSERT INTO a.owner VALUES (1); INSERT INTO b.pet VALUES (10, 1);',
  },
  {
    name: 'foreign-key cycle between existing tables',
    from: 'CREATE TABLE x (id int PRIMARY KEY, y_id int); CREATE TABLE y (id int PRIMARY KEY, x_id int);',
    to: `CREATE TABLE x (id int PRIMARY KEY, y_id int); CREATE TABLE y (id int PRIMARY KEY, x_id int REFERENCES x(id));
      ALTER TABLE x ADD CONSTRAINT x_y FOREIGN KEY (y_id) REFERENCES y(id);`,
    seed: 'INSERT INTO x VALUES (1, 1); INSERT INTO y VALUES (1, 1);',
  },
  {
    name: 'referenced primary key replaced',
    from: 'CREATE TABLE p (id int PRIMARY KEY, code text NOT NULL UNIQUE); CREATE TABLE c (p_code text REFERENCES p(code));',
    to: 'CREATE TABLE p (id int, code text NOT NULL PRIMARY KEY); CREATE TABLE c (p_code text REFERENCES p(code));',
    seed: `INSERT INTO p VALUES (1, 'a'); INSERT INTO c VALUES ('a');`,
    seedTo: `INSERT INTO p VALUES (1, 'a'); INSERT INTO c VALUES ('a');`,
  },
  {
    name: 'NOT VALID foreign key',
    from: 'CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p_id int);',
    to: 'CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p_id int); ALTER TABLE c ADD CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p(id) NOT VALID;',
    seed: 'INSERT INTO c VALUES (99);',
  },
  {
    name: 'exclusion constraint',
    from: 'CREATE TABLE r (during tsrange);',
    to: 'CREATE TABLE r (during tsrange, CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&));',
  },
  {
    name: 'constraint comment',
    from: 'CREATE TABLE t (n int CONSTRAINT n_pos CHECK (n > 0));',
    to: `CREATE TABLE t (n int CONSTRAINT n_pos CHECK (n > 0)); COMMENT ON CONSTRAINT n_pos ON t IS 'positive';`,
  },
];
