import type { ConvergenceCase } from '../../../support/convergence';

export const domains: ConvergenceCase[] = [
  { name: 'domain added', from: '', to: `CREATE DOMAIN positive AS integer CHECK (VALUE > 0);` },
  {
    name: 'domain used by a new column',
    from: 'CREATE TABLE item (id int PRIMARY KEY);',
    to: `CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%'); CREATE TABLE item (id int PRIMARY KEY, contact email);`,
    seed: 'INSERT INTO item VALUES (1), (2);',
  },
  {
    name: 'domain check added',
    from: `CREATE DOMAIN qty AS integer; CREATE TABLE line (id int, q qty);`,
    to: `CREATE DOMAIN qty AS integer CONSTRAINT qty_nonneg CHECK (VALUE >= 0); CREATE TABLE line (id int, q qty);`,
    seed: 'INSERT INTO line VALUES (1, 5), (2, 0);',
    seedTo: 'INSERT INTO line VALUES (1, 5), (2, 0);',
  },
  {
    name: 'domain check replaced',
    from: `CREATE DOMAIN code AS text CONSTRAINT code_len CHECK (length(VALUE) = 3); CREATE TABLE t (c code);`,
    to: `CREATE DOMAIN code AS text CONSTRAINT code_len CHECK (length(VALUE) BETWEEN 2 AND 4); CREATE TABLE t (c code);`,
    seed: `INSERT INTO t VALUES ('abc');`,
    seedTo: `INSERT INTO t VALUES ('abc');`,
  },
  {
    name: 'domain default and NOT NULL',
    from: `CREATE DOMAIN flag AS boolean;`,
    to: `CREATE DOMAIN flag AS boolean NOT NULL DEFAULT false;`,
  },
  {
    name: 'domain over an enum',
    from: '',
    to: `CREATE TYPE color AS ENUM ('red', 'blue'); CREATE DOMAIN warm AS color CHECK (VALUE = 'red'); CREATE TABLE paint (c warm);`,
  },
  {
    name: 'domain base type changed, no users',
    from: `CREATE DOMAIN amount AS integer;`,
    to: `CREATE DOMAIN amount AS numeric(12,2);`,
  },
  {
    name: 'domain with a collation',
    from: '',
    to: `CREATE DOMAIN name_c AS text COLLATE "C"; CREATE TABLE person (n name_c);`,
  },
  {
    name: 'domain dropped with the column using it',
    from: `CREATE DOMAIN percent AS numeric CHECK (VALUE BETWEEN 0 AND 100); CREATE TABLE score (id int, p percent);`,
    to: `CREATE TABLE score (id int);`,
    seed: 'INSERT INTO score VALUES (1, 50);',
  },
  {
    name: 'domain comment',
    from: `CREATE DOMAIN d AS int;`,
    to: `CREATE DOMAIN d AS int; COMMENT ON DOMAIN d IS 'a domain';`,
  },
];
