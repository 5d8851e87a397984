// The SQLite copy's pieces that need no server: the copy-from directive written and read back,
// the loader's rules for COPY … FROM STDIN, the survey's time ranges (instants, not text), and the
// copy plan's order, skips and identity restarts.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_EXIT_CODES } from '../../src/cli/exitCodes';
import { parseCopyDirective, renderCopyDirective } from '../../src/core/plan/copyDirective';
import { cli } from '../support/cli';
import { renderStatement } from '../../src/core/plan/render';
import { CopySources } from '../../src/core/run/copySource';
import { migrationOf } from '../../src/core/run/load';
import type { RunStatement } from '../../src/core/run/types';
import { openSqliteBytes, readSqliteSchema, surveySqlite, translateSqlite } from '../../src/core/sqlite';
import { planSqliteCopy, withCopy } from '../../src/core/sqlite/copyPlan';
import { planMigration } from '../../src/core/plan';
import type { SchemaModel } from '../../src/core/model/types';

describe('SQLite copy: directive, loader, survey and plan', () => {
  it('writes and reads the copy-from directive, quotes and spaces included', () => {
    const source = { kind: 'sqlite' as const, path: '/data/my "app" files/app.db', table: 'order lines', zone: 'Africa/Johannesburg' };
    const line = renderCopyDirective(source);
    assert.equal(line, '-- pgdrift:copy-from sqlite:"/data/my \\"app\\" files/app.db" table "order lines" zone Africa/Johannesburg');
    assert.deepEqual(parseCopyDirective(line), source);
    const checked = { ...source, checked: `sha256:${'ab'.repeat(32)}` };
    assert.deepEqual(parseCopyDirective(renderCopyDirective(checked)), checked);
    assert.equal(parseCopyDirective('-- pgdrift:expect SELECT 1 = 1'), undefined);
    assert.ok(parseCopyDirective('-- pgdrift:copy-from app.db users') instanceof Error);
  });

  it('feeds a COPY FROM STDIN from the line before it, the path read from the file\'s folder; refuses a COPY without one and a line before anything else', async () => {
    const m = await migrationOf('/work/plans/move.sql', [{ path: '/work/plans/move.sql', sha256: 'sha256:1', text: `-- pgdrift:phase migrate-data
-- pgdrift:copy-from sqlite:"../app.db" table "users" zone UTC
COPY "public"."users" ("id", "email") FROM STDIN;
` }]);
    const [copy] = (m.phases[0]?.steps ?? []) as RunStatement[];
    assert.deepEqual(copy?.copy, { kind: 'sqlite', path: '/work/app.db', table: 'users', zone: 'UTC' });
    await assert.rejects(migrationOf('a.sql', [{ path: 'a.sql', sha256: 'sha256:1', text: 'COPY t (a) FROM STDIN;\n' }]), /a\.sql:1:1: COPY … FROM STDIN needs its rows/);
    await assert.rejects(migrationOf('a.sql', [{ path: 'a.sql', sha256: 'sha256:1', text: '-- pgdrift:copy-from sqlite:"x.db" table "t" zone UTC\nSELECT 1;\n' }]),
      /a\.sql:1: a pgdrift:copy-from line must stand right before a COPY … FROM STDIN statement/);
    // COPY FROM a server file is the server's business, not the runner's.
    const server = await migrationOf('b.sql', [{ path: 'b.sql', sha256: 'sha256:1', text: "COPY t (a) FROM '/tmp/t.csv';\n" }]);
    assert.equal((server.phases[0]?.steps[0] as RunStatement).copy, undefined);
  });

  it('surveys counts, misfits and time ranges by instant, whatever offset each value was written with', async () => {
    const db = await openSqliteBytes(new Uint8Array());
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, born DATE);
      CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id), at DATETIME, n INTEGER);
      INSERT INTO parent (id, born) VALUES (1, '2020-01-02'), (7, '1999-12-31');
      INSERT INTO child VALUES (1, 1, '2024-03-05 08:00:00', 1), (2, 1, '2024-03-05 07:30:00Z', 'x'), (3, 7, '2024-03-05 09:00:00+03:00', 3),
        (4, 7, '2024-03-05 07:30:00.25Z', 4), (5, 7, '2024-03-05 08:00:00.5', 5);`);
    const translation = translateSqlite(readSqliteSchema(db), { timeZone: 'Africa/Johannesburg' });
    const survey = surveySqlite(db, translation);
    db.close();
    // 08:00 SAST is 06:00Z, 09:00+03 is 06:00Z too, 07:30:00.25Z is the latest: text order would
    // say otherwise; a whole second comes before the same second with a fraction.
    assert.deepEqual(survey.tables.map((t) => [t.table, t.rows, t.times.map((r) => [r.column, r.min, r.max])]), [
      ['child', 5, [['at', '2024-03-05 06:00:00+00', '2024-03-05 07:30:00.25+00']]],
      ['parent', 2, [['born', '1999-12-31', '2020-01-02']]],
    ]);
    assert.deepEqual(survey.misfits.map((m) => [m.table, m.column, m.row]), [['child', 'n', '2']]);

    const plan = planSqliteCopy({
      path: '/data/app.db', translation, tables: survey.tables, nextIdentity: new Map([['parent', 8n], ['child', 4n]]),
      filled: new Set(),
    }, translation.model);
    assert.deepEqual(plan.copies.map((s) => s.sql), [
      'COPY "public"."parent" ("id", "born") FROM STDIN',
      'COPY "public"."child" ("id", "parent_id", "at", "n") FROM STDIN',
    ]);
    assert.deepEqual(plan.restarts.map((s) => s.sql), [
      `SELECT setval(pg_get_serial_sequence('"public"."parent"', 'id'), 7)`,
      `SELECT setval(pg_get_serial_sequence('"public"."child"', 'id'), 3)`,
    ]);
    // In the plan: the keys and foreign keys of the copied tables move after the copies.
    const placed = withCopy(planMigration(emptyModel(), translation.model), plan, translation.model);
    const order = placed.statements.map((s) => `${s.phase} ${s.sql}`).filter((l) => !l.startsWith('validate'));
    const expected = [
      'expand CREATE TABLE "public"."child" (',
      'expand CREATE TABLE "public"."parent" (',
      'migrate-data COPY "public"."parent" ("id", "born") FROM STDIN',
      'migrate-data COPY "public"."child" ("id", "parent_id", "at", "n") FROM STDIN',
      'migrate-data ALTER TABLE "public"."child" ADD CONSTRAINT "child_pkey" PRIMARY KEY',
      'migrate-data ALTER TABLE "public"."parent" ADD CONSTRAINT "parent_pkey" PRIMARY KEY',
      'migrate-data ALTER TABLE "public"."child" ADD CONSTRAINT "child_parent_id_fkey" FOREIGN KEY',
      `migrate-data SELECT setval(pg_get_serial_sequence('"public"."parent"', 'id'), 7)`,
      `migrate-data SELECT setval(pg_get_serial_sequence('"public"."child"', 'id'), 3)`,
    ];
    assert.equal(order.length, expected.length, order.join('\n'));
    expected.forEach((line, i) => assert.ok(order[i]?.startsWith(line), `${i}: ${order[i] ?? ''} does not start with ${line}`));
    assert.deepEqual(plan.copies[0]?.copy, { kind: 'sqlite', path: '/data/app.db', table: 'parent', zone: 'Africa/Johannesburg' });
    assert.ok(plan.checks.every((s) => s.phase === 'validate' && s.expect?.op === '='));
    assert.ok(plan.checks.some((s) => s.sql === 'SELECT count(*) FROM "public"."child"' && s.expect?.value === 5));

    // A table the target already holds rows in is left alone.
    const again = planSqliteCopy({ path: '/data/app.db', translation, tables: survey.tables, nextIdentity: new Map(), filled: new Set(['table:"public"."parent"']) }, translation.model);
    assert.deepEqual(again.skipped, ['table:"public"."parent"']);
    assert.deepEqual(again.copies.map((s) => s.object), ['table:"public"."child"']);
  });

  it('refuses a SQLite side it cannot use before connecting anywhere, saying what to do', async () => {
    const work = mkdtempSync(join(tmpdir(), 'pgdrift-sqlite-bad-'));
    try {
      const db = await openSqliteBytes(new Uint8Array());
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
      const file = join(work, 'app.db');
      writeFileSync(file, db.export());
      db.close();
      // Nothing listens on port 1: any of these that tried to connect would fail differently.
      const url = 'postgres://me:secret@127.0.0.1:1/db';
      const cases: [string[], number, RegExp][] = [
        [['--from', `sqlite:${file}`, '--to', url], ERROR_EXIT_CODES.usage, /--from is the database to change, and a SQLite file is only read: give it as the desired state, --to sqlite:/],
        [['--from', url, '--to', `sqlite:${join(work, 'missing.db')}`], ERROR_EXIT_CODES.usage, /--to: .*missing\.db: no such SQLite file/],
        [['--from', url, '--to', `sqlite:${file}`, '--sqlite-time-zone', 'Mars/Olympus'], ERROR_EXIT_CODES.usage, /unknown time zone "Mars\/Olympus"/],
        [['--from', url, '--to', `sqlite:${file}`, '--data', 'public.t'], ERROR_EXIT_CODES.usage, /--data with --to sqlite:.*leave --data out/],
        [['--from', url, '--to', 'sqlite:'], ERROR_EXIT_CODES.usage, /sqlite: needs the path of a SQLite file/],
      ];
      for (const [args, code, message] of cases) {
        const out = await cli(['plan', ...args]);
        assert.equal(out.code, code, `${args.join(' ')}: ${out.stderr}`);
        assert.match(out.stderr, message);
        assert.doesNotMatch(out.stderr, /secret/);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('keeps a wide table\'s COPY on one line in the plan, and feeds a COPY whose column list was laid out over several lines', async () => {
    const columns = Array.from({ length: 30 }, (_, i) => `c${i}`);
    const db = await openSqliteBytes(new Uint8Array());
    db.exec(`CREATE TABLE wide (id INTEGER PRIMARY KEY, ${columns.map((c) => `${c} TEXT`).join(', ')}); INSERT INTO wide (id, c0) VALUES (1, 'x'), (2, NULL)`);
    const work = mkdtempSync(join(tmpdir(), 'pgdrift-sqlite-wide-'));
    try {
      const file = join(work, 'wide.db');
      writeFileSync(file, db.export());
      const translation = translateSqlite(readSqliteSchema(db), {});
      const copy = planSqliteCopy({ path: file, translation, tables: surveySqlite(db, translation).tables, nextIdentity: new Map(), filled: new Set() }, translation.model);
      const [statement] = copy.copies;
      assert.ok(statement && statement.sql.length > 160);
      const rendered = renderStatement({ ...statement, change: statement.object });
      assert.equal(rendered, `${statement.sql};`);
      const laidOut = statement.sql.replace('(', '(\n  ').replace(/, /g, ',\n  ').replace(') FROM', '\n) FROM');
      const sources = new CopySources();
      const chunks: string[] = [];
      try {
        for await (const chunk of sources.chunks({ kind: 'sqlite', path: file, table: 'wide', zone: 'UTC' }, laidOut, () => undefined, () => false)) chunks.push(chunk);
      } finally {
        sources.close();
      }
      assert.equal(chunks.join(''), `1\tx${'\t\\N'.repeat(29)}\n2${'\t\\N'.repeat(30)}\n`);
    } finally {
      db.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

function emptyModel(): SchemaModel {
  return {
    schemas: [{ id: 'schema:"public"', name: 'public', owner: 'postgres' }], extensions: [], enums: [], domains: [], composites: [], sequences: [],
    tables: [], constraints: [], indexes: [], views: [], routines: [], triggers: [], policies: [], dependencies: [],
  };
}
