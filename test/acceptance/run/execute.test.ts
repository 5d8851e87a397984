// The executor on real servers: a transaction per phase, non-transactional statements on their
// own, failures located in the file, cancellation, notices, expectations, and rehearsal.
import { strict as assert } from 'node:assert';
import { introspect } from '../../../src/core/introspect';
import { executeMigration } from '../../../src/core/run/execute';
import { migrationOf } from '../../../src/core/run/load';
import { insideTransaction } from '../../../src/core/run/nested';
import { openRunSession, type ClosableRunSession } from '../../../src/core/run/session';
import type { ExecuteOptions, Migration, RunEvent } from '../../../src/core/run/types';
import { inspectDatabase } from '../../support/fixtures';
import { describeEachServer } from '../../support/servers';

async function migration(text: string, path = 'm.sql'): Promise<Migration> {
  return migrationOf(path, [{ path, text, sha256: 'sha256:0' }]);
}

const THREE_PHASES = `SET check_function_bodies = off;
-- pgdrift:phase one
CREATE TABLE a (id int PRIMARY KEY);
INSERT INTO a VALUES (1), (2);
-- pgdrift:phase two
ALTER TABLE a ADD COLUMN note text;
-- pgdrift:expect SELECT count(*) FROM a = 2
-- pgdrift:phase three
CREATE TABLE b (id int);
INSERT INTO b
  SELECT missing_column FROM a;
`;

