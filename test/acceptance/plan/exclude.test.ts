// plan --exclude on real databases: what a left-out change is needed by goes with it (named on
// stderr), the script lists what it leaves out, and it runs with psql on the from-database: the
// plan stays consistent. A name of no change is a usage error.
import { strict as assert } from 'node:assert';
import { ERROR_EXIT_CODES, EXIT } from '../../../src/cli/exitCodes';
import { cli } from '../../support/cli';
import { runPsql } from '../../support/psql';
import { describeEachServer, freshDatabaseEachTest } from '../../support/servers';


const statementsOf = (script: string) => script.split('\n').filter((l) => !l.startsWith('--')).join('\n');

describeEachServer('pgdrift plan --exclude', ({ server, db }) => {
  const local = freshDatabaseEachTest(server);
  const pair = (): string[] => ['--from', db().url, '--to', local().url];

  it('leaving out a new table leaves out the foreign key that needs it; the rest runs', async () => {
    await db().exec(`CREATE TABLE "TimeEntry" (id integer PRIMARY KEY, minutes integer NOT NULL); INSERT INTO "TimeEntry" VALUES (1, 30);`);
    await local().exec(`
      CREATE TABLE "Role" (id integer PRIMARY KEY, name text NOT NULL);
      CREATE TABLE "TimeEntry" (id integer PRIMARY KEY, minutes integer NOT NULL, "roleId" integer REFERENCES "Role"(id), note text);
    `);
    const out = await cli(['plan', ...pair(), '--exclude', 'public.Role']);
    assert.equal(out.code, EXIT.differences, out.stderr);
    assert.equal(out.stderr, 'excluded too: constraint public."Role"."Role_pkey" needs table public."Role"\n'
      + 'excluded too: constraint public."TimeEntry"."TimeEntry_roleId_fkey" needs table public."Role"\n');
    const lines = out.stdout.split('\n');
    assert.deepEqual(lines.slice(3, 7), [
      '-- left out of this plan (3 changes):',
      '--   create constraint public."Role"."Role_pkey" (needs table public."Role")',
      '--   create constraint public."TimeEntry"."TimeEntry_roleId_fkey" (needs table public."Role"; needs constraint public."Role"."Role_pkey")',
      '--   create table public."Role"',
    ]);
    assert.match(lines[7] ?? '', /^-- pgdrift plan: 2 changes, \d+ statements$/);
    assert.doesNotMatch(statementsOf(out.stdout), /Role"|fkey/);

    // The same selection named differently gives the same script; diff --format sql prints it too.
    const byKind = await cli(['plan', ...pair(), '--exclude', 'table:public.Role', '--exclude', 'public.TimeEntry.TimeEntry_roleId_fkey']);
    assert.equal(byKind.stdout, out.stdout);
    const sql = await cli(['diff', '--format', 'sql', ...pair(), '--exclude', 'table:"public"."Role"']);
    assert.equal(sql.stdout, out.stdout);

    const run = await runPsql(db().url, out.stdout);
    assert.ok(run.ok, run.firstError);
    // What is left: exactly the changes left out.
    const after = await cli(['diff', ...pair()]);
    assert.equal(after.code, EXIT.differences, after.stderr);
    assert.match(after.stdout, /: 1 table to create, 1 to alter/, after.stdout);
    assert.match(after.stdout, /\+ public\."Role"/);
    assert.match(after.stdout, /\+ constraint "TimeEntry_roleId_fkey"/);
    assert.doesNotMatch(after.stdout, /column note|column "roleId"/);
  });

  it('leaving out an enum leaves out the column that becomes of its type and the view recreated for it', async () => {
    await db().exec(`
      CREATE TABLE job (id integer PRIMARY KEY, title text NOT NULL, status text NOT NULL DEFAULT 'open');
      CREATE VIEW open_jobs AS SELECT id, title FROM job WHERE status = 'open';
      INSERT INTO job VALUES (1, 'boiler', 'open');
    `);
    await local().exec(`
      CREATE TYPE job_status AS ENUM ('open', 'done');
      CREATE TABLE job (id integer PRIMARY KEY, title text NOT NULL, status job_status NOT NULL DEFAULT 'open', priority integer NOT NULL DEFAULT 0);
      CREATE VIEW open_jobs AS SELECT id, title FROM job WHERE status = 'open';
    `);
    const out = await cli(['plan', ...pair(), '--exclude', 'enum:public.job_status']);
    assert.equal(out.code, EXIT.differences, out.stderr);
    assert.match(out.stderr, /^excluded too: column public\.job\.status needs enum public\.job_status$/m, out.stderr);
    assert.match(out.stderr, /^excluded too: view public\.open_jobs /m, out.stderr);
    const statements = statementsOf(out.stdout);
    assert.doesNotMatch(statements, /job_status|open_jobs/, statements);
    assert.match(statements, /ADD COLUMN "priority" integer/);
    const run = await runPsql(db().url, out.stdout);
    assert.ok(run.ok, run.firstError);
  });

  it('keeping a view that is to be dropped keeps the column it reads from changing type', async () => {
    await db().exec(`
      CREATE TABLE job (id integer PRIMARY KEY, status text NOT NULL DEFAULT 'open');
      CREATE VIEW job_status AS SELECT id, status FROM job;
      INSERT INTO job VALUES (1, 'open');
    `);
    await local().exec(`
      CREATE TYPE job_state AS ENUM ('open', 'done');
      CREATE TABLE job (id integer PRIMARY KEY, status job_state NOT NULL DEFAULT 'open', priority integer);
    `);
    const out = await cli(['plan', ...pair(), '--exclude', 'view:public.job_status']);
    assert.equal(out.code, EXIT.differences, out.stderr);
    assert.match(out.stderr, /^excluded too: column public\.job\.status drops column public\.job\.status, which view public\.job_status still relies on$/m, out.stderr);
    const statements = statementsOf(out.stdout);
    assert.doesNotMatch(statements, /DROP VIEW|ALTER COLUMN "status"/, statements);
    const run = await runPsql(db().url, out.stdout);
    assert.ok(run.ok, run.firstError);
  });

  it('a name of no change is a usage error', async () => {
    await db().exec('CREATE TABLE a (id integer)');
    await local().exec('CREATE TABLE a (id integer, b text)');
    const out = await cli(['plan', ...pair(), '--exclude', 'public.nope']);
    assert.equal(out.code, ERROR_EXIT_CODES.usage, out.stderr);
    assert.match(out.stderr, /--exclude "public\.nope" names no change of this plan/);
    assert.equal(out.stdout, '');
  });
});
