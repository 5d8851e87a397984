import type { ConvergenceCase } from '../../../support/convergence';

export const schemas: ConvergenceCase[] = [
  { name: 'schema added', from: '', to: 'CREATE SCHEMA app;' },
  { name: 'schema with a table added', from: '', to: 'CREATE SCHEMA app; CREATE TABLE app.item (id int PRIMARY KEY, label text);' },
  { name: 'quoted schema name', from: '', to: 'CREATE SCHEMA "My Schema"; CREATE TABLE "My Schema"."Item" ("Id" int PRIMARY KEY);' },
  {
    name: 'schema holding a type, a table using it, a view and a function',
    from: 'CREATE TABLE public.keep (id int);',
    to: `CREATE TABLE public.keep (id int);
      CREATE SCHEMA billing;
      CREATE TYPE billing.currency AS ENUM ('EUR', 'USD');
      CREATE TABLE billing.invoice (id int PRIMARY KEY, amount numeric(12,2), cur billing.currency NOT NULL DEFAULT 'EUR');
      CREATE VIEW billing.open_invoices AS SELECT id, amount FROM billing.invoice WHERE amount > 0;
      CREATE FUNCTION billing.total() RETURNS numeric LANGUAGE sql STABLE AS 'SELECT sum(amount) FROM billing.invoice';`,
    seed: 'INSERT INTO public.keep VALUES (1), (2);',
  },
  {
    name: 'table moved to another schema',
    from: 'CREATE SCHEMA a; CREATE SCHEMA b; CREATE TABLE a.t (id int PRIMARY KEY);',
    to: 'CREATE SCHEMA a; CREATE SCHEMA b; CREATE TABLE b.t (id int PRIMARY KEY);',
  },
  {
    name: 'foreign key across schemas, both new',
    from: '',
    to: `CREATE SCHEMA crm; CREATE SCHEMA ops;
      CREATE TABLE crm.customer (id int PRIMARY KEY);
      CREATE TABLE ops.job (id int PRIMARY KEY, customer_id int REFERENCES crm.customer(id));`,
  },
  {
    name: 'schema comment',
    from: 'CREATE SCHEMA app;',
    to: `CREATE SCHEMA app; COMMENT ON SCHEMA app IS 'application objects';`,
  },
  {
    name: 'schema with a table dropped',
    from: 'CREATE TABLE t (id int); CREATE SCHEMA old; CREATE TABLE old.x (id int);',
    to: 'CREATE TABLE t (id int);',
    seed: 'INSERT INTO t VALUES (1), (2), (3);',
  },
  {
    name: 'same names in two schemas',
    from: 'CREATE SCHEMA s1; CREATE TABLE s1.item (id int);',
    to: 'CREATE SCHEMA s1; CREATE SCHEMA s2; CREATE TABLE s1.item (id int); CREATE TABLE s2.item (id int, extra text);',
    seed: 'INSERT INTO s1.item VALUES (1);',
  },
];
