import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_EXIT_CODES, EXIT } from '../../src/cli/exitCodes';
import { describeEachServer, freshDatabaseEachTest, type TestDatabase } from '../support/servers';
import { cli } from '../support/cli';
import { runPsql } from '../support/psql';


// The pair of the README's example. "production", what is deployed:
const PRODUCTION = `
CREATE TABLE job (id integer PRIMARY KEY, title text NOT NULL, status text NOT NULL DEFAULT 'open');
CREATE VIEW open_jobs AS SELECT id, title FROM job WHERE status = 'open';
CREATE VIEW job_status AS SELECT id, status FROM job;
CREATE TABLE legacy_note (id integer PRIMARY KEY, body text);
INSERT INTO job VALUES (1, 'boiler', 'open'), (2, 'roof', 'done');
`;

// "local": status becomes an enum (so open_jobs must be recreated), job gets a column and a
// trigger with its function, customer is new, legacy_note and the job_status view are gone.
const LOCAL = `
CREATE TYPE job_status AS ENUM ('open', 'done');
CREATE TABLE job (id integer PRIMARY KEY, title text NOT NULL, status job_status NOT NULL DEFAULT 'open', priority integer NOT NULL DEFAULT 0);
CREATE VIEW open_jobs AS SELECT id, title FROM job WHERE status = 'open';
CREATE TABLE customer (id integer PRIMARY KEY, name text NOT NULL);
CREATE FUNCTION touch_job() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.title := trim(NEW.title); RETURN NEW; END $$;
CREATE TRIGGER job_touch BEFORE INSERT OR UPDATE ON job FOR EACH ROW EXECUTE FUNCTION touch_job();
`;

/** The tree below the summary line, as the README shows it. */
const EXPECTED_TREE = `
enums (1)
  + public.job_status
tables (3)
  + public.customer
      + constraint customer_pkey
  ~ public.job
      + column priority
          integer
      ~ column status
          type: text → public.job_status
          default: 'open'::text → 'open'::public.job_status
          ! LK-03 lock: Changing status to public.job_status rewrites "public"."job" and its indexes under ACCESS EXCLUSIVE.
          ! FL-03 failure: "public"."job"."status": all 2 values cast to public.job_status.
          ! FL-15 failure: "public"."job"."status": default 'open'::text is dropped before the type change and set again as 'open'::job_status. (accepted)
            remedy: default recast: 'open'::text → 'open'::job_status
      + trigger job_touch
  - public.legacy_note
      ! DL-01 data-loss: Dropping "public"."legacy_note" loses nothing: it has no rows.
views (2)
  - public.job_status
  ± public.open_jobs (recreated because column public.job.status changes)
      query changed
functions (1)
  + public.touch_job()

17 statements: preflight 1, expand 10, routines 2, contract 1, validate 3
`;

const SECRET = 'pw-Zr8-never-shown';