describeEachServer('runner: executor', ({ db }) => describe('on one session', () => {
  let session: ClosableRunSession;
  let events: RunEvent[];
  beforeEach(async () => {
    session = await openRunSession(db().target);
    events = [];
  });
  afterEach(async () => {
    await session.close();
  });
  const options = (o: Partial<ExecuteOptions> = {}): ExecuteOptions => ({ mode: 'run', lockTimeoutMs: 5000, statementTimeoutMs: 0, onEvent: (e) => events.push(e), ...o });
  const tables = async () => (await db().query<{ t: string }>("SELECT relname AS t FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 1")).map((r) => r.t);

  it('commits each phase, and a failure in the third leaves the database as the second left it, located by the server', async () => {
    const result = await executeMigration(await migration(THREE_PHASES), session, options());
    assert.equal(result.outcome, 'failed');
    assert.deepEqual(result.phases.map((p) => p.outcome), ['committed', 'committed', 'rolled back']);
    assert.deepEqual(await tables(), ['a']);
    assert.deepEqual((await db().query<{ n: string }>('SELECT count(*) AS n FROM a'))[0]?.n, '2');
    assert.equal((await db().query("SELECT 1 FROM pg_attribute WHERE attrelid = 'a'::regclass AND attname = 'note'")).length, 1);
    const f = result.failure;
    assert.ok(f);
    assert.equal(f.sqlstate, '42703');
    assert.equal(f.message, 'column "missing_column" does not exist');
    // The server's error position (line 11, column 10), not the statement's start (line 10).
    assert.deepEqual([f.file, f.line, f.column, f.phase], ['m.sql', 11, 10, 'three']);
    const expect = events.find((e) => e.type === 'expect-end');
    assert.ok(expect && expect.type === 'expect-end' && expect.ok && expect.actual === 2);
    const insert = events.find((e) => e.type === 'statement-end' && e.statement.sql.startsWith('INSERT INTO a'));
    assert.ok(insert && insert.type === 'statement-end' && insert.rowCount === 2 && insert.command === 'INSERT');
  });

  it('runs only the phases asked for, with the session settings before the first marker', async () => {
    const text = `SET check_function_bodies = off;
-- pgdrift:phase routines
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT count(*)::int FROM not_yet';
-- pgdrift:phase other
CREATE TABLE other (id int);`;
    const result = await executeMigration(await migration(text), session, options({ phases: ['routines'] }));
    assert.equal(result.outcome, 'succeeded', result.failure?.message);
    assert.deepEqual(result.phases.map((p) => p.outcome), ['committed', 'skipped']);
    assert.deepEqual(await tables(), []);
    await assert.rejects(executeMigration(await migration(text), session, options({ phases: ['nope'] })), /has no phase "nope" \(its phases: routines, other\)/);
  });

  it('runs CREATE INDEX CONCURRENTLY on its own, between the stretches of its phase', async () => {
    const text = `-- pgdrift:phase expand
CREATE TABLE t (id int);
CREATE INDEX CONCURRENTLY t_id ON t (id);
ALTER TABLE t ADD COLUMN x int;`;
    const m = await migration(text);
    assert.deepEqual(m.phases[0]?.steps.map((s) => s.kind === 'statement' && s.transactional), [true, false, true]);
    const result = await executeMigration(m, session, options());
    assert.equal(result.outcome, 'succeeded', result.failure?.message);
    assert.equal((await db().query("SELECT 1 FROM pg_indexes WHERE indexname = 't_id'")).length, 1);
  });

  it('streams NOTICEs with the statement that raised them', async () => {
    await executeMigration(await migration("DO $$ BEGIN RAISE NOTICE 'hello %', 42; END $$;\nDROP TABLE IF EXISTS nothing_here;"), session, options());
    const notices = events.flatMap((e) => (e.type === 'notice' ? [`${e.notice.severity}: ${e.notice.message} @${e.step?.line}`] : []));
    assert.deepEqual(notices, ['NOTICE: hello 42 @1', 'NOTICE: table "nothing_here" does not exist, skipping @2']);
  });

  it('stops at an expectation that does not hold, and rolls its phase back', async () => {
    const text = `CREATE TABLE e (id int);
-- pgdrift:expect SELECT count(*) FROM e >= 1`;
    const result = await executeMigration(await migration(text), session, options());
    assert.equal(result.outcome, 'failed');
    assert.equal(result.failure?.kind, 'expect');
    assert.equal(result.failure?.line, 2);
    assert.match(result.failure?.message ?? '', />= 1 expected, the query gave 0/);
    assert.deepEqual(await tables(), []);
  });

  it('gives up on a lock after lock_timeout instead of queueing behind it', async () => {
    await db().exec('CREATE TABLE locked (id int)');
    const holder = await openRunSession(db().target);
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE locked IN ACCESS EXCLUSIVE MODE');
      const result = await executeMigration(await migration('ALTER TABLE locked ADD COLUMN x int;'), session, options({ lockTimeoutMs: 200 }));
      assert.equal(result.failure?.sqlstate, '55P03');
    } finally {
      await holder.close();
    }
  });

  it('cancels a running statement within 2 s and rolls its phase back', async function () {
    this.timeout(40_000);
    const text = `-- pgdrift:phase slow
CREATE TABLE before_sleep (id int);
SELECT pg_sleep(30);`;
    const controller = new AbortController();
    const running = executeMigration(await migration(text), session, options({
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'step-start' && e.step.kind === 'statement' && e.step.sql.includes('pg_sleep')) setTimeout(() => controller.abort(), 300);
      },
    }));
    const slept = await new Promise<number>((resolve) => {
      const t = setInterval(() => {
        if (controller.signal.aborted) {
          clearInterval(t);
          resolve(performance.now());
        }
      }, 5);
    });
    const result = await running;
    const took = performance.now() - slept;
    assert.ok(took < 2000, `returned ${Math.round(took)} ms after the cancel`);
    assert.equal(result.outcome, 'cancelled');
    assert.equal(result.failure?.sqlstate, '57014');
    assert.deepEqual(result.phases.map((p) => p.outcome), ['cancelled']);
    assert.deepEqual(await tables(), []);
  });

  it('rehearses every phase in one transaction: the fingerprint is the same after, and validation sees the rehearsed schema', async () => {
    await db().exec('CREATE TABLE kept (id int PRIMARY KEY); INSERT INTO kept VALUES (1);');
    const before = (await inspectDatabase(db())).fingerprint;
    const text = `-- pgdrift:phase expand
CREATE TABLE added (id int);
CREATE INDEX CONCURRENTLY added_id ON added (id);
-- pgdrift:phase contract
DROP TABLE kept;`;
    const seen: string[][] = [];
    const result = await executeMigration(await migration(text), session, options({
      mode: 'rehearse',
      afterPhase: async (_phase, q) => {
        const inspection = await introspect({ db: insideTransaction(q), where: 'rehearsal', database: db().name });
        seen.push(inspection.model.tables.map((t) => t.name).sort());
        // The rehearsal's own search path survives the catalog read.
        assert.equal((await q.query<{ p: string }>('SHOW search_path')).rows[0]?.p, '"$user", public');
      },
    }));
    assert.equal(result.outcome, 'succeeded', result.failure?.message);
    assert.deepEqual(result.phases.map((p) => p.outcome), ['rehearsed', 'rehearsed']);
    assert.deepEqual(result.notRehearsed.map((s) => s.line), [3]);
    assert.deepEqual(seen, [['added', 'kept'], ['added']]);
    assert.equal((await inspectDatabase(db())).fingerprint, before);
  });
}));
