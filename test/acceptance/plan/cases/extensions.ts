import type { ConvergenceCase } from '../../../support/convergence';

// Contrib extensions with no procedural language: present in the Debian package (15) and in the
// embedded binaries (13, 18); a server without one reports the case as not loadable.
export const extensions: ConvergenceCase[] = [
  { name: 'extension added', from: '', to: 'CREATE EXTENSION citext;' },
  { name: 'extension in its own schema', from: '', to: 'CREATE SCHEMA ext; CREATE EXTENSION hstore SCHEMA ext;' },
  {
    name: 'extension type used by a new column',
    from: 'CREATE TABLE person (id int PRIMARY KEY, email text);',
    to: 'CREATE EXTENSION citext; CREATE TABLE person (id int PRIMARY KEY, email text, nick citext);',
    seed: `INSERT INTO person VALUES (1, 'a@example.com'), (2, NULL);`,
  },
  {
    name: 'column type changed to an extension type',
    from: 'CREATE TABLE person (id int PRIMARY KEY, email text);',
    to: 'CREATE EXTENSION citext; CREATE TABLE person (id int PRIMARY KEY, email citext);',
    seed: `INSERT INTO person VALUES (1, 'A@example.com'), (2, 'b@example.com');`,
  },
  {
    name: 'extension function in an index',
    from: 'CREATE TABLE doc (id int PRIMARY KEY, body text);',
    to: 'CREATE EXTENSION pg_trgm; CREATE TABLE doc (id int PRIMARY KEY, body text); CREATE INDEX doc_body_trgm ON doc USING gin (body gin_trgm_ops);',
    seed: `INSERT INTO doc VALUES (1, 'hello world');`,
  },
  {
    name: 'extension function as a column default',
    from: 'CREATE TABLE token (id int PRIMARY KEY);',
    to: `CREATE EXTENSION "uuid-ossp"; CREATE TABLE token (id int PRIMARY KEY, value uuid DEFAULT uuid_generate_v4());`,
  },
  {
    name: 'two extensions, one dropped',
    from: 'CREATE EXTENSION citext; CREATE EXTENSION ltree;',
    to: 'CREATE EXTENSION citext;',
  },
  {
    name: 'extension used by an exclusion constraint',
    from: 'CREATE TABLE booking (room int, during tsrange);',
    to: `CREATE EXTENSION btree_gist;
      CREATE TABLE booking (room int, during tsrange, EXCLUDE USING gist (room WITH =, during WITH &&));`,
    seed: `INSERT INTO booking VALUES (1, '[2024-01-01,2024-01-02)'), (1, '[2024-01-03,2024-01-04)');`,
  },
  {
    name: 'extension comment',
    from: 'CREATE EXTENSION isn;',
    to: `CREATE EXTENSION isn; COMMENT ON EXTENSION isn IS 'product numbers';`,
  },
];
