import type { ConvergenceCase } from '../../../support/convergence';

export const sequences: ConvergenceCase[] = [
  { name: 'sequence added', from: '', to: 'CREATE SEQUENCE ticket_no START 1000;' },
  {
    name: 'sequence options changed',
    from: 'CREATE SEQUENCE s;',
    to: 'CREATE SEQUENCE s AS integer INCREMENT BY 5 MINVALUE 10 MAXVALUE 100000 START 10 CACHE 4 CYCLE;',
  },
  {
    name: 'sequence owned by a column',
    from: 'CREATE TABLE t (id int NOT NULL);',
    to: `CREATE TABLE t (id int NOT NULL);
      CREATE SEQUENCE t_id_seq OWNED BY t.id;
      ALTER TABLE t ALTER COLUMN id SET DEFAULT nextval('t_id_seq');`,
    seed: 'INSERT INTO t VALUES (1), (2);',
    seedTo: `INSERT INTO t VALUES (DEFAULT), (DEFAULT);`,
  },
  {
    name: 'serial column added to a table with rows',
    from: 'CREATE TABLE t (label text);',
    to: 'CREATE TABLE t (label text, id serial);',
    seed: `INSERT INTO t VALUES ('a'), ('b');`,
  },
  {
    name: 'sequence used by a default in another schema',
    from: 'CREATE SCHEMA seqs; CREATE TABLE t (id bigint);',
    to: `CREATE SCHEMA seqs; CREATE SEQUENCE seqs.ids; CREATE TABLE t (id bigint DEFAULT nextval('seqs.ids'));`,
    seed: 'INSERT INTO t VALUES (7);',
  },
  {
    name: 'descending sequence',
    from: '',
    to: 'CREATE SEQUENCE countdown INCREMENT BY -1 MINVALUE -1000 MAXVALUE -1;',
  },
  {
    name: 'sequence data type narrowed',
    from: 'CREATE SEQUENCE s AS bigint;',
    to: 'CREATE SEQUENCE s AS smallint;',
  },
  {
    name: 'sequence ownership removed',
    from: 'CREATE TABLE t (id int); CREATE SEQUENCE s OWNED BY t.id;',
    to: 'CREATE TABLE t (id int); CREATE SEQUENCE s;',
  },
  {
    name: 'sequence comment',
    from: 'CREATE SEQUENCE s;',
    to: `CREATE SEQUENCE s; COMMENT ON SEQUENCE s IS 'numbers';`,
  },
];
