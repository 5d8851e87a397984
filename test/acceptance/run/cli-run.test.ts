// `pgdrift run` on real servers: the ERP plan (remedies chosen, drops accepted) phase by phase on a
// copy of the from-database until "0 differences remain"; a failing third phase leaving the second
// committed; Ctrl-C during pg_sleep; a rehearsal that changes nothing; and the guards (a target
// changed since planning, unaccepted hazards, production without confirmation, read-only).
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_EXIT_CODES, EXIT } from '../../../src/cli/exitCodes';
import { readJournal } from '../../../src/core/run/journal';
import { cli } from '../../support/cli';
import { fixtureSql, inspectDatabase } from '../../support/fixtures';
import { runPsql } from '../../support/psql';
import { erpSuite } from '../../support/erpSuite';
import { describeEachServer } from '../../support/servers';

const ROOT = join(__dirname, '..', '..', '..');
const LEGACY = ['autoCalculateOvertime', 'dailyRegularHours', 'doubleTimeMultiplier', 'overtimeMode', 'overtimeMultiplier', 'payPeriodType', 'weekStartDay', 'weeklyRegularHours'];
/**
 * The remedy the ERP plan needs: the one id that is not a uuid gets a new one. The plan writes
 * that policy's FL-03 as an accept line, so the run needs no --accept for it.
 */
const MAPPING = { casts: { 'public.OvertimeSettings.id': { invalid: 'map', map: { default: 'gen_random_uuid()' } } } };

const THREE_PHASES = `-- pgdrift:phase one
CREATE TABLE a (id int);
-- pgdrift:phase two
INSERT INTO a VALUES (1);
CREATE TABLE b (id int);
-- pgdrift:phase three
INSERT INTO a VALUES (2);
ALTER TABLE b ADD COLUMN x int;
SELECT id, nope FROM a;
`;

