import type { ConvergenceCase } from '../../../support/convergence';

export const enums: ConvergenceCase[] = [
  { name: 'enum added', from: '', to: `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');` },
  {
    name: 'value appended',
    from: `CREATE TYPE status AS ENUM ('open', 'done'); CREATE TABLE job (id int, s status);`,
    to: `CREATE TYPE status AS ENUM ('open', 'done', 'archived'); CREATE TABLE job (id int, s status);`,
    seed: `INSERT INTO job VALUES (1, 'open'), (2, 'done');`,
    seedTo: `INSERT INTO job VALUES (1, 'open'), (2, 'done');`,
  },
  {
    name: 'value inserted in the middle',
    expectedSql: `ALTER TYPE "public"."status" ADD VALUE 'running' AFTER 'open';`,
    from: `CREATE TYPE status AS ENUM ('open', 'done'); CREATE TABLE job (id int, s status);`,
    to: `CREATE TYPE status AS ENUM ('open', 'running', 'done'); CREATE TABLE job (id int, s status);`,
    seed: `INSERT INTO job VALUES (1, 'open'), (2, 'done');`,
    seedTo: `INSERT INTO job VALUES (1, 'open'), (2, 'done');`,
  },
  {
    name: 'value removed while rows use the others',
    from: `CREATE TYPE status AS ENUM ('open', 'legacy', 'done'); CREATE TABLE job (id int PRIMARY KEY, s status NOT NULL);`,
    to: `CREATE TYPE status AS ENUM ('open', 'done'); CREATE TABLE job (id int PRIMARY KEY, s status NOT NULL);`,
    seed: `INSERT INTO job VALUES (1, 'open'), (2, 'done'), (3, 'open');`,
    seedTo: `INSERT INTO job VALUES (1, 'open'), (2, 'done');`,
  },
  {
    name: 'enum used in a column default',
    from: `CREATE TABLE job (id int PRIMARY KEY);`,
    to: `CREATE TYPE status AS ENUM ('open', 'done'); CREATE TABLE job (id int PRIMARY KEY, s status NOT NULL DEFAULT 'open');`,
    seed: `INSERT INTO job VALUES (1), (2);`,
  },
  {
    name: 'text column becomes an enum with a default',
    from: `CREATE TABLE job (id int PRIMARY KEY, status text NOT NULL DEFAULT 'open');`,
    to: `CREATE TYPE job_status AS ENUM ('open', 'done'); CREATE TABLE job (id int PRIMARY KEY, status job_status NOT NULL DEFAULT 'open');`,
    seed: `INSERT INTO job VALUES (1, 'open'), (2, 'done');`,
    seedTo: `INSERT INTO job VALUES (1, 'open'), (2, 'done');`,
  },
  {
    name: 'enum value removed under a default and a partial index',
    from: `CREATE TYPE status AS ENUM ('new', 'open', 'done');
      CREATE TABLE job (id int PRIMARY KEY, s status NOT NULL DEFAULT 'open');
      CREATE INDEX job_open ON job (id) WHERE s = 'open';`,
    to: `CREATE TYPE status AS ENUM ('open', 'done');
      CREATE TABLE job (id int PRIMARY KEY, s status NOT NULL DEFAULT 'open');
      CREATE INDEX job_open ON job (id) WHERE s = 'open';`,
    seed: `INSERT INTO job VALUES (1, 'open'), (2, 'done');`,
    seedTo: `INSERT INTO job VALUES (1, 'open'), (2, 'done');`,
  },
  {
    name: 'enum in another schema used by an array column',
    from: `CREATE SCHEMA t; CREATE TABLE item (id int);`,
    to: `CREATE SCHEMA t; CREATE TYPE t.tag AS ENUM ('a', 'b'); CREATE TABLE item (id int, tags t.tag[] DEFAULT '{}');`,
    seed: `INSERT INTO item VALUES (1);`,
  },
  {
    name: 'enum comment and quoted labels',
    from: `CREATE TYPE "Kind" AS ENUM ('it''s', 'Two Words');`,
    to: `CREATE TYPE "Kind" AS ENUM ('it''s', 'Two Words'); COMMENT ON TYPE "Kind" IS 'kinds';`,
  },
  {
    name: 'enum used by a function signature',
    from: `CREATE TYPE level AS ENUM ('low', 'high');`,
    to: `CREATE TYPE level AS ENUM ('low', 'high');
      CREATE FUNCTION is_high(l level) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT l = 'high' $$;`,
  },
];