describeEachServer('pgdrift diff and plan', ({ server, db }) => {
  /** The first database is "production" (the one to change), the second "local". */
  const production = (): TestDatabase => db();
  const local = freshDatabaseEachTest(server);
  const pair = (): string[] => ['--from', production().url, '--to', local().url];

  it('equal databases: exit 0 and "no differences" in every form', async () => {
    await production().exec(PRODUCTION);
    await local().exec(PRODUCTION);
    const tree = await cli(['diff', ...pair()]);
    assert.equal(tree.code, EXIT.ok, tree.stderr);
    assert.equal(tree.stdout, `${production().name} ← ${local().name}: no differences\n`);
    const json = await cli(['diff', ...pair(), '--format', 'json']);
    assert.equal(json.code, EXIT.ok, json.stderr);
    const doc = JSON.parse(json.stdout) as { changes: unknown[]; statements: unknown[]; from: { fingerprint: string }; to: { fingerprint: string } };
    assert.deepEqual([doc.changes, doc.statements], [[], []]);
    assert.equal(doc.from.fingerprint, doc.to.fingerprint);
    const plan = await cli(['plan', ...pair()]);
    assert.equal(plan.code, EXIT.ok, plan.stderr);
    assert.match(plan.stdout, /^-- pgdrift: no differences, nothing to do$/m);
  });

  it('a real difference: exit 2, the tree groups it, sql has phase markers, json has the documented shape', async () => {
    await production().exec(PRODUCTION);
    await local().exec(LOCAL);

    const tree = await cli(['diff', ...pair()]);
    assert.equal(tree.code, EXIT.differences, tree.stderr);
    assert.equal(tree.stderr, '');
    assert.equal(tree.stdout, `${production().name} ← ${local().name}: 1 enum to create, 1 table to create, 1 to alter, 1 to drop, `
      + '1 column to create, 1 to alter, 1 constraint to create, 1 view to recreate, 1 to drop, 1 function to create, '
      + `1 trigger to create\n${EXPECTED_TREE}`);

    const sql = await cli(['diff', ...pair(), '--format', 'sql']);
    assert.equal(sql.code, EXIT.differences, sql.stderr);
    assert.match(sql.stdout, /^-- pgdrift:phase expand$/m);
    assert.match(sql.stdout, /^-- pgdrift:phase contract$/m);
    assert.match(sql.stdout, /CREATE TABLE "public"\."customer"/);

    const json = await cli(['diff', ...pair(), '--format', 'json']);
    assert.equal(json.code, EXIT.differences, json.stderr);
    const doc = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc), ['format', 'from', 'to', 'changes', 'statements']);
    assert.equal(doc.format, 'pgdrift.diff/1');
    const from = doc.from as Record<string, unknown>;
    assert.deepEqual(Object.keys(from), ['database', 'serverVersion', 'fingerprint']);
    assert.equal(from.database, production().name);
    assert.match(String(from.fingerprint), /^sha256:[0-9a-f]{64}$/);
    const changes = doc.changes as { id: string; kind: string; action: string; parent?: string; details: unknown[]; statements: { sql: string; phase: string; action: string }[] }[];
    const customer = changes.find((c) => c.id === 'table:"public"."customer"');
    assert.equal(customer?.action, 'create');
    assert.ok(customer?.statements.some((s) => s.phase === 'expand' && /CREATE TABLE/.test(s.sql)));
    const priority = changes.find((c) => c.id === 'column:"public"."job"."priority"');
    assert.equal(priority?.parent, 'table:"public"."job"');
    const openJobs = changes.find((c) => c.id === 'view:"public"."open_jobs"') as { action: string; cause?: string } | undefined;
    assert.deepEqual([openJobs?.action, openJobs?.cause], ['recreate', 'column:"public"."job"."status"']);
    const statements = doc.statements as { phase: string; change: string; expect?: unknown }[];
    assert.ok(statements.length > 0);
    assert.ok(statements.every((s) => changes.some((c) => c.id === s.change) || (s.change === 'plan' && s.expect)),
      'every statement belongs to a listed change, or is a plan-wide expectation');
    assert.ok(statements.some((s) => s.change === 'plan' && s.phase === 'validate'), 'the table and view counts are checked');
    const phaseOrder = ['preflight', 'backup', 'expand', 'migrate-data', 'routines', 'contract', 'validate'];
    const ranks = statements.map((s) => phaseOrder.indexOf(s.phase));
    assert.ok(ranks.every((r, i) => r >= 0 && (i === 0 || r >= (ranks[i - 1] ?? 0))), 'statements in run order, phases contiguous');
  });

  it('plan -o writes a script that, run with psql on the from-database, leaves no difference', async () => {
    await production().exec(PRODUCTION);
    await local().exec(LOCAL);
    const folder = mkdtempSync(join(tmpdir(), 'pgdrift-plan-'));
    try {
      const file = join(folder, 'migration.sql');
      const plan = await cli(['plan', ...pair(), '-o', file]);
      assert.equal(plan.code, EXIT.differences, plan.stderr);
      assert.equal(plan.stdout, '');
      assert.match(plan.stderr, new RegExp(`^wrote ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ changes, \\d+ statements \\(.*expand \\d+.*\\)\\n$`));
      assert.deepEqual(readdirSync(folder), ['migration.sql'], 'no temporary file left');
      const script = readFileSync(file, 'utf8');
      assert.match(script, /^-- pgdrift plan for .*sha256:[0-9a-f]{64}\)$/m);
      const ran = await runPsql(production().url, script);
      assert.ok(ran.ok, `psql failed: ${ran.firstError}\n--- script ---\n${script}`);
      const after = await cli(['diff', ...pair()]);
      assert.equal(after.code, EXIT.ok, after.stdout);
      assert.deepEqual(await production().query('SELECT id, status::text FROM job ORDER BY id'), [{ id: 1, status: 'open' }, { id: 2, status: 'done' }]);
      const empty = await cli(['plan', ...pair(), '-o', file]);
      assert.equal(empty.code, EXIT.ok, empty.stderr);
      assert.equal(empty.stderr, `wrote ${file}: no differences, nothing to do\n`);
      assert.match(readFileSync(file, 'utf8'), /^-- pgdrift: no differences, nothing to do$/m);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('the filters: --schema limits the comparison, --no-comments ignores comments', async () => {
    await production().exec("CREATE SCHEMA app; CREATE SCHEMA scratch; CREATE TABLE app.t (id int); COMMENT ON TABLE app.t IS 'old'");
    await local().exec("CREATE SCHEMA app; CREATE SCHEMA scratch; CREATE TABLE app.t (id int); COMMENT ON TABLE app.t IS 'new'; CREATE TABLE scratch.extra (id int)");
    assert.equal((await cli(['diff', ...pair(), '--schema', 'app', '--no-comments'])).code, EXIT.ok);
    assert.equal((await cli(['diff', ...pair(), '--exclude-schema', 'scratch', '--no-comments'])).code, EXIT.ok);
    const withComments = await cli(['diff', ...pair(), '--schema', 'app']);
    assert.equal(withComments.code, EXIT.differences, withComments.stderr);
    assert.doesNotMatch(withComments.stdout, /extra/);
    const all = await cli(['diff', ...pair(), '--no-comments']);
    assert.equal(all.code, EXIT.differences);
    assert.match(all.stdout, /^ {2}\+ scratch\.extra$/m);
  });

  it('--owners and --privileges: owners and grants are compared only when asked', async () => {
    const role = `${production().name}_reader`;
    await production().exec(`CREATE ROLE ${role}`);
    try {
      await production().exec(`CREATE TABLE t (id int); GRANT SELECT ON t TO ${role}`);
      await local().exec(`CREATE TABLE t (id int); ALTER TABLE t OWNER TO ${role}`);
      assert.equal((await cli(['diff', ...pair()])).code, EXIT.ok);
      const privileges = await cli(['diff', ...pair(), '--privileges', '--format', 'json']);
      assert.equal(privileges.code, EXIT.differences, privileges.stderr);
      assert.match(privileges.stdout, /REVOKE/);
      const owners = await cli(['diff', ...pair(), '--owners', '--format', 'sql']);
      assert.equal(owners.code, EXIT.differences, owners.stderr);
      assert.match(owners.stdout, new RegExp(`OWNER TO "?${role}"?`));
    } finally {
      await production().exec(`DROP OWNED BY ${role}`);
      await local().exec(`DROP OWNED BY ${role}`);
      await production().exec(`DROP ROLE ${role}`);
    }
  });

  it('an unreachable --to: exit 10 naming that host, never the password, and the --from connection closed', async () => {
    const out = await cli(['diff', '--from', production().url, '--to', `postgres://app:${SECRET}@no-such-host.invalid:5432/erp`]);
    assert.equal(out.code, ERROR_EXIT_CODES['host-unreachable'], out.stderr);
    assert.equal(out.stdout, '');
    assert.equal(out.stderr.trimEnd().split('\n').length, 1, out.stderr);
    assert.match(out.stderr, /^pgdrift: --to: cannot connect to no-such-host\.invalid:5432\/erp: host "no-such-host\.invalid" not found/);
    assert.ok(!out.stderr.includes(SECRET));
    // The backend of a closed connection goes away a moment after the client has left.
    let open = -1;
    for (let attempt = 0; attempt < 20 && open !== 0; attempt += 1) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 100));
      const rows = await production().query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pgdrift'", [production().name]);
      open = Number(rows[0]?.n);
    }
    assert.equal(open, 0, 'pgdrift left a connection open');
  });

  it('-o into a folder that does not exist: usage exit naming it, nothing written', async () => {
    await local().exec('CREATE TABLE t (id int)');
    const folder = mkdtempSync(join(tmpdir(), 'pgdrift-plan-'));
    try {
      const out = await cli(['plan', ...pair(), '-o', join(folder, 'nope', 'plan.sql')]);
      assert.equal(out.code, ERROR_EXIT_CODES.usage);
      assert.match(out.stderr, /folder .*nope does not exist/);
      assert.ok(!existsSync(join(folder, 'nope')));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('pgdrift diff and plan: bad input', () => {
  it('missing --from or --to: usage exit with the usage', async () => {
    const diff = await cli(['diff', '--to', 'postgres://h/d']);
    assert.equal(diff.code, ERROR_EXIT_CODES.usage);
    assert.match(diff.stderr, /^pgdrift: diff needs --from\n/);
    assert.match(diff.stderr, /pgdrift diff --from <URL\|PATH> --to <URL\|PATH>/);
    const plan = await cli(['plan']);
    assert.equal(plan.code, ERROR_EXIT_CODES.usage);
    assert.match(plan.stderr, /^pgdrift: plan needs --from and --to\n/);
    assert.match(plan.stderr, /pgdrift plan --from <URL\|PATH> --to <URL\|PATH>/);
  });

  it('an unknown format or option: usage exit', async () => {
    const format = await cli(['diff', '--from', 'postgres://h/a', '--to', 'postgres://h/b', '--format', 'yaml']);
    assert.equal(format.code, ERROR_EXIT_CODES.usage);
    assert.match(format.stderr, /unknown --format "yaml" \(use tree, sql or json\)/);
    assert.equal((await cli(['diff', '--from', 'postgres://h/a', '--to', 'postgres://h/b', '-o', 'x.sql'])).code, ERROR_EXIT_CODES.usage);
    assert.equal((await cli(['plan', '--from', 'postgres://h/a', '--to', 'postgres://h/b', '--format', 'json'])).code, ERROR_EXIT_CODES.usage);
  });

  it('a malformed URL: usage exit saying which side, password hidden', async () => {
    const out = await cli(['diff', '--from', 'postgres://h/a', '--to', `mysql://u:${SECRET}@h/b`]);
    assert.equal(out.code, ERROR_EXIT_CODES.usage);
    assert.match(out.stderr, /^pgdrift: --to: not a PostgreSQL URL/);
    assert.ok(!out.stderr.includes(SECRET));
  });

  it('--help lists both commands', async () => {
    const help = await cli(['--help']);
    assert.match(help.stdout, /pgdrift diff --from <URL\|PATH> --to <URL\|PATH> \[--format tree\|sql\|json\]/);
    assert.match(help.stdout, /pgdrift plan --from <URL\|PATH> --to <URL\|PATH> \[-o FILE\]/);
  });
});
