import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isPgdriftError } from '../../src/core/errors';
import { EMBEDDED_EXTENSIONS, extensionArchives } from '../../src/core/sources/extensions';
import { assetDir } from '../../src/core/sources/pgliteAssets';
import { parseScript } from '../../src/core/sources/script';

async function sourceError(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    assert.ok(isPgdriftError(error) && error.code === 'source-failed', String(error));
    return error.message;
  }
  throw new Error('expected a source-failed error');
}

describe('sources: SQL files made ready to load', () => {
  it('\\restrict and \\unrestrict (pg_dump 18) are skipped, whatever the key: every other line and column stays put', async () => {
    // A key starting with a digit and a letter is a malformed number to PostgreSQL's scanner.
    const text = '--\n-- PostgreSQL database dump\n--\n\n\\restrict 1Qd0wC8DMpIOugi1f9\n\nSET lock_timeout = 0;\n\\unrestrict 1Qd0wC8DMpIOugi1f9\n';
    const script = await parseScript({ name: 'dump.sql', text });
    assert.deepEqual(script.split.statements.map((s) => [s.line, s.column, s.sql]), [[7, 1, 'SET lock_timeout = 0']]);
  });

  it('a line starting with a backslash inside a function body, a string or a comment is SQL, not a meta-command', async () => {
    const text = "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$\n\\restrict x\n\\connect y\nSELECT 'a'$$;\nSELECT 'one\n\\set two';\n/*\n\\i three\n*/\n";
    const script = await parseScript({ name: 'f.sql', text });
    assert.deepEqual(script.split.statements.map((s) => s.sql), [
      "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$\n\\restrict x\n\\connect y\nSELECT 'a'$$",
      "SELECT 'one\n\\set two'",
    ]);
  });

  it('any other meta-command is an error at its place', async () => {
    const message = await sourceError(() => parseScript({ name: 'full.sql', text: 'CREATE DATABASE erp;\n  \\connect erp\nCREATE TABLE t ();\n' }));
    assert.equal(message, 'full.sql:2:3: psql meta-command \\connect is not SQL and cannot be loaded (pgdrift skips only \\restrict and \\unrestrict; dump without --create)');
  });

  it('a syntax error: the file, line and column of the token the parser stopped at', async () => {
    const text = 'CREATE TABLE a (id int);\n\nCREATE TABLE b (\n  id int,,\n  name text\n);\nCREATE TABLE c ();\n';
    assert.equal(await sourceError(() => parseScript({ name: 'schema.sql', text })), 'schema.sql:4:10: syntax error at or near ","');
  });

  it('the rows of a full pg_dump (COPY … FROM stdin): an error at the COPY saying to dump with --schema-only', async () => {
    const text = 'CREATE TABLE t (id int);\nCOPY public.t (id) FROM stdin;\n1\n2\n\\.\n';
    assert.equal(await sourceError(() => parseScript({ name: 'full.sql', text })),
      'full.sql:2:1: COPY … FROM stdin is followed by table rows (a full pg_dump), not SQL; dump with --schema-only, or with --inserts to keep rows');
  });

  it('extensions: the archives CREATE EXTENSION needs (with what CASCADE brings); one PGlite lacks is an error naming it and its place', async () => {
    const script = await parseScript({ name: 'x.sql', text: 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";\nCREATE EXTENSION earthdistance CASCADE;\nCREATE EXTENSION plpgsql;\nCREATE EXTENSION moddatetime;\n' });
    assert.deepEqual(extensionArchives([script]), ['cube', 'earthdistance', 'spi', 'uuid-ossp']);
    const vector = await parseScript({ name: 'db/schema.sql', text: 'CREATE TABLE a ();\n\n   CREATE EXTENSION vector WITH SCHEMA public;\n' });
    assert.throws(() => extensionArchives([vector]), (e: unknown) => isPgdriftError(e) && e.code === 'source-failed'
      && e.message.startsWith('db/schema.sql:3:4: extension "vector" is not available in the embedded database (PGlite ships the PostgreSQL contrib extensions: amcheck, autoinc,')
      && e.message.endsWith("load this schema into a PostgreSQL server that has it and pass that database's URL instead"));
  });

  it('every extension of the catalogue is in the archive it is said to be in', () => {
    const dir = assetDir();
    for (const [name, archive] of Object.entries(EMBEDDED_EXTENSIONS)) {
      const file = join(dir, `${archive}.tar.gz`);
      assert.ok(existsSync(file), `${file} exists`);
      assert.ok(gunzipSync(readFileSync(file)).includes(Buffer.from(`extension/${name}.control`)), `${archive}.tar.gz holds ${name}.control`);
    }
  });
});
