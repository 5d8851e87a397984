import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_EXIT_CODES, EXIT } from '../../src/cli/exitCodes';
import { checkOnTarget, prepareFile } from '../../src/core/check';
import type { CheckJson } from '../../src/core/check/render';
import { connectPg } from '../../src/core/db/pgConnection';
import { introspect, introspectTargetOf } from '../../src/core/introspect';
import { describeEachServer, type TestDatabase } from '../support/servers';
import { cli } from '../support/cli';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'pgdrift-check-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a migration file into the test folder; returns its path. */
function migration(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const TARGET = `
CREATE TABLE "OvertimeSettings" (id int PRIMARY KEY, "overtimeMode" text, note text);
INSERT INTO "OvertimeSettings" VALUES (1, 'daily', NULL), (2, 'weekly', NULL), (3, NULL, NULL);
CREATE TABLE parent (id int PRIMARY KEY);
INSERT INTO parent VALUES (1), (2);
CREATE TABLE child (id int PRIMARY KEY, parent_id int, email text, code text, qty int);
INSERT INTO child VALUES (1, 1, 'a@x', 'x', 5), (2, 7, 'a@x', 'y', -1), (3, NULL, 'b@x', 'default', 2), (4, 9, NULL, '1f0c', NULL);
CREATE TABLE legacy (id int);
INSERT INTO legacy SELECT generate_series(1, 3);
CREATE INDEX child_code_idx ON child (code);
CREATE SCHEMA app;
CREATE TABLE app.account (id int PRIMARY KEY, secret text);
INSERT INTO app.account VALUES (1, 's3cret');
`;

const DROP_MODE = `-- pgdrift: hand-written
ALTER TABLE "OvertimeSettings" DROP COLUMN "overtimeMode";
`;

describeEachServer('pgdrift check', ({ db }) => {
  const target = (): TestDatabase => db();
  beforeEach(async () => {
    await target().exec(TARGET);
  });

  it('a dropped column that holds values: exit 3, the line, the measured message', async () => {
    const file = migration('drop.sql', DROP_MODE);
    const out = await cli(['check', file, '--target', target().url]);
    assert.equal(out.code, EXIT.unacceptedHazards, out.stderr);
    assert.equal(out.stdout, `${file}:2:1 data-loss DL-02 Dropping "public"."OvertimeSettings"."overtimeMode" deletes 2 non-null values (e.g. 'daily', 'weekly').\n`
      + '1 hazard, 1 blocking\n');
    assert.equal(out.stderr, '');
  });

  it('accepted in the file: exit 0, marked accepted', async () => {
    const file = migration('accepted.sql', `-- pgdrift:accept DL-02 public.OvertimeSettings.overtimeMode\n-- pgdrift:phase contract\n${DROP_MODE}`);
    const out = await cli(['check', file, '--target', target().url]);
    assert.equal(out.code, EXIT.ok, out.stderr);
    assert.match(out.stdout, /^.*:4:1 data-loss DL-02 .* deletes 2 non-null values .*\(accepted\)\n1 hazard, 0 blocking\n$/);
  });

  it('accepted with --accept: exit 0; an accept that names nothing is reported on stderr', async () => {
    const file = migration('drop2.sql', DROP_MODE);
    const out = await cli(['check', file, '--target', target().url, '--accept', 'DL-02:public.OvertimeSettings.overtimeMode', '--accept', 'DL-01:public.nothing']);
    assert.equal(out.code, EXIT.ok, out.stderr);
    assert.match(out.stdout, /\(accepted\)\n1 hazard, 0 blocking\n$/);
    assert.equal(out.stderr, `pgdrift: --accept: accept DL-01 public.nothing names no hazard of ${file}\n`);
  });

  it('a directive inside a string or function body is SQL, not a directive', async () => {
    const file = migration('string.sql', `SELECT '\n-- pgdrift:accept DL-02 public.OvertimeSettings.overtimeMode\n';\n${DROP_MODE}`);
    const out = await cli(['check', file, '--target', target().url]);
    assert.equal(out.code, EXIT.unacceptedHazards, out.stdout);
  });

  it('a column holding only NULLs, an empty result and a new table: nothing blocks', async () => {
    const file = migration('harmless.sql', [
      'ALTER TABLE "OvertimeSettings" DROP COLUMN note;',
      'CREATE TABLE fresh (id int);',
      'ALTER TABLE fresh ADD COLUMN x int NOT NULL;',
      'CREATE INDEX fresh_x ON fresh (x);',
      'ALTER TABLE fresh ALTER COLUMN x TYPE uuid USING NULL;',
      'ALTER TABLE fresh DROP COLUMN x;',
      'DROP TABLE fresh;',
    ].join('\n'));
    const out = await cli(['check', file, '--target', target().url]);
    assert.equal(out.code, EXIT.ok, out.stdout);
    assert.equal(out.stdout, `${file}:1:1 data-loss DL-02 Dropping "public"."OvertimeSettings"."note" loses nothing: all 3 rows hold NULL.\n1 hazard, 0 blocking\n`);
  });

  it('finds every kind of hazard at its statement, in file order, and says what blocks (JSON)', async () => {
    const file = migration('all.sql', [
      /* 1 */ 'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $fn$',
      /* 2 */ 'BEGIN',
      /* 3 */ '  EXECUTE \'DROP TABLE legacy; ALTER TABLE child DROP COLUMN email\';',
      /* 4 */ '  RETURN NEW;',
      /* 5 */ 'END $fn$;',
      /* 6 */ 'ALTER TABLE child ALTER COLUMN parent_id SET NOT NULL;',
      /* 7 */ 'ALTER TABLE child ADD COLUMN required int NOT NULL, ADD COLUMN later int;',
      /* 8 */ 'ALTER TABLE child ALTER COLUMN code TYPE uuid USING code::uuid;',
      /* 9 */ 'ALTER TABLE child ADD CONSTRAINT child_email_key UNIQUE (email);',
      /* 10 */ 'ALTER TABLE child ADD FOREIGN KEY (parent_id) REFERENCES parent;',
      /* 11 */ 'ALTER TABLE child ADD CONSTRAINT qty_positive CHECK (qty > 0);',
      /* 12 */ 'CREATE INDEX child_email ON child (email);',
      /* 13 */ '  CREATE INDEX CONCURRENTLY child_qty ON child (qty);',
      /* 14 */ 'DROP INDEX child_code_idx;',
      /* 15 */ 'DROP TABLE legacy;',
    ].join('\n'));
    const out = await cli(['check', file, '--target', target().url, '--format', 'json']);
    assert.equal(out.code, EXIT.unacceptedHazards, out.stderr);
    const doc = JSON.parse(out.stdout) as CheckJson;
    assert.deepEqual(Object.keys(doc), ['format', 'file', 'target', 'hazards', 'blocking']);
    assert.equal(doc.format, 'pgdrift.check/1');
    assert.equal(doc.file, file);
    assert.equal(doc.target.database, target().name);
    assert.deepEqual(doc.target.searchPath, ['public']);
    assert.deepEqual(doc.hazards.map((h) => [h.line, h.column, h.code, h.object]), [
      [6, 1, 'FL-02', 'column:"public"."child"."parent_id"'],
      [6, 1, 'LK-04', 'table:"public"."child"'],
      [7, 1, 'FL-01', 'table:"public"."child"'],
      [8, 1, 'LK-03', 'table:"public"."child"'],
      [8, 1, 'FL-03', 'column:"public"."child"."code"'],
      [9, 1, 'LK-07', 'table:"public"."child"'],
      [9, 1, 'FL-05', 'constraint:"public"."child"."child_email_key"'],
      [10, 1, 'LK-06', 'table:"public"."child"'],
      [10, 1, 'FL-06', 'constraint:"public"."child"."child_parent_id_fkey"'],
      [11, 1, 'LK-05', 'table:"public"."child"'],
      [11, 1, 'FL-07', 'constraint:"public"."child"."qty_positive"'],
      [12, 1, 'LK-08', 'table:"public"."child"'],
      [13, 3, 'TX-01', 'index:"public"."child_qty"'],
      [14, 1, 'LK-09', 'table:"public"."child"'],
      [15, 1, 'DL-01', 'table:"public"."legacy"'],
    ]);
    const byCode = new Map(doc.hazards.map((h) => [h.code, h]));
    assert.equal(byCode.get('FL-02')?.message, 'SET NOT NULL on "public"."child"."parent_id" fails: 1 row holds NULL.');
    assert.equal(byCode.get('FL-01')?.message, 'Adding a NOT NULL column without a default fails: "public"."child" has 4 rows.');
    assert.equal(byCode.get('DL-01')?.message, 'Dropping "public"."legacy" deletes 3 rows.');
    assert.deepEqual(byCode.get('DL-01')?.evidence, { rows: { value: 3, capped: false } });
    assert.equal(byCode.get('DL-01')?.statement, 'DROP TABLE legacy');
    assert.equal(doc.blocking, doc.hazards.filter((h) => h.blocking).length);
    assert.ok(doc.hazards.filter((h) => h.severity === 'lock' || h.severity === 'transaction').every((h) => !h.blocking));
  });

  it('probe targets select exactly the rows PostgreSQL rejects (orphans, CHECK violations, duplicates, casts)', async () => {
    const prepared = await prepareFile(Buffer.from([
      'ALTER TABLE child ADD FOREIGN KEY (parent_id) REFERENCES parent (id);',
      'ALTER TABLE child ADD CONSTRAINT qty_positive CHECK (qty > 0);',
      'CREATE UNIQUE INDEX child_email_u ON child (email);',
      'ALTER TABLE child ALTER COLUMN code TYPE uuid;',
    ].join('\n')), 'targets.sql');
    const connection = await connectPg(target().target);
    try {
      const inspection = await introspect(introspectTargetOf(connection));
      const { hazards } = await checkOnTarget(prepared, inspection, connection, []);
      const targets = new Map(hazards.filter((h) => h.target).map((h) => [h.code, h.target]));
      const rows = async (where: string | undefined) => (await target().query<{ id: number }>(`SELECT id FROM "public"."child" t WHERE ${where} ORDER BY id`)).map((r) => r.id);
      assert.deepEqual(await rows(targets.get('FL-06')?.where), [2, 4]);
      assert.equal(targets.get('FL-06')?.sample, 'concat_ws(\', \', \'parent_id=\' || quote_nullable((t."parent_id")::text))');
      // NULL passes a CHECK, as in PostgreSQL.
      assert.deepEqual(await rows(targets.get('FL-07')?.where), [2]);
      assert.deepEqual(targets.get('FL-05'), { table: '"public"."child"', unique: { columns: ['"email"'] }, key: ['"id"'] });
      assert.deepEqual(targets.get('FL-03'), { table: '"public"."child"', column: '"code"', cast: { from: 'text', to: 'uuid' }, key: ['"id"'] });
    } finally {
      await connection.close();
    }
  });

  it('without the rows a predicate selects the constraint is added; with them PostgreSQL refuses it (MATCH SIMPLE and FULL, new parent, CHECK)', async () => {
    await target().exec('CREATE TABLE pair (a int, b int, PRIMARY KEY (a, b)); INSERT INTO pair VALUES (1, 5);');
    const statements = [
      'ALTER TABLE child ADD CONSTRAINT fk_simple FOREIGN KEY (parent_id) REFERENCES parent',
      'ALTER TABLE child ADD CONSTRAINT fk_full FOREIGN KEY (parent_id, qty) REFERENCES pair MATCH FULL',
      'ALTER TABLE child ADD CONSTRAINT qty_check CHECK (qty > 0 AND code <> \'x\')',
    ];
    const newParent = 'CREATE TABLE fresh_parent (id int PRIMARY KEY)';
    const fkNew = 'ALTER TABLE child ADD CONSTRAINT fk_new FOREIGN KEY (parent_id) REFERENCES fresh_parent';
    const prepared = await prepareFile(Buffer.from(`${statements.join(';\n')};\n${newParent};\n${fkNew};`), 'rows.sql');
    const connection = await connectPg(target().target);
    let hazards;
    try {
      hazards = (await checkOnTarget(prepared, await introspect(introspectTargetOf(connection)), connection, [])).hazards;
    } finally {
      await connection.close();
    }
    const wheres = hazards.filter((h) => h.code === 'FL-06' || h.code === 'FL-07').map((h) => h.target?.where ?? '');
    assert.equal(wheres.length, 4);
    const cases: [string, string, number[]][] = [
      [statements[0] ?? '', wheres[0] ?? '', [2, 4]],
      [statements[1] ?? '', wheres[1] ?? '', [2, 3, 4]],
      [statements[2] ?? '', wheres[2] ?? '', [1, 2]],
      [`${newParent}; ${fkNew}`, wheres[3] ?? '', [1, 2, 4]],
    ];
    for (const [sql, where, ids] of cases) {
      const selected = await target().query<{ id: number }>(`SELECT id FROM "public"."child" t WHERE ${where} ORDER BY id`);
      assert.deepEqual(selected.map((r) => r.id), ids, where);
      await assert.rejects(target().exec(`BEGIN; ${sql}; ROLLBACK`), /violate|not present/, sql);
      await target().exec('ROLLBACK');
      await target().exec(`BEGIN; DELETE FROM "public"."child" t WHERE ${where}; ${sql}; ROLLBACK`);
    }
  });

  it('type changes: values a cast rejects, values that do not fit, values cut or rounded, labels of an enum the file creates', async () => {
    await target().exec(`CREATE TABLE typed (id int PRIMARY KEY, code text, amount numeric(10,4), label varchar(20), status text);
      INSERT INTO typed VALUES (1, '5d0c6e1e-3c2b-4a8e-9c1d-2f6a7b8c9d0e', 1.2345, 'short', 'open'),
        (2, 'default', 2.5, 'much longer', 'closed'), (3, NULL, NULL, NULL, 'gone');`);
    const measured = async (name: string, sql: string) => {
      const out = await cli(['check', migration(name, sql), '--target', target().url, '--format', 'json']);
      assert.equal(out.code, EXIT.unacceptedHazards, out.stderr);
      return (JSON.parse(out.stdout) as CheckJson).hazards.map((h) => [h.line, h.code, h.evidence?.failing?.value, h.evidence?.samples]);
    };
    assert.deepEqual(await measured('types.sql', [
      'CREATE TYPE status AS ENUM (\'open\', \'closed\');',
      'ALTER TABLE typed ALTER COLUMN code TYPE uuid USING code::uuid;',
      'ALTER TABLE typed ALTER COLUMN amount TYPE numeric(10,2);',
      'ALTER TABLE typed ALTER COLUMN status TYPE status USING status::text::status;',
    ].join('\n')), [
      [2, 'LK-03', undefined, undefined],
      [2, 'FL-03', 1, ['default']],
      [3, 'LK-03', undefined, undefined],
      // Rounding to fewer decimals can also carry a value past the precision: measured, none does.
      [3, 'FL-04', 0, []],
      [3, 'DL-08', 1, ['1.2345']],
      [4, 'LK-03', undefined, undefined],
      [4, 'FL-03', 1, ['gone']],
    ]);
    // Without USING PostgreSQL refuses a value that is too long; with an explicit cast it cuts it.
    assert.deepEqual(await measured('fit.sql', 'ALTER TABLE typed ALTER COLUMN label TYPE varchar(5);'), [[1, 'LK-03', undefined, undefined], [1, 'FL-04', 1, ['much longer']]]);
    assert.deepEqual(await measured('cut.sql', 'ALTER TABLE typed ALTER COLUMN label TYPE varchar(5) USING label::varchar(5);'), [[1, 'LK-03', undefined, undefined], [1, 'DL-08', 1, ['much longer']]]);
  });

  it('unique keys: a primary key counts duplicates and NULLs, an expression index its expression, a partial index only its rows', async () => {
    await target().exec(`CREATE TABLE dup (a int, b text); INSERT INTO dup VALUES (1, 'x'), (1, 'X'), (NULL, 'y'), (2, 'z');`);
    const file = migration('unique.sql', [
      'ALTER TABLE dup ADD PRIMARY KEY (a);',
      'CREATE UNIQUE INDEX dup_lower ON dup (lower(b));',
      'CREATE UNIQUE INDEX dup_partial ON dup (a) WHERE b <> \'X\';',
      'CREATE UNIQUE INDEX dup_b ON dup (b DESC);',
    ].join('\n'));
    const out = await cli(['check', file, '--target', target().url, '--format', 'json']);
    assert.equal(out.code, EXIT.unacceptedHazards, out.stderr);
    const fl05 = (JSON.parse(out.stdout) as CheckJson).hazards.filter((h) => h.code === 'FL-05');
    assert.deepEqual(fl05.map((h) => [h.line, h.object, h.blocking === true, h.evidence?.failing !== undefined && h.evidence.failing.value > 0]), [
      [1, 'constraint:"public"."dup"."dup_pkey"', true, true],
      [2, 'index:"public"."dup_lower"', true, true],
      [3, 'index:"public"."dup_partial"', false, false],
      // An ordered key is left unmeasured: blocking until accepted.
      [4, 'index:"public"."dup_b"', true, false],
    ]);
    assert.match(fl05[0]?.message ?? '', /NULL/);
  });

  it('DROP SCHEMA … CASCADE loses every table of the schema, DROP TYPE … CASCADE every column of the type', async () => {
    await target().exec(`CREATE TYPE mood AS ENUM ('ok', 'sad'); CREATE TABLE feel (id int, m mood, ms mood[]);
      INSERT INTO feel VALUES (1, 'ok', '{sad}'), (2, NULL, NULL);`);
    const file = migration('cascade.sql', 'DROP SCHEMA app CASCADE;\nDROP TYPE mood CASCADE;\nDROP SCHEMA IF EXISTS nothing;');
    const out = await cli(['check', file, '--target', target().url]);
    assert.equal(out.code, EXIT.unacceptedHazards, out.stderr);
    assert.equal(out.stdout, [
      `${file}:1:1 data-loss DL-01 Dropping "app"."account" deletes 1 row.`,
      `${file}:2:1 data-loss DL-02 Dropping "public"."feel"."m" deletes 1 non-null value (e.g. 'ok').`,
      `${file}:2:1 data-loss DL-02 Dropping "public"."feel"."ms" deletes 1 non-null value (e.g. '{sad}').`,
      '3 hazards, 3 blocking',
      '',
    ].join('\n'));
  });

  it('lock and compat hazards read from the statement: row security, SET UNLOGGED, partitions, json columns, extensions, sequences, renames (LK-15, LK-11, CP-08, CP-07, DL-10, CP-01)', async () => {
    await target().exec(`CREATE EXTENSION isn; CREATE EXTENSION citext VERSION '1.4'; CREATE SEQUENCE counter;
      CREATE TABLE p (id int) PARTITION BY RANGE (id); CREATE TABLE p_def PARTITION OF p DEFAULT;
      CREATE TABLE p_old PARTITION OF p FOR VALUES FROM (100) TO (200); CREATE TABLE p_new (id int)`);
    const file = migration('static.sql', [
      /* 1 */ 'ALTER TABLE legacy SET UNLOGGED;',
      /* 2 */ 'ALTER TABLE child ENABLE ROW LEVEL SECURITY;',
      /* 3 */ 'ALTER TABLE p ATTACH PARTITION p_new FOR VALUES FROM (1) TO (10);',
      /* 4 */ 'ALTER TABLE p DETACH PARTITION p_old;',
      /* 5 */ 'ALTER TABLE child ADD COLUMN doc json, ADD COLUMN meta jsonb;',
      /* 6 */ "ALTER EXTENSION citext UPDATE TO '1.5';",
      /* 7 */ 'DROP EXTENSION isn;',
      /* 8 */ 'DROP SEQUENCE counter;',
      /* 9 */ 'ALTER TABLE parent RENAME COLUMN id TO parent_id;',
      /* 10 */ 'CREATE TABLE fresh (id int); ALTER TABLE fresh SET UNLOGGED, ENABLE ROW LEVEL SECURITY, ADD COLUMN doc json;',
      /* 11 */ 'ALTER TABLE fresh RENAME TO newer; DROP SEQUENCE IF EXISTS missing;',
    ].join('\n'));
    const out = await cli(['check', file, '--target', target().url, '--format', 'json']);
    assert.equal(out.code, EXIT.ok, out.stderr);
    const doc = JSON.parse(out.stdout) as CheckJson;
    assert.deepEqual(doc.hazards.map((h) => [h.line, h.code, h.severity, h.object, h.blocking ?? false]), [
      [1, 'LK-15', 'lock', 'table:"public"."legacy"', false],
      [2, 'LK-15', 'lock', 'table:"public"."child"', false],
      [3, 'LK-11', 'lock', 'table:"public"."p_new"', false],
      [4, 'LK-11', 'lock', 'table:"public"."p"', false],
      [5, 'CP-08', 'compat', 'column:"public"."child"."doc"', false],
      [6, 'CP-07', 'compat', 'extension:"citext"', false],
      [7, 'CP-07', 'compat', 'extension:"isn"', false],
      [8, 'DL-10', 'compat', 'sequence:"public"."counter"', false],
      [9, 'CP-01', 'compat', 'column:"public"."parent"."parent_id"', false],
    ]);
    const message = (line: number) => doc.hazards.find((h) => h.line === line)?.message;
    assert.equal(message(1), 'SET UNLOGGED rewrites "public"."legacy" under ACCESS EXCLUSIVE: reads and writes wait until the whole table is copied.');
    assert.equal(message(3), 'ATTACH PARTITION scans "public"."p_new" under ACCESS EXCLUSIVE to check that its rows fit the partition bound, and scans the default partition "public"."p_def" under the same lock, unless a validated CHECK constraint already implies the bound: add one (NOT VALID, then VALIDATE) before attaching a large table.');
    assert.equal(message(6), `Updating extension citext from 1.4 to 1.5 runs its upgrade scripts, which may change or remove functions, types and operators in use: read the extension's release notes for that step before running it.`);
    assert.equal(message(8), 'Dropping "public"."counter" discards the sequence\'s position (read it first with SELECT last_value, is_called FROM "public"."counter" if the numbering must go on): a sequence created in its place later starts over.');
  });

  it('resolves names with SET search_path and follows renames to the table the target has', async () => {
    const file = migration('paths.sql', [
      'SET search_path TO app, public;',
      'ALTER TABLE account DROP COLUMN secret;',
      'RESET search_path;',
      'ALTER TABLE "OvertimeSettings" RENAME TO overtime;',
      'ALTER TABLE overtime RENAME COLUMN "overtimeMode" TO mode;',
      'ALTER TABLE overtime DROP COLUMN mode;',
    ].join('\n'));
    const out = await cli(['check', file, '--target', target().url]);
    assert.equal(out.code, EXIT.unacceptedHazards, out.stderr);
    assert.equal(out.stdout, [
      `${file}:2:1 data-loss DL-02 Dropping "app"."account"."secret" deletes 1 non-null value (e.g. 's3cret').`,
      `${file}:4:1 compat CP-01 Renaming "public"."OvertimeSettings" to "overtime" breaks application versions still using the old name until they are replaced: keep a view under the old name over the new table for the length of the deploy, or deploy with the application stopped.`,
      `${file}:5:1 compat CP-01 Renaming "public"."overtime"."overtimeMode" to "mode" breaks application versions still using the old name until they are replaced: to avoid it, add the new column, write both and copy, and drop the old one in a later release.`,
      `${file}:6:1 data-loss DL-02 Dropping "public"."OvertimeSettings"."overtimeMode" deletes 2 non-null values (e.g. 'daily', 'weekly').`,
      '4 hazards, 2 blocking',
      '',
    ].join('\n'));
  });

  it('a search path without an existing schema: names resolve in public, and stderr says so', async () => {
    await target().exec(`ALTER DATABASE ${target().name} SET search_path TO nothing_here`);
    const file = migration('nopath.sql', DROP_MODE);
    const out = await cli(['check', file, '--target', target().url, '--format', 'json']);
    assert.equal(out.code, EXIT.unacceptedHazards, out.stderr);
    assert.equal(out.stderr, 'pgdrift: note: the search_path of --target names no existing schema: unqualified names were resolved in public\n');
    const doc = JSON.parse(out.stdout) as CheckJson;
    assert.deepEqual(doc.target.searchPath, ['public']);
    assert.deepEqual(doc.hazards.map((h) => h.object), ['column:"public"."OvertimeSettings"."overtimeMode"']);
  });
});

describe('pgdrift check: bad input (no database needed)', () => {
  const url = 'postgres://nobody@127.0.0.1:1/none';

  it('a syntax error: usage exit, file:line:col and the parser message', async () => {
    const file = migration('broken.sql', 'SELECT 1;\n\nALTER TABLE t DROP COLUMN;\n');
    const out = await cli(['check', file, '--target', url]);
    assert.equal(out.code, ERROR_EXIT_CODES.usage);
    assert.equal(out.stderr, `pgdrift: ${file}:3:26: syntax error at or near ";"\n`);
    assert.equal(out.stdout, '');
  });

  it('a file that is not UTF-8: usage exit naming where', async () => {
    const file = migration('latin1.sql', Buffer.concat([Buffer.from("UPDATE t SET c = 'caf"), Buffer.from([0xe9]), Buffer.from("';\n")]));
    const out = await cli(['check', file, '--target', url]);
    assert.equal(out.code, ERROR_EXIT_CODES.usage);
    assert.equal(out.stderr, `pgdrift: ${file}:1:22: not UTF-8 text (byte 0xe9); save the file as UTF-8\n`);
  });

  it('a missing file or a folder: usage exit', async () => {
    const missing = join(dir, 'missing.sql');
    const out = await cli(['check', missing, '--target', url]);
    assert.equal(out.code, ERROR_EXIT_CODES.usage);
    assert.equal(out.stderr, `pgdrift: cannot read ${missing}: no such file\n`);
    const folder = await cli(['check', dir, '--target', url]);
    assert.equal(folder.code, ERROR_EXIT_CODES.usage);
    assert.match(folder.stderr, /is a folder, not a file/);
  });

  it('an unknown code in a directive, a malformed --accept, no file, no --target, a bad --format: usage exit', async () => {
    const file = migration('badcode.sql', '-- pgdrift:accept XX-99 public.t\nSELECT 1;\n');
    const bad = await cli(['check', file, '--target', url]);
    assert.equal(bad.code, ERROR_EXIT_CODES.usage);
    assert.equal(bad.stderr, `pgdrift: ${file}:1: pgdrift:accept names an unknown hazard code "XX-99"\n`);
    for (const argv of [
      ['check', file, '--target', url, '--accept', 'DL-02'],
      ['check', '--target', url],
      ['check', file],
      ['check', file, '--target', url, '--format', 'yaml'],
      ['check', file, file, '--target', url],
    ]) {
      assert.equal((await cli(argv)).code, ERROR_EXIT_CODES.usage, argv.join(' '));
    }
  });
});
