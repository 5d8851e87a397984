import type { ConvergenceCase } from '../../../support/convergence';

export const tables: ConvergenceCase[] = [
  { name: 'table added', from: '', to: 'CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL);' },
  {
    name: 'table dropped, another kept',
    from: 'CREATE TABLE keep (id int); CREATE TABLE gone (id int);',
    to: 'CREATE TABLE keep (id int);',
    seed: 'INSERT INTO keep VALUES (1), (2); INSERT INTO gone VALUES (1);',
  },
  { name: 'quoted mixed-case names', from: '', to: 'CREATE TABLE "Order Line" ("Id" int PRIMARY KEY, "unitPrice" numeric);' },
  { name: 'unlogged table', from: 'CREATE TABLE cache (k text, v text);', to: 'CREATE UNLOGGED TABLE cache (k text, v text);', seed: `INSERT INTO cache VALUES ('a', 'b');` },
  {
    name: 'storage parameters',
    from: 'CREATE TABLE t (id int);',
    to: 'CREATE TABLE t (id int) WITH (fillfactor = 70, autovacuum_enabled = false);',
    seed: 'INSERT INTO t VALUES (1);',
  },
  {
    name: 'replica identity full',
    from: 'CREATE TABLE t (id int);',
    to: 'CREATE TABLE t (id int); ALTER TABLE t REPLICA IDENTITY FULL;',
  },
  {
    name: 'replica identity using an index',
    from: 'CREATE TABLE t (id int NOT NULL, code text NOT NULL);',
    to: 'CREATE TABLE t (id int NOT NULL, code text NOT NULL); CREATE UNIQUE INDEX t_code ON t (code); ALTER TABLE t REPLICA IDENTITY USING INDEX t_code;',
  },
  {
    name: 'inheritance child added',
    from: 'CREATE TABLE base (id int, created timestamptz);',
    to: 'CREATE TABLE base (id int, created timestamptz); CREATE TABLE child (extra text) INHERITS (base);',
    seed: 'INSERT INTO base VALUES (1, now());',
  },
  {
    name: 'tables referencing each other, both new',
    from: '',
    to: `CREATE TABLE parent (id int PRIMARY KEY, favourite_child int);
      CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent(id));
      ALTER TABLE parent ADD CONSTRAINT parent_fav FOREIGN KEY (favourite_child) REFERENCES child(id);`,
  },
  {
    name: 'self-referencing table',
    from: '',
    to: 'CREATE TABLE account (id int PRIMARY KEY, parent_id int REFERENCES account(id));',
  },
  {
    name: 'many tables in dependency order',
    from: 'CREATE TABLE a (id int PRIMARY KEY);',
    to: `CREATE TABLE a (id int PRIMARY KEY);
      CREATE TABLE d (id int PRIMARY KEY, c_id int);
      CREATE TABLE c (id int PRIMARY KEY, b_id int);
      CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a(id));
      ALTER TABLE c ADD FOREIGN KEY (b_id) REFERENCES b(id);
      ALTER TABLE d ADD FOREIGN KEY (c_id) REFERENCES c(id);`,
    seed: 'INSERT INTO a VALUES (1), (2);',
  },
  {
    name: 'table comment',
    from: 'CREATE TABLE t (id int);',
    to: `CREATE TABLE t (id int); COMMENT ON TABLE t IS 'things';`,
  },
];
