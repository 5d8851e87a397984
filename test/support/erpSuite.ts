/**
 * For suites that run the ERP plan with the CLI: the ERP to-database (test/fixtures/erp/to.sql) on
 * the suite's server, loaded once for the suite (plans are made against it and runs are validated
 * with it), and a fresh working folder for each test (plan files, the journal, settings).
 * Call inside a describe block; read `to` and `work` inside tests.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureSql } from './fixtures';
import { runPsql } from './psql';
import { databaseOn, type ManagedServer, type TestDatabase } from './servers';

export interface ErpSuite {
  readonly to: TestDatabase;
  readonly work: string;
}

export function erpSuite(server: ManagedServer, folderPrefix: string): ErpSuite {
  let to: TestDatabase | undefined;
  let work: string | undefined;
  before(async function () {
    this.timeout(120_000);
    to = await databaseOn(server);
    const loaded = await runPsql(to.url, fixtureSql('erp/to.sql'));
    assert.ok(loaded.ok, loaded.firstError);
  });
  after(async () => {
    await to?.drop();
  });
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), folderPrefix));
  });
  afterEach(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });
  return {
    get to() {
      assert.ok(to, 'the ERP to-database is made in the suite\'s before hook');
      return to;
    },
    get work() {
      assert.ok(work, 'the working folder is made before each test');
      return work;
    },
  };
}
