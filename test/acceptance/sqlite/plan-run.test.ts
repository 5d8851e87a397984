// A SQLite production application moved into PostgreSQL with `pgdrift plan --to sqlite:…` and
// `pgdrift run`: users, machines, shifts and 2,000 production orders, DATETIME values written as
// South African wall-clock time, booleans as 0/1, and one text value in an INTEGER column. The
// value is reported with its row id by the plan and refused by the run before anything is
// written; once fixed in the SQLite file, the run copies every row in foreign-key order, restarts
// the identities past the copied ids (past SQLite's AUTOINCREMENT high-water mark too), checks
// counts and time ranges, and a new plan has nothing left to do.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { EXIT } from '../../../src/cli/exitCodes';
import { executeMigration } from '../../../src/core/run/execute';
import { loadMigration } from '../../../src/core/run/load';
import { openRunSession } from '../../../src/core/run/session';
import type { RunEvent } from '../../../src/core/run/types';
import { openSqliteBytes } from '../../../src/core/sqlite';
import { cli } from '../../support/cli';
import { describeEachServer } from '../../support/servers';
import { buildAppDatabase } from '../../support/sqliteApp';

const ZONE = 'Africa/Johannesburg';
const ORDERS = 2_000;

/** The test application with one misfit left: 'n/a' in machines.capacity_per_hour (rowid 2). */
async function productionApp(): Promise<Database> {
  const db = await buildAppDatabase();
  db.exec(`
    UPDATE users SET email = 'long-address@example.co.za' WHERE id = 3;
    UPDATE machines SET retired = 1 WHERE id = 3;
    UPDATE shifts SET ended_at = '2024-03-07 06:00:00' WHERE id = 3;
    -- AUTOINCREMENT never hands out an id twice: user 4 is gone, but the next user is 5.
    INSERT INTO users (id, email, active, created_at) VALUES (4, 'left@example.co.za', 0, '2024-04-01 12:00:00');
    DELETE FROM users WHERE id = 4;
    DELETE FROM production_orders;`);
  db.exec('BEGIN');
  const insert = db.prepare(`INSERT INTO production_orders (order_no, machine_id, quantity, status, weight, due_at, notes, batch_code)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  for (let i = 1; i <= ORDERS; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const hour = String(i % 24).padStart(2, '0');
    insert.run([`PO-${1000 + i}`, 1 + (i % 3), 1 + (i % 500), i % 5 === 0 ? 'done' : 'open', i % 7 === 0 ? null : i / 4, `2024-05-${day} ${hour}:30:00`, i % 11 === 0 ? 'tab\there, "quoted", back\\slash' : null, 'B']);
  }
  insert.free();
  db.exec('COMMIT');
  return db;
}

describeEachServer('SQLite → PostgreSQL: plan and run', ({ db }) => {
  let work: string;
  let file: string;
  let sqlite: Database;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'pgdrift-sqlite-'));
    file = join(work, 'app.db');
    sqlite = await productionApp();
    writeFileSync(file, sqlite.export());
  });
  after(() => {
    sqlite.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('reports the text value in an INTEGER column by row id, in the plan and before the run writes anything', async function () {
    this.timeout(120_000);
    const path = join(work, 'blocked.sql');
    const plan = await cli(['plan', '--from', db().url, '--to', `sqlite:${file}`, '--sqlite-time-zone', ZONE, '-o', path]);
    assert.equal(plan.code, EXIT.unacceptedHazards, plan.stderr);
    assert.match(plan.stderr, /^misfit: machines\.capacity_per_hour row 2: text "n\/a" is not an integer \(bigint\)$/m);
    assert.equal([...plan.stderr.matchAll(/^misfit:/gm)].length, 1, plan.stderr);
    // What the translation leaves out is said too.
    assert.match(plan.stderr, /^sqlite: view open_orders: /m);
    const run = await cli(['run', path, '--target', db().url], {}, { cwd: work });
    assert.equal(run.code, EXIT.unacceptedHazards, run.stderr);
    assert.match(run.stderr, /refused: 1 SQLite value would not fit its PostgreSQL column/);
    assert.match(run.stderr, /app\.db: machines\.capacity_per_hour row 2: text "n\/a" is not an integer/);
    const tables = await db().query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
    assert.equal(tables[0]?.n, 0, 'the refused run created nothing');
    // pgdrift check reads the file as the run does: the value blocks there too.
    const check = await cli(['check', path, '--target', db().url]);
    assert.equal(check.code, EXIT.unacceptedHazards, `${check.stdout}\n${check.stderr}`);
    assert.match(check.stderr, /^misfit: .*app\.db: machines\.capacity_per_hour row 2: text "n\/a" is not an integer \(bigint\)$/m);
  });

  it('copies every row in foreign-key order, re-zoned, with identities continuing; a new plan finds nothing to do', async function () {
    this.timeout(300_000);
    sqlite.exec("UPDATE machines SET capacity_per_hour = NULL WHERE capacity_per_hour = 'n/a'");
    writeFileSync(file, sqlite.export());
    const path = join(work, 'app.sql');
    const plan = await cli(['plan', '--from', db().url, '--to', `sqlite:${file}`, '--sqlite-time-zone', ZONE, '-o', path]);
    assert.equal(plan.code, EXIT.differences, plan.stderr);
    assert.match(plan.stderr, new RegExp(`the plan copies ${(3 + 3 + 3 + ORDERS).toLocaleString('en-US')} rows into 4 tables`));
    const script = readFileSync(path, 'utf8');
    const copies = [...script.matchAll(/^-- pgdrift:copy-from sqlite:"(.*)" table "(\w+)" zone (\S+)(?: checked \S+)?\nCOPY "public"\."(\w+)"/gm)];
    assert.deepEqual(copies.map((m) => [m[1], m[3]]).sort(), Array.from({ length: 4 }, () => [file, ZONE]));
    const copied = copies.map((m) => m[2]);
    // Parents first: the machines before the orders and shifts that refer to them. (Shifts refer to
    // users by an INITIALLY DEFERRED key, checked at the phase's commit, which orders nothing.)
    assert.deepEqual([...copied].sort(), ['machines', 'production_orders', 'shifts', 'users']);
    assert.ok(copied.indexOf('machines') < copied.indexOf('production_orders') && copied.indexOf('machines') < copied.indexOf('shifts'), copied.join(', '));
    assert.match(script, /^SELECT setval\(pg_get_serial_sequence\('"public"\."users"', 'id'\), 4\);$/m);
    assert.match(script, /^-- pgdrift:expect SELECT count\(\*\) FROM "public"\."production_orders" = 2000$/m);
    assert.match(script, /^-- pgdrift:expect SELECT \(min\("started_at"\) = '2024-03-05 04:00:00\+00'::timestamptz AND max\("started_at"\) = '2024-03-06 20:00:00\+00'::timestamptz\)::int FROM "public"\."shifts" = 1$/m);

    // Planned clean: each copy-from line carries the file's hash, and the run does not probe the
    // same bytes again; a file changed after planning is probed, and its new misfit refused.
    assert.equal([...script.matchAll(/^-- pgdrift:copy-from .* checked sha256:[0-9a-f]{64}$/gm)].length, 4);
    const planned = sqlite.export();
    sqlite.exec("UPDATE machines SET capacity_per_hour = 'lots' WHERE id = 3");
    writeFileSync(file, sqlite.export());
    const changed = await cli(['run', path, '--target', db().url], {}, { cwd: work });
    assert.equal(changed.code, EXIT.unacceptedHazards, changed.stderr);
    assert.match(changed.stderr, /app\.db: machines\.capacity_per_hour row 3: text "lots" is not an integer \(bigint\)/);
    sqlite.exec('UPDATE machines SET capacity_per_hour = 60 WHERE id = 3');
    writeFileSync(file, planned);

    // A table left out of the plan gets no COPY, and stderr says so.
    const without = await cli(['plan', '--from', db().url, '--to', `sqlite:${file}`, '--sqlite-time-zone', ZONE, '--exclude', 'public.shifts']);
    assert.equal(without.code, EXIT.differences, without.stderr);
    assert.match(without.stderr, /^sqlite: public\.shifts is not copied \(3 rows\): the plan leaves out the creation of public\.shifts$/m);
    assert.doesNotMatch(without.stdout, /"shifts"/);
    assert.match(without.stdout, /^COPY "public"\."users"/m);

    const run = await cli(['run', path, '--target', db().url, '--to', `sqlite:${file}`], {}, { cwd: work });
    assert.equal(run.code, EXIT.ok, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /^ {4}2000 rows · /m);
    assert.doesNotMatch(script, /COMMENT ON SCHEMA/);
    assert.match(run.stdout, /^ {2}0 differences remain$/m);

    const counts = await db().query<{ t: string; n: number }>(`SELECT 'users' AS t, count(*)::int AS n FROM users UNION ALL SELECT 'machines', count(*) FROM machines
      UNION ALL SELECT 'shifts', count(*) FROM shifts UNION ALL SELECT 'production_orders', count(*) FROM production_orders ORDER BY 1`);
    const inSqlite = (t: string) => Number(sqlite.exec(`SELECT count(*) FROM ${t}`)[0]?.values[0]?.[0]);
    assert.deepEqual(counts.map((r) => [r.t, Number(r.n)]), counts.map((r) => [r.t, inSqlite(r.t)]));
    // SAST is UTC+2 all year: 06:00 local is 04:00 UTC.
    const shifts = await db().query<{ id: string; s: string; e: string | null }>(
      `SELECT id, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS s, to_char(ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS e FROM shifts ORDER BY id`);
    assert.deepEqual(shifts.map((r) => [r.id, r.s, r.e]), [['1', '2024-03-05 04:00:00', '2024-03-05 12:00:00'], ['2', '2024-03-05 12:00:00', null], ['3', '2024-03-06 20:00:00', '2024-03-07 04:00:00']]);
    const users = await db().query<{ id: string; active: boolean }>('SELECT id, active FROM users ORDER BY id');
    assert.deepEqual(users.map((r) => [r.id, r.active]), [['1', true], ['2', false], ['3', true]]);
    const machines = await db().query<{ retired: boolean }>('SELECT retired FROM machines ORDER BY id');
    assert.deepEqual(machines.map((r) => r.retired), [false, true, true]);
    const odd = await db().query<{ notes: string }>('SELECT notes FROM production_orders WHERE notes IS NOT NULL LIMIT 1');
    assert.equal(odd[0]?.notes, 'tab\there, "quoted", back\\slash');
    const [user] = await db().query<{ id: string }>("INSERT INTO users (email) VALUES ('new@example.co.za') RETURNING id");
    const [order] = await db().query<{ id: string }>("INSERT INTO production_orders (order_no, machine_id, quantity) VALUES ('PO-NEW', 1, 1) RETURNING id");
    const [machine] = await db().query<{ id: string }>("INSERT INTO machines (code) VALUES ('NEW-4') RETURNING id");
    // The orders' AUTOINCREMENT high-water mark is 2,002 (the two original orders were deleted).
    assert.deepEqual([user?.id, order?.id, machine?.id], ['5', String(ORDERS + 3), '4']);

    const again = await cli(['plan', '--from', db().url, '--to', `sqlite:${file}`, '--sqlite-time-zone', ZONE]);
    assert.equal(again.code, EXIT.ok, again.stderr);
    assert.doesNotMatch(again.stdout, /COPY|setval|pgdrift:expect/);
  });

  it('rehearses a long copy and rolls it back; a cancelled copy rolls its phase back', async function () {
    this.timeout(300_000);
    const big = await openSqliteBytes(new Uint8Array());
    const rows = 250_000;
    big.exec('CREATE TABLE readings (id INTEGER PRIMARY KEY, at DATETIME NOT NULL, value REAL); BEGIN');
    const insert = big.prepare('INSERT INTO readings (at, value) VALUES (?, ?)');
    for (let i = 0; i < rows; i++) insert.run([`2024-01-01 ${String(i % 24).padStart(2, '0')}:00:00`, i / 3]);
    insert.free();
    big.exec('COMMIT');
    const bigFile = join(work, 'big.db');
    writeFileSync(bigFile, big.export());
    big.close();
    const path = join(work, 'big.sql');
    const plan = await cli(['plan', '--from', db().url, '--to', `sqlite:${bigFile}`, '-o', path]);
    assert.equal(plan.code, EXIT.differences, plan.stderr);

    const rehearsal = await cli(['run', path, '--target', db().url, '--rehearse'], {}, { cwd: work });
    assert.equal(rehearsal.code, EXIT.ok, `${rehearsal.stdout}\n${rehearsal.stderr}`);
    assert.match(rehearsal.stdout, /^ {4}1\d\d,\d{3} rows read$/m);
    assert.match(rehearsal.stdout, /^ {4}250000 rows · /m);
    const tables = async () => (await db().query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'"))[0]?.n;
    assert.equal(await tables(), 0, 'the rehearsal was rolled back');

    const session = await openRunSession(db().target);
    const controller = new AbortController();
    const events: RunEvent[] = [];
    try {
      const result = await executeMigration(await loadMigration(path), session, {
        mode: 'run', lockTimeoutMs: 5000, statementTimeoutMs: 0, signal: controller.signal,
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'copy-progress') controller.abort();
        },
      });
      assert.equal(result.outcome, 'cancelled', JSON.stringify(result.failure));
      assert.deepEqual(result.phases.map((p) => [p.name, p.outcome]), [['expand', 'committed'], ['migrate-data', 'cancelled'], ['validate', 'skipped']]);
    } finally {
      await session.close();
    }
    assert.ok(events.some((e) => e.type === 'copy-progress' && e.rows >= 100_000));
    const left = await db().query<{ n: string }>('SELECT count(*) AS n FROM readings');
    assert.equal(left[0]?.n, '0', 'the cancelled copy left no row');
  });
});
