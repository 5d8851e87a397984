/**
 * What a user sees when SQL files do not load: one line on stderr naming the side, the file, the
 * line and column (of the statement, or of the exact token when the server gives a position), the
 * server's message with its detail and hint; exit 9. A path that does not exist, a folder without
 * .sql files and a file that is not UTF-8 are usage errors (exit 64), found before anything starts.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_EXIT_CODES } from '../../../src/cli/exitCodes';
import { cli, type CliOutcome } from '../../support/cli';

const OK_SCHEMA = 'CREATE TABLE ok (id int PRIMARY KEY);\n';

function assertError(out: CliOutcome, code: number, message: string): void {
  assert.equal(out.code, code, out.stdout + out.stderr);
  assert.equal(out.stdout, '');
  assert.equal(out.stderr, `pgdrift: ${message}\n`);
}

describe('sources: SQL files that do not load', () => {
  let dir: string;
  let ok: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgdrift-errors-'));
    ok = join(dir, 'ok.sql');
    writeFileSync(ok, OK_SCHEMA);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function file(name: string, text: string | Buffer): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  it('a syntax error in the middle of a file: its exact line and column, before anything starts', async () => {
    const path = file('syntax.sql', [
      '-- accounts', 'CREATE TABLE account (', '  id bigint PRIMARY KEY,', '  name text NOT NULL', ');', '',
      'CREATE TABLE invoice (', '  id bigint PRIMARY KEY,', '  account_id bigint REFERENCES account (id),', '  total numeric(10,2) NOT NULL,',
      '  issued_on date NOT NULL DEFALT current_date', ');', '', 'CREATE INDEX invoice_account_idx ON invoice (account_id);', '',
    ].join('\n'));
    const out = await cli(['diff', '--from', ok, '--to', path]);
    assertError(out, ERROR_EXIT_CODES['source-failed'], `--to: ${path}:11:27: syntax error at or near "DEFALT"`);
  });

  it('a statement the server refuses: the token the server points at, its message and hint', async () => {
    const path = file('refused.sql', [
      'CREATE TABLE t (id int PRIMARY KEY, name text);', '', '-- a view calling a function with a wrong argument type',
      'CREATE VIEW v AS', '  SELECT id, lower(id) AS lowered FROM t;', '',
    ].join('\n'));
    const out = await cli(['diff', '--from', path, '--to', ok]);
    assertError(out, ERROR_EXIT_CODES['source-failed'], `--from: ${path}:5:14: function lower(integer) does not exist; `
      + 'hint: No function matches the given name and argument types. You might need to add explicit type casts.');
  });

  it('a statement without a server position: the statement\'s first token, with the server\'s detail', async () => {
    const path = file('detail.sql', [
      'CREATE TABLE t (code text);', "INSERT INTO t VALUES ('a'), ('a');", '', '   CREATE UNIQUE INDEX t_code_key ON t (code);', '',
    ].join('\n'));
    const out = await cli(['inspect', '--url', path]);
    assertError(out, ERROR_EXIT_CODES['source-failed'], `${path}:4:4: could not create unique index "t_code_key"; detail: Key (code)=(a) is duplicated.`);
  });

  it('an extension the embedded database does not have: named, with the place that needs it', async () => {
    const path = file('vector.sql', '-- embeddings\n\nCREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public;\nCREATE TABLE doc (id int, embedding vector(3));\n');
    const out = await cli(['diff', '--from', ok, '--to', path]);
    assert.equal(out.code, ERROR_EXIT_CODES['source-failed'], out.stderr);
    assert.match(out.stderr, new RegExp(`^pgdrift: --to: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:1: extension "vector" is not available in the embedded database \\(PGlite ships the PostgreSQL contrib extensions: .*citext.*\\); load this schema into a PostgreSQL server that has it and pass that database's URL instead\\n$`));
  });

  it('a file that ends inside a transaction block: refused, as psql would roll it back', async () => {
    const path = file('open.sql', 'BEGIN;\nCREATE TABLE t (id int);\n');
    const out = await cli(['inspect', '--url', path]);
    assertError(out, ERROR_EXIT_CODES['source-failed'], `${path}: ends inside a transaction block (BEGIN without COMMIT); psql would roll it back, so nothing of it would be kept`);
  });

  it('an empty folder, a folder without .sql files, a path that does not exist: usage errors naming the path', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    assertError(await cli(['diff', '--from', ok, '--to', empty]), ERROR_EXIT_CODES.usage,
      `--to: ${empty}: no .sql files in this folder (only files directly inside it ending in .sql are read)`);
    const docs = join(dir, 'docs');
    mkdirSync(docs);
    writeFileSync(join(docs, 'README.md'), '# not SQL\n');
    assertError(await cli(['plan', '--from', docs, '--to', ok]), ERROR_EXIT_CODES.usage,
      `--from: ${docs}: no .sql files in this folder (only files directly inside it ending in .sql are read)`);
    const missing = join(dir, 'schema.sql');
    assertError(await cli(['inspect', '--url', missing]), ERROR_EXIT_CODES.usage, `${missing}: no such file or folder (a database is named by a postgres:// URL)`);
  });

  it('a file that is not UTF-8: a usage error with the line and column of the first bad byte', async () => {
    const folder = join(dir, 'latin1');
    mkdirSync(folder);
    writeFileSync(join(folder, '001_ok.sql'), OK_SCHEMA);
    // "Müller" saved as Latin-1: ü is the single byte 0xfc.
    const bad = join(folder, '002_seed.sql');
    writeFileSync(bad, Buffer.concat([Buffer.from("CREATE TABLE person (name text);\nINSERT INTO person VALUES ('M"), Buffer.from([0xfc]), Buffer.from("ller');\n")]));
    assertError(await cli(['diff', '--from', ok, '--to', folder]), ERROR_EXIT_CODES.usage,
      `--to: ${bad}:2:30: not UTF-8 text (byte 0xfc); save the file as UTF-8`);
  });
});
