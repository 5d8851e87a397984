import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPgdriftError } from '../../src/core/errors';
import { writeFileAtomic } from '../../src/cli/writeFileAtomic';

describe('writing a file whole or not at all', () => {
  let folder = '';
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'pgdrift-write-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('writes the text and leaves no temporary file behind', async () => {
    const path = join(folder, 'plan.sql');
    await writeFileAtomic(path, 'SELECT 1;\n');
    assert.equal(readFileSync(path, 'utf8'), 'SELECT 1;\n');
    assert.deepEqual(readdirSync(folder), ['plan.sql']);
  });

  it('replaces an existing file whole', async () => {
    const path = join(folder, 'plan.sql');
    writeFileSync(path, 'old text that is longer than the new one\n');
    await writeFileAtomic(path, 'new\n');
    assert.equal(readFileSync(path, 'utf8'), 'new\n');
  });

  it('a missing folder is a usage error naming it, and nothing is created', async () => {
    const path = join(folder, 'missing', 'plan.sql');
    await assert.rejects(writeFileAtomic(path, 'x'), (e: unknown) =>
      isPgdriftError(e) && e.code === 'usage' && e.message.includes(join(folder, 'missing')) && /does not exist/.test(e.message));
    assert.deepEqual(readdirSync(folder), []);
  });

  it('a destination that is a folder fails and leaves no temporary file', async () => {
    mkdirSync(join(folder, 'sub'));
    await assert.rejects(writeFileAtomic(join(folder, 'sub'), 'x'), (e: unknown) => isPgdriftError(e) && e.code === 'usage');
    assert.deepEqual(readdirSync(folder), ['sub']);
  });
});
