import { strict as assert } from 'node:assert';
import { decodeSource } from '../../src/core/check/source';
import { splitStatements } from '../../src/core/check/split';
import { isPgdriftError } from '../../src/core/errors';

/** [line, column, text] of each statement. */
async function located(text: string): Promise<[number, number, string][]> {
  const { statements } = await splitStatements(text, 'm.sql');
  return statements.map((s) => [s.line, s.column, s.sql]);
}

async function usageError(text: string): Promise<string> {
  try {
    await splitStatements(text, 'm.sql');
  } catch (error) {
    assert.ok(isPgdriftError(error) && error.code === 'usage', String(error));
    return error.message;
  }
  throw new Error('expected a usage error');
}

describe('check: statements located by the PostgreSQL parser', () => {
  it('finds each statement at its first token, after comments and blank lines', async () => {
    assert.deepEqual(await located('-- header\n\n/* block */ DROP TABLE a;\n  ALTER TABLE b DROP COLUMN c;\nSELECT 1'), [
      [3, 13, 'DROP TABLE a'],
      [4, 3, 'ALTER TABLE b DROP COLUMN c'],
      [5, 1, 'SELECT 1'],
    ]);
  });

  it('keeps a dollar-quoted body with semicolons in one statement ($$ and $tag$)', async () => {
    const fn = 'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $fn$\nBEGIN\n  PERFORM 1; -- ; not an end\n  RETURN $$;$$::text::int;\nEND\n$fn$';
    const text = `${fn};\nDO $$ BEGIN RAISE NOTICE 'a;b'; END $$;\nSELECT 2;`;
    assert.deepEqual(await located(text), [[1, 1, fn], [7, 1, "DO $$ BEGIN RAISE NOTICE 'a;b'; END $$"], [8, 1, 'SELECT 2']]);
  });

  it('is not fooled by semicolons in strings, E strings, quoted names and comments', async () => {
    const text = "SELECT 'a;b', E'it\\'s;', \"x;y\" FROM t; -- c;d\n/* e; /* nested; */ f; */ SELECT 3;";
    assert.deepEqual(await located(text), [
      [1, 1, "SELECT 'a;b', E'it\\'s;', \"x;y\" FROM t"],
      [2, 27, 'SELECT 3'],
    ]);
  });

  it('leaves a trailing comment before the semicolon out of the statement', async () => {
    assert.deepEqual(await located('DROP TABLE a /* why */ ;'), [[1, 1, 'DROP TABLE a']]);
  });

  it('counts lines across CRLF and columns in characters', async () => {
    assert.deepEqual(await located("SELECT 'é';\r\n\r\n  SELECT 'ü', '𝄞';  SELECT 4;\r\n"), [
      [1, 1, "SELECT 'é'"],
      [3, 3, "SELECT 'ü', '𝄞'"],
      [3, 21, 'SELECT 4'],
    ]);
  });

  it('gives each statement its parse tree and the byte offset parse-tree locations use', async () => {
    const { statements } = await splitStatements("SELECT 'é';\nALTER TABLE t DROP COLUMN c;", 'm.sql');
    const alter = statements[1];
    assert.ok(alter && 'AlterTableStmt' in alter.node);
    assert.equal(alter.byteStart, Buffer.byteLength("SELECT 'é';\n"));
    assert.equal(alter.start, "SELECT 'é';\n".length);
  });

  it('an empty file or one with only comments has no statements', async () => {
    assert.deepEqual(await located(''), []);
    assert.deepEqual(await located('  \n-- nothing here\n/* nor here */\n'), []);
  });

  it('a syntax error names file, line and column of the offending token, and the parser message', async () => {
    assert.equal(await usageError('SELECT 1;\n\nALTER TABLE t DROP COLUMN;\n'), 'm.sql:3:26: syntax error at or near ";"');
    assert.equal(await usageError("SELECT 1;\r\n  SELECT 'é' frm t;"), 'm.sql:2:18: syntax error at or near "t"');
    assert.equal(await usageError('SELECT 1;\n  SELECT $$ never closed'), 'm.sql:2:10: unterminated dollar-quoted string at or near "$$ never closed"');
  });

  it('refuses a NUL character, which would end the text early for the parser', async () => {
    assert.equal(await usageError('SELECT 1;\nSELECT\0 2;'), 'm.sql:2:7: the file contains a NUL character');
  });
});

describe('check: the file must be UTF-8', () => {
  it('decodes UTF-8 and drops a leading byte-order mark, as editors do', () => {
    assert.equal(decodeSource(Buffer.from('\uFEFFSELECT 1', 'utf8'), 'm.sql'), 'SELECT 1');
  });

  it('names the line and column of the first byte that is not UTF-8', () => {
    const latin1 = Buffer.concat([Buffer.from('SELECT 1;\nSELECT \'caf', 'utf8'), Buffer.from([0xe9]), Buffer.from("';")]);
    assert.throws(() => decodeSource(latin1, 'm.sql'), (e: unknown) => isPgdriftError(e) && e.code === 'usage'
      && e.message === 'm.sql:2:12: not UTF-8 text (byte 0xe9); save the file as UTF-8');
  });
});
