/**
 * A folder of numbered migrations as a source: its .sql files run in name order, each statement on
 * its own (an enum value added and then used, CREATE INDEX CONCURRENTLY), each file with a fresh
 * session (004's empty search_path does not reach 005), and the result is the schema the same
 * files give a real server through psql, and the one the single file they add up to gives.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { introspect } from '../../../src/core/introspect';
import { openSource } from '../../../src/core/sources';
import { cli } from '../../support/cli';
import { FIXTURES } from '../../support/fixtures';
import { modelDifferences } from '../../support/modelDifference';
import { runPsql } from '../../support/psql';
import { describeEachServer } from '../../support/servers';

const DIR = join(FIXTURES, 'sources--migrations');
const MIGRATIONS = join(DIR, 'migrations');

async function inspectPath(path: string) {
  const source = await openSource(path, { env: {} });
  try {
    return await introspect(source);
  } finally {
    await source.close();
  }
}

describe('sources: a folder of five numbered migrations', () => {
  it('builds the same model, with the same fingerprint, as the single file they add up to', async () => {
    assert.equal(readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql')).length, 5);
    const folder = await inspectPath(MIGRATIONS);
    const single = await inspectPath(join(DIR, 'schema.sql'));
    assert.deepEqual(modelDifferences(folder.model, single.model), []);
    assert.equal(folder.fingerprint, single.fingerprint);
    assert.equal(folder.source.database, 'migrations');
    assert.ok(folder.model.tables.some((t) => t.id === 'table:"public"."note"'), 'note landed in public: 005 ran with the default search_path');
  });
});

describeEachServer('sources: a folder of migrations against the same files run by psql', ({ db }) => {
  it('diffing the live database (migrations applied by psql, file by file) against the folder is empty', async () => {
    for (const file of readdirSync(MIGRATIONS).sort()) {
      const result = await runPsql(db().url, readFileSync(join(MIGRATIONS, file), 'utf8'));
      assert.ok(result.ok, `${file}: ${result.firstError}`);
    }
    const out = await cli(['diff', '--from', db().url, '--to', MIGRATIONS]);
    assert.equal(out.code, 0, out.stdout + out.stderr);
    assert.match(out.stdout, /no differences/);
  });
});
