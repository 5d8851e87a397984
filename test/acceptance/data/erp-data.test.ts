// Reference-data sync on the ERP pair: with Role, Permission, RolePermission, RoleAssignment and
// TimeEntryRejectionNote marked, `pgdrift plan --data` copies 8 roles, 6 permissions, their 11
// links, 1 assignment and 9 notes after the schema changes, parents before children; `pgdrift run`
// leaves the target with exactly the rows of --to, and planning again finds nothing to copy.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../../src/cli/exitCodes';
import { cli } from '../../support/cli';
import { fixtureSql } from '../../support/fixtures';
import { runPsql } from '../../support/psql';
import { erpSuite } from '../../support/erpSuite';
import { describeEachServer, type TestDatabase } from '../../support/servers';

/** The remedy the ERP schema plan needs (see test/acceptance/run/cli-run.test.ts). */
const MAPPING = { casts: { 'public.OvertimeSettings.id': { invalid: 'map', map: { default: 'gen_random_uuid()' } } } };
const TABLES = ['Role', 'Permission', 'RolePermission', 'RoleAssignment', 'TimeEntryRejectionNote'];
const DATA = TABLES.flatMap((t) => ['--data', `public.${t}`]);

/** Every row of the table as text, sorted: what "the same rows" means here. */
async function rowsOf(db: TestDatabase, table: string): Promise<string[]> {
  // Both databases are on one server, so timestamptz prints in the same time zone on both.
  const rows = await db.query<{ r: string }>(`SELECT t::text AS r FROM "${table}" t ORDER BY 1`);
  return rows.map((x) => x.r);
}

describeEachServer('reference data: the ERP pair', ({ server, db }) => {
  const suite = erpSuite(server, 'pgdrift-data-');

  it('plans 8 roles, 6 permissions, 11 links, 1 assignment and 9 notes in FK order; the run leaves the rows of --to; planning again copies nothing', async function () {
    this.timeout(300_000);
    const loaded = await runPsql(db().url, fixtureSql('erp/from.sql'));
    assert.ok(loaded.ok, loaded.firstError);
    const mapping = join(suite.work, 'pgdrift.mapping.json');
    writeFileSync(mapping, JSON.stringify(MAPPING));
    const path = join(suite.work, 'erp.sql');
    const args = ['plan', '--from', db().url, '--to', suite.to.url, '--mapping', mapping, ...DATA, '-o', path];
    const first = await cli(args);
    assert.equal(first.code, EXIT.unacceptedHazards, first.stderr);
    assert.doesNotMatch(first.stderr, /orphan/);
    const blocked = [...first.stderr.matchAll(/^blocked: (\S+) \S+ (\S+): /gm)].map((m) => `${m[1] ?? ''}:${m[2] ?? ''}`);
    const planned = await cli([...args, ...blocked.flatMap((b) => ['--accept', b])]);
    assert.equal(planned.code, EXIT.differences, planned.stderr);
    const script = readFileSync(path, 'utf8');

    // In the migrate-data phase, after expand, before routines (the triggers on Role come later).
    const phases = [...script.matchAll(/^-- pgdrift:phase (\S+)$/gm)].map((m) => m[1]);
    const dataPhase = script.indexOf('-- pgdrift:phase migrate-data');
    assert.ok(dataPhase > script.indexOf('-- pgdrift:phase expand'), phases.join(', '));
    const nextPhase = script.indexOf('-- pgdrift:phase', dataPhase + 1);
    const section = script.slice(dataPhase, nextPhase === -1 ? undefined : nextPhase);
    const inserts = [...section.matchAll(/^INSERT INTO "public"\."(\w+)" .*\nVALUES\n((?:  \(.*\),?\n)+)ON CONFLICT/gm)]
      .map((m) => [m[1], (m[2] ?? '').split('\n').filter(Boolean).length] as const);
    const at = (t: string) => inserts.findIndex(([name]) => name === t);
    assert.deepEqual(Object.fromEntries(inserts), { Role: 8, Permission: 6, RolePermission: 11, RoleAssignment: 1, TimeEntryRejectionNote: 9 });
    assert.ok(at('Role') < at('RolePermission') && at('Permission') < at('RolePermission') && at('Role') < at('RoleAssignment'), inserts.join(' '));
    for (const [t, n] of inserts) assert.match(section, new RegExp(`^-- pgdrift:expect SELECT count\\(\\*\\) FROM "public"\\."${t}" = ${n}$`, 'm'));
    assert.doesNotMatch(section, /^DELETE/m);

    const run = await cli(['run', path, '--target', db().url, '--to', suite.to.url], {}, { cwd: suite.work });
    assert.equal(run.code, EXIT.ok, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /^ {2}0 differences remain$/m);
    for (const t of TABLES) assert.deepEqual(await rowsOf(db(), t), await rowsOf(suite.to, t), t);

    const again = await cli(['plan', '--from', db().url, '--to', suite.to.url, ...DATA]);
    assert.equal(again.code, EXIT.ok, again.stderr);
    assert.doesNotMatch(again.stdout, /INSERT|DELETE|pgdrift:expect/);
  });
});
