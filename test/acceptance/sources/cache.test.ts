/**
 * The initialised data directory kept between runs (src/core/sources/pgliteTemplate.ts): a cache
 * file that cannot be used (truncated, or from another layout) is replaced by a good one, and the
 * source opens all the same. Costs one initdb inside WebAssembly.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { introspect } from '../../../src/core/introspect';
import { openSource } from '../../../src/core/sources';
import { pgliteAssets } from '../../../src/core/sources/pgliteAssets';

describe('sources: the embedded database\'s cached data directory', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgdrift-cache-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a damaged cache file is replaced by a good one, and the source opens all the same', async function () {
    this.timeout(300_000);
    const cacheDir = join(dir, 'cache');
    const { buildId } = await pgliteAssets();
    const file = join(cacheDir, `pglite-${buildId}.tar.gz`);
    rmSync(cacheDir, { recursive: true, force: true });
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(file, 'not a tar.gz');
    const schema = join(dir, 'schema.sql');
    writeFileSync(schema, 'CREATE TABLE t (id int PRIMARY KEY);\n');
    const source = await openSource(schema, { env: {}, cacheDir });
    try {
      assert.equal((await introspect(source)).model.tables.length, 1);
    } finally {
      await source.close();
    }
    assert.deepEqual(readdirSync(cacheDir), [`pglite-${buildId}.tar.gz`], 'no temporary file left behind');
    const bytes = readFileSync(file);
    assert.ok(bytes.length > 1_000_000 && bytes[0] === 0x1f && bytes[1] === 0x8b, 'a gzip file of the data directory');
  });
});
