import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDirOf } from '../../src/core/sources/cacheDir';
import { isPgdriftError } from '../../src/core/errors';
import { serverLabel } from '../../src/core/render/serverVersion';
import { isConnectionUrl, resolveSource } from '../../src/core/sources';
import { displayNameOf, readSqlFiles } from '../../src/core/sources/sqlFiles';

async function usageMessage(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    assert.ok(isPgdriftError(error) && error.code === 'usage', String(error));
    return error.message;
  }
  throw new Error('expected a usage error');
}

describe('sources: finding and reading SQL files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgdrift-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a folder: its .sql files in code-unit name order; other files, hidden files and subfolders left out', async () => {
    for (const name of ['010_b.sql', '002_a.sql', '9_c.sql', 'README.md', '.hidden.sql', '011_upper.SQL']) writeFileSync(join(dir, name), `-- ${name}\n`);
    mkdirSync(join(dir, '000_sub.sql'));
    const files = await readSqlFiles(dir);
    assert.deepEqual(files.map((f) => f.name), ['002_a.sql', '010_b.sql', '011_upper.SQL', '9_c.sql'].map((n) => join(dir, n)));
    assert.equal(files[0]?.text, '-- 002_a.sql\n');
  });

  it('one file, whatever its name ends with', async () => {
    writeFileSync(join(dir, 'schema.psql'), 'CREATE TABLE t ();\n');
    assert.deepEqual(await readSqlFiles(join(dir, 'schema.psql')), [{ name: join(dir, 'schema.psql'), text: 'CREATE TABLE t ();\n' }]);
  });

  it('a path that does not exist: a usage error naming it', async () => {
    const message = await usageMessage(() => readSqlFiles(join(dir, 'nope.sql')));
    assert.equal(message, `${join(dir, 'nope.sql')}: no such file or folder (a database is named by a postgres:// URL)`);
  });

  it('a folder without .sql files: a usage error naming it', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'x');
    const message = await usageMessage(() => readSqlFiles(dir));
    assert.equal(message, `${dir}: no .sql files in this folder (only files directly inside it ending in .sql are read)`);
  });

  it('a file that is not UTF-8: a usage error with the line and column of the first bad byte', async () => {
    // "café" in Latin-1 on line 2: the é is byte 0xe9.
    writeFileSync(join(dir, 'latin1.sql'), Buffer.concat([Buffer.from('SELECT 1;\nSELECT \'caf'), Buffer.from([0xe9]), Buffer.from('\';\n')]));
    const message = await usageMessage(() => readSqlFiles(dir));
    assert.equal(message, `${join(dir, 'latin1.sql')}:2:12: not UTF-8 text (byte 0xe9); save the file as UTF-8`);
  });

  it('URL or path: anything with a scheme is a URL (refused when not PostgreSQL), the rest a path', async () => {
    assert.equal(isConnectionUrl('postgres://h/db'), true);
    assert.equal(isConnectionUrl('postgresql://h/db'), true);
    assert.equal(isConnectionUrl('mysql://u:pw@h/db'), true);
    assert.equal(isConnectionUrl('./db/schema.sql'), false);
    assert.equal(isConnectionUrl('C:\\db\\schema.sql'), false);
    assert.equal((await resolveSource('postgres://app@db.example.com:6543/erp', {})).kind, 'live');
    await assert.rejects(resolveSource('mysql://u:topsecret@h/db', {}), (e: unknown) => isPgdriftError(e) && /not a PostgreSQL URL/.test(e.message) && !e.message.includes('topsecret'));
  });

  it('display names, cache folder and the server label of an embedded source', () => {
    assert.equal(displayNameOf('db/migrations/'), 'migrations');
    assert.equal(displayNameOf('test/fixtures/erp/to.sql'), 'to.sql');
    assert.equal(cacheDirOf({ PGDRIFT_CACHE_DIR: '/c' }), '/c');
    assert.equal(cacheDirOf({ PGDRIFT_CACHE_DIR: '', HOME: '/home/u' }), undefined);
    assert.equal(cacheDirOf({ XDG_CACHE_HOME: '/x', HOME: '/home/u' }), join('/x', 'pgdrift'));
    assert.equal(cacheDirOf({ HOME: '/home/u' }), join('/home/u', '.cache', 'pgdrift'));
    assert.equal(cacheDirOf({}), undefined);
    assert.equal(serverLabel('18.7 (PGlite 0.5.17)'), 'PostgreSQL 18.7 in PGlite 0.5.17');
    assert.equal(serverLabel('15.18 (Debian 15.18-0+deb12u1)'), 'PostgreSQL 15.18');
  });
});