describeEachServer('pgdrift run', ({ server, db }) => {
  const suite = erpSuite(server, 'pgdrift-run-');

  const file = (name: string, text: string): string => {
    const path = join(suite.work, name);
    writeFileSync(path, text);
    return path;
  };
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => cli(['run', ...args], env, { cwd: suite.work });
  const fingerprint = async () => (await inspectDatabase(db())).fingerprint;

  /** Loads the ERP from-database into db() and writes its plan (the id remedy chosen, the legacy drops accepted). */
  async function erpPlan(accept = true): Promise<string> {
    const loaded = await runPsql(db().url, fixtureSql('erp/from.sql'));
    assert.ok(loaded.ok, loaded.firstError);
    const mapping = file('pgdrift.mapping.json', JSON.stringify(MAPPING));
    const path = join(suite.work, 'erp.sql');
    const args = ['plan', '--from', db().url, '--to', suite.to.url, '--mapping', mapping, '-o', path];
    const first = await cli(args);
    assert.equal(first.code, EXIT.unacceptedHazards, first.stderr);
    if (!accept) return path;
    // What still blocks is values the desired state drops; accept exactly those, by name.
    const blocked = [...first.stderr.matchAll(/^blocked: (\S+) \S+ (\S+): /gm)].map((m) => `${m[1] ?? ''}:${m[2] ?? ''}`);
    assert.ok(blocked.every((b) => b.startsWith('DL-02:')), blocked.join(', '));
    for (const c of LEGACY) assert.ok(blocked.includes(`DL-02:public.OvertimeSettings.${c}`), c);
    const out = await cli([...args, ...blocked.flatMap((b) => ['--accept', b])]);
    assert.equal(out.code, EXIT.differences, out.stderr);
    return path;
  }

  /** A .vscode/settings.json in the working folder with one profile for db(). */
  function profile(extra: object): void {
    const t = db().target;
    mkdirSync(join(suite.work, '.vscode'), { recursive: true });
    writeFileSync(join(suite.work, '.vscode', 'settings.json'), JSON.stringify({
      'pgdrift.profiles': [{ name: 'p', host: t.host, port: t.port, database: t.database, user: t.user, ...extra }],
    }));
  }

  it('the ERP plan phase by phase: every phase commits, no kept table loses a row, and 0 differences remain', async function () {
    this.timeout(300_000);
    const plan = await erpPlan();
    const phases = [...readFileSync(plan, 'utf8').matchAll(/^-- pgdrift:phase (\S+)\s*$/gm)].map((m) => m[1] ?? '');
    assert.ok(phases.length >= 3, `phases: ${phases.join(', ')}`);
    let last = '';
    for (const phase of phases) {
      const out = await run([plan, '--target', db().url, '--phase', phase, '--to', suite.to.url]);
      assert.equal(out.code, EXIT.ok, `phase ${phase}:\n${out.stdout}\n${out.stderr}`);
      assert.match(out.stdout, new RegExp(`^phase ${phase} committed · `, 'm'));
      assert.doesNotMatch(out.stdout, /ERROR/, `phase ${phase}: a validation error\n${out.stdout}`);
      last = out.stdout;
    }
    assert.match(last, /0 differences remain/);
    assert.match(last, /tables 27 \/ 27/);
    const journal = await readJournal(join(suite.work, '.pgdrift'));
    assert.deepEqual(journal.entries.map((e) => [e.mode, e.outcome, e.phases.filter((p) => p.outcome === 'committed').map((p) => p.name)]), phases.map((p) => ['run', 'succeeded', [p]]));
    assert.equal(journal.entries[journal.entries.length - 1]?.validation?.remaining, 0);
    // Nothing secret in the journal: the target is named host:port/database.
    assert.doesNotMatch(readFileSync(join(suite.work, '.pgdrift', 'journal.jsonl'), 'utf8'), /postgres(ql)?:\/\//);
    // Run again: the target now has the schema the plan leads to.
    const again = await run([plan, '--target', db().url]);
    assert.equal(again.code, ERROR_EXIT_CODES['fingerprint-mismatch'], again.stderr);
    assert.match(again.stderr, /already/);
  });

  it('a rehearsal of the ERP plan runs every phase, rolls back, and leaves the fingerprint unchanged', async function () {
    this.timeout(120_000);
    const plan = await erpPlan();
    const before = await fingerprint();
    const out = await run([plan, '--target', db().url, '--rehearse']);
    assert.equal(out.code, EXIT.ok, `${out.stdout}\n${out.stderr}`);
    assert.doesNotMatch(out.stderr, /not accepted/, 'a run of the whole plan would not refuse either');
    assert.match(out.stdout, /^rehearsal succeeded: phases \d+ rehearsed · .*\(everything rolled back\)$/m);
    assert.equal(await fingerprint(), before);
    const journal = await readJournal(join(suite.work, '.pgdrift'));
    assert.equal(journal.entries[0]?.mode, 'rehearse');
    assert.equal(journal.entries[0]?.fingerprintAfter, before);
  });

  it('the whole ERP plan in one run: every phase committed, 0 differences remain', async function () {
    this.timeout(120_000);
    const plan = await erpPlan();
    const out = await run([plan, '--target', db().url, '--to', suite.to.url]);
    assert.equal(out.code, EXIT.ok, `${out.stdout}\n${out.stderr}`);
    assert.match(out.stdout, /^run succeeded: phases 7 committed · /m);
    assert.match(out.stdout, /^ {2}0 differences remain$/m);
    assert.doesNotMatch(out.stdout, /ERROR/);
  });

  it('a folder: its files are checked in order, and a hazard is reported at its own file and line', async () => {
    await db().exec("CREATE TABLE t (id int PRIMARY KEY, legacy text); INSERT INTO t VALUES (1, 'kept?'), (2, NULL)");
    const folder = join(suite.work, 'migration');
    mkdirSync(folder);
    writeFileSync(join(folder, '01-expand.sql'), 'CREATE TABLE u (id int);\nALTER TABLE t ADD COLUMN modern text;\n');
    writeFileSync(join(folder, '02-contract.sql'), '-- the old column goes\n\n  ALTER TABLE u ADD COLUMN x int;\n  ALTER TABLE t DROP COLUMN legacy;\n');
    const out = await run([folder, '--target', db().url]);
    assert.equal(out.code, EXIT.unacceptedHazards, out.stderr);
    assert.match(out.stderr, /^ {2}\S*migration\/02-contract\.sql:4:3 DL-02 Dropping "public"\."t"\."legacy" deletes 1 non-null value/m);
    const accepted = await run([folder, '--target', db().url, '--accept', 'DL-02:public.t.legacy']);
    assert.equal(accepted.code, EXIT.ok, accepted.stderr);
    assert.match(accepted.stdout, /^phase 01-expand committed/m);
    assert.match(accepted.stdout, /^phase 02-contract committed/m);
  });

  it('a target changed after planning refuses, with both fingerprints, and runs nothing (FL-17)', async () => {
    const plan = await erpPlan();
    await db().exec('ALTER TABLE "Job" ADD COLUMN sneaky int');
    const before = await fingerprint();
    const out = await run([plan, '--target', db().url]);
    assert.equal(out.code, ERROR_EXIT_CODES['fingerprint-mismatch'], out.stderr);
    assert.match(out.stderr, /refused: .* no longer has the schema .* was written for/);
    assert.match(out.stderr, /written for: sha256:[0-9a-f]+\n {2}target now: {2}sha256:[0-9a-f]+/);
    assert.equal(out.stdout, '');
    assert.equal(await fingerprint(), before);
  });

  it('unaccepted data-loss hazards refuse with file:line:col, code and message; a rehearsal only reports them', async () => {
    const plan = await erpPlan(false);
    const before = await fingerprint();
    const out = await run([plan, '--target', db().url]);
    assert.equal(out.code, EXIT.unacceptedHazards, out.stderr);
    assert.match(out.stderr, new RegExp(`^ {2}${plan.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ DL-02 .*overtimeMode.* 2 non-null values`, 'm'));
    assert.equal(await fingerprint(), before);
    const rehearsal = await run([plan, '--target', db().url, '--rehearse']);
    assert.match(rehearsal.stderr, /note: not accepted \(a run would refuse\): .*DL-02/);
    assert.equal(await fingerprint(), before);
  });

  it('a failing statement in the third phase: exit code, file:line:col, the database as phase two left it', async () => {
    const path = file('three.sql', THREE_PHASES);
    const out = await run([path, '--target', db().url]);
    assert.equal(out.code, ERROR_EXIT_CODES['statement-failed'], out.stderr);
    assert.match(out.stderr, new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:9:12: column "nope" does not exist`));
    assert.match(out.stderr, /note: .*no "-- pgdrift:fingerprint" line/);
    assert.match(out.stdout, /^phase two committed/m);
    assert.match(out.stdout, /^phase three (failed|rolled back)/m);
    assert.deepEqual(await db().query('SELECT id FROM a ORDER BY id'), [{ id: 1 }]);
    assert.deepEqual(await db().query("SELECT attname FROM pg_attribute WHERE attrelid = 'b'::regclass AND attnum > 0 AND NOT attisdropped"), [{ attname: 'id' }]);
  });

  it('Ctrl-C during SELECT pg_sleep(30): exits 130 within 2 s, the phase rolled back', async function () {
    this.timeout(60_000);
    const path = file('slow.sql', '-- pgdrift:phase slow\nCREATE TABLE s (id int);\nSELECT pg_sleep(30);\n');
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'src', 'cli', 'index.ts'), 'run', path, '--target', db().url], { cwd: suite.work, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (/slow\.sql:3 SELECT pg_sleep\(30\)/.test(stdout)) resolve();
      });
      void exited.then(() => reject(new Error(`exited early:\n${stdout}\n${stderr}`)));
    });
    // The statement is on its way to the server; wait until it is running there.
    for (let i = 0; i < 50; i += 1) {
      const rows = await db().query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'");
      if (rows[0]?.n === '1') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const signalled = performance.now();
    child.kill('SIGINT');
    const code = await exited;
    const elapsed = performance.now() - signalled;
    assert.equal(code, ERROR_EXIT_CODES.cancelled, `${stdout}\n${stderr}`);
    assert.ok(elapsed < 2000, `exited ${Math.round(elapsed)} ms after SIGINT`);
    assert.match(stdout, /^phase slow (cancelled|rolled back)/m);
    assert.deepEqual(await db().query("SELECT to_regclass('s') AS t"), [{ t: null }]);
  });

  it('a production profile without the typed database name refuses and changes nothing; with it, runs', async () => {
    profile({ environment: 'production' });
    const path = file('prod.sql', 'CREATE TABLE created_on_production (id int);\n');
    const before = await fingerprint();
    const out = await run([path, '--target', 'profile:p']);
    assert.equal(out.code, ERROR_EXIT_CODES['not-confirmed'], out.stderr);
    assert.match(out.stderr, /^Run on p \(.*\) \(production\):\n {2}phases: prod\n {2}1 statements, 0 destructive, 0 outside a transaction\n/m);
    assert.match(out.stderr, /refused: p is a production profile/);
    const wrong = await run([path, '--target', 'profile:p', '--confirm', 'not-it']);
    assert.equal(wrong.code, ERROR_EXIT_CODES['not-confirmed'], wrong.stderr);
    assert.equal(await fingerprint(), before);
    const confirmed = await run([path, '--target', 'profile:p', '--confirm', db().name]);
    assert.equal(confirmed.code, EXIT.ok, confirmed.stderr);
    assert.deepEqual(await db().query("SELECT to_regclass('created_on_production')::text AS t"), [{ t: 'created_on_production' }]);
    const journal = await readJournal(join(suite.work, '.pgdrift'));
    assert.deepEqual(journal.entries.map((e) => [e.profile, e.environment, e.outcome]), [['p', 'production', 'succeeded']]);
  });

  it('a read-only profile refuses', async () => {
    profile({ readOnly: true });
    const path = file('ro.sql', 'CREATE TABLE never (id int);\n');
    const out = await run([path, '--target', 'profile:p']);
    assert.equal(out.code, ERROR_EXIT_CODES['write-refused'], out.stderr);
    assert.match(out.stderr, /refused: profile "p" is read-only/);
    assert.deepEqual(await db().query("SELECT to_regclass('never') AS t"), [{ t: null }]);
  });
});
