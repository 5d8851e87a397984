/**
 * The acceptance test of SQL-file sources against real servers: the ERP fixture and what pg_dump
 * --schema-only --no-owner --no-privileges prints for both ERP databases (SET lines, set_config,
 * \restrict from the 2025 minor releases on) load into the embedded database, and a live database
 * diffed against its own dump, in both directions, has no differences, on each server version
 * (views of 13 and 15 spell their columns differently from the embedded PostgreSQL 18: compared in
 * one spelling).
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../../support/cli';
import { FIXTURES, fixtureSql } from '../../support/fixtures';
import { useRoles } from '../introspect/support';
import { missingPgDump, pgDumpFor, schemaDump, type PgDump } from '../../support/pgDump';
import { describeEachServer } from '../../support/servers';

describeEachServer('sources: the ERP databases and their pg_dump output as SQL files', ({ server, db }) => {
  const role = useRoles(server);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgdrift-dumps-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** diff in both directions between the live test database and the file: both empty. */
  async function assertNoDifferences(file: string, options: string[] = []): Promise<void> {
    for (const [from, to] of [[db().url, file], [file, db().url]] as const) {
      const out = await cli(['diff', '--from', from, '--to', to, ...options]);
      assert.equal(out.code, 0, `diff --from ${from} --to ${to}: exit ${out.code}\n${out.stdout}${out.stderr}`);
      assert.match(out.stdout, /: no differences\n/);
    }
  }

  it('the ERP to.sql fixture loaded into the embedded database equals the same file loaded on the server', async () => {
    await db().exec(fixtureSql('erp/to.sql'));
    await assertNoDifferences(join(FIXTURES, 'erp', 'to.sql'));
  });

  // The pg_dump for this server: 15 (Debian 12) for 13 and 15, 18 (Debian sid, unpacked by
  // scripts/pg-client-18.sh from scripts/setup.sh) for 18. None is a failure saying how to get it,
  // not a skip. Chosen again when the test runs, when an external server's major is known.
  const declared = pgDumpFor(server.major);
  const using = declared ? ` (pg_dump ${declared.version})` : '';
  function dumpForServer(): PgDump {
    const dump = pgDumpFor(server.major);
    if (!dump) throw new Error(missingPgDump(server.major));
    return dump;
  }

  for (const side of ['to', 'from'] as const) {
    it(`pg_dump --schema-only of the ERP ${side}-database loads, and diffing the live database against its dump is empty${using}`, async () => {
      const dump = dumpForServer();
      await db().exec(fixtureSql(`erp/${side}.sql`));
      const text = schemaDump(dump, db().url);
      assert.match(text, /^SELECT pg_catalog\.set_config\('search_path', '', false\);$/m, 'a pg_dump script');
      const file = join(dir, `erp_${side}_pg${server.major}.sql`);
      writeFileSync(file, text);
      await assertNoDifferences(file);
    });
  }

  it(`a plain pg_dump --schema-only (owners and privileges kept) loads: the roles it names are created, and with --owners --privileges the diff is empty${using}`, async () => {
    const dump = dumpForServer();
    const owner = await role(db(), 'owner');
    const reader = await role(db(), 'reader');
    await db().exec(`${fixtureSql('erp/to.sql')}
      ALTER TABLE "Job" OWNER TO "${owner}";
      GRANT SELECT ON "Customer" TO "${reader}";
      ALTER TABLE "Customer" ENABLE ROW LEVEL SECURITY;
      CREATE POLICY customer_read ON "Customer" FOR SELECT TO "${reader}" USING (true);`);
    const text = schemaDump(dump, db().url, { ownersAndPrivileges: true });
    assert.match(text, new RegExp(`OWNER TO "?${owner}"?;`));
    const file = join(dir, `erp_plain_pg${server.major}.sql`);
    writeFileSync(file, text);
    await assertNoDifferences(file, ['--owners', '--privileges']);
  });
});
