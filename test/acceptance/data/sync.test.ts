// Reference-data sync on small tables of its own: changed rows become upserts, --data-delete
// deletes child rows before their parents, a row whose parent the target lacks is reported and
// left out, a too-large table and one without a primary key are refused, a cycle of foreign keys
// is named, a table referring to itself is copied in one statement, and values of awkward types
// arrive exactly as they left (target in another time zone). Every plan is run with `pgdrift run`.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_EXIT_CODES, EXIT } from '../../../src/cli/exitCodes';
import { cli, type CliOutcome } from '../../support/cli';
import { describeEachServer, freshDatabaseEachTest, type TestDatabase } from '../../support/servers';

const PARENT_CHILD = `
CREATE TABLE parent (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE child (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parent (id), label text);
CREATE TABLE link (parent_id int REFERENCES parent (id), child_id int REFERENCES child (id), PRIMARY KEY (parent_id, child_id));`;

async function rowsOf(db: TestDatabase, table: string): Promise<string[]> {
  return (await db.query<{ r: string }>(`SELECT t::text AS r FROM ${table} t ORDER BY 1`)).map((x) => x.r);
}

describeEachServer('reference data: sync', ({ server, db }) => {
  const to = freshDatabaseEachTest(server);
  let work = '';
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'pgdrift-data-'));
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  /** `pgdrift plan --data …` into a file: the outcome and the script. */
  async function plan(args: string[]): Promise<CliOutcome & { script: string }> {
    const path = join(work, 'plan.sql');
    const out = await cli(['plan', '--from', db().url, '--to', to().url, ...args, '-o', path]);
    let script = '';
    try {
      script = readFileSync(path, 'utf8');
    } catch {
      // no script written: the plan was refused
    }
    return { ...out, script };
  }
  async function run(): Promise<void> {
    const out = await cli(['run', join(work, 'plan.sql'), '--target', db().url], {}, { cwd: work });
    assert.equal(out.code, EXIT.ok, `${out.stdout}\n${out.stderr}`);
  }
  async function nothingLeft(args: string[]): Promise<void> {
    const again = await plan(args);
    assert.equal(again.code, EXIT.ok, again.stderr + again.script);
    assert.match(again.script, /no differences, nothing to do/);
  }

  it('new and changed rows become one upsert; without --data-delete a row only in the target stays and is counted', async () => {
    await db().exec(`${PARENT_CHILD} INSERT INTO parent VALUES (1, 'one'), (2, 'old two'), (9, 'only in target')`);
    await to().exec(`${PARENT_CHILD} INSERT INTO parent VALUES (1, 'one'), (2, 'two'), (3, 'three')`);
    const p = await plan(['--data', 'public.parent']);
    assert.equal(p.code, EXIT.differences, p.stderr);
    assert.match(p.script, /-- pgdrift:phase migrate-data\nINSERT INTO "public"\."parent" \("id", "name"\)\nVALUES\n {2}\('3'::integer, 'three'::text\),\n {2}\('2'::integer, 'two'::text\)\nON CONFLICT \("id"\) DO UPDATE SET "name" = EXCLUDED\."name";\n-- pgdrift:expect SELECT count\(\*\) FROM "public"\."parent" = 4\n/);
    assert.doesNotMatch(p.script, /DELETE/);
    // diff --format sql writes the same script.
    const diff = await cli(['diff', '--from', db().url, '--to', to().url, '--data', 'public.parent', '--format', 'sql']);
    assert.equal(diff.code, EXIT.differences, diff.stderr);
    assert.equal(diff.stdout, p.script);
    await run();
    assert.deepEqual(await rowsOf(db(), 'parent'), ['(1,one)', '(2,two)', '(3,three)', '(9,"only in target")']);
    await nothingLeft(['--data', 'public.parent']);
  });

  it('a kept table the plan alters: its validate count is the sync\'s, and the new column is written', async () => {
    await db().exec(`${PARENT_CHILD} INSERT INTO parent VALUES (1, 'one')`);
    await to().exec(`${PARENT_CHILD} ALTER TABLE parent ADD COLUMN extra text NOT NULL DEFAULT 'x';
      INSERT INTO parent VALUES (1, 'one', 'kept'), (2, 'two', 'new')`);
    const p = await plan(['--data', 'public.parent']);
    assert.equal(p.code, EXIT.differences, p.stderr);
    assert.ok(p.script.indexOf('ADD COLUMN') < p.script.indexOf('INSERT INTO "public"."parent"'), p.script);
    assert.match(p.script, /-- pgdrift:phase validate\n(?:.*\n)*-- pgdrift:expect SELECT count\(\*\) FROM "public"\."parent" = 2\n/);
    assert.doesNotMatch(p.script, /FROM "public"\."parent" = 1$/m);
    await run();
    assert.deepEqual(await rowsOf(db(), 'parent'), ['(1,one,kept)', '(2,two,new)']);
    await nothingLeft(['--data', 'public.parent']);
  });

  it('a marked table whose creation (or new column) is left out of the plan gets no statements, and stderr says why', async () => {
    await db().exec('CREATE TABLE parent (id int PRIMARY KEY, name text NOT NULL); INSERT INTO parent VALUES (1, \'one\')');
    await to().exec(`${PARENT_CHILD} ALTER TABLE parent ADD COLUMN extra text; INSERT INTO parent VALUES (1, 'one', 'x'), (2, 'two', 'y'); INSERT INTO child VALUES (10, 1, 'a')`);
    const p = await plan(['--data', 'public.parent', '--data', 'public.child', '--exclude', 'public.child', '--exclude', 'public.parent.extra']);
    assert.equal(p.code, EXIT.differences, p.stderr);
    assert.match(p.stderr, /^warning: public\.child: its rows are not synced, because the plan leaves out the creation of public\.child$/m);
    assert.match(p.stderr, /^warning: public\.parent: its rows are not synced, because the plan leaves out column public\.parent\.extra$/m);
    assert.doesNotMatch(p.script, /INSERT|pgdrift:expect SELECT count\(\*\) FROM "public"\."(child|parent)" =/);
    await run();
  });

  it('--to may be SQL files: their seed rows are the reference data (read from the embedded database)', async function () {
    this.timeout(120_000);
    await db().exec(`${PARENT_CHILD} INSERT INTO parent VALUES (1, 'one')`);
    const seed = join(work, 'schema.sql');
    writeFileSync(seed, `${PARENT_CHILD}\nINSERT INTO parent VALUES (1, 'one'), (2, 'two');\n`);
    const path = join(work, 'plan.sql');
    const out = await cli(['plan', '--from', db().url, '--to', seed, '--data', 'public.parent', '-o', path]);
    assert.equal(out.code, EXIT.differences, out.stderr);
    assert.match(readFileSync(path, 'utf8'), /^ {2}\('2'::integer, 'two'::text\)$/m);
    await run();
    assert.deepEqual(await rowsOf(db(), 'parent'), ['(1,one)', '(2,two)']);
  });

  it('--data-delete deletes child rows before parent rows, and inserts parents before children', async () => {
    await db().exec(`${PARENT_CHILD} INSERT INTO parent VALUES (1, 'one'), (8, 'gone'); INSERT INTO child VALUES (10, 1, 'a'), (80, 8, 'gone too');
      INSERT INTO link VALUES (1, 10), (8, 80), (8, 10)`);
    await to().exec(`${PARENT_CHILD} INSERT INTO parent VALUES (1, 'one'), (2, 'two'); INSERT INTO child VALUES (10, 1, 'a'), (20, 2, 'b');
      INSERT INTO link VALUES (1, 10), (2, 20)`);
    // Named children first: the order comes from the foreign keys, not from the options.
    const args = ['--data', 'public.link', '--data', 'public.child', '--data', 'public.parent', '--data-delete'];
    const p = await plan(args);
    assert.equal(p.code, EXIT.differences, p.stderr);
    const at = (re: RegExp) => p.script.search(re);
    assert.ok(at(/^DELETE FROM "public"\."child"\nWHERE "id" IN \(\n {2}'80'::integer\n\);$/m) > 0, p.script);
    assert.ok(at(/^DELETE FROM "public"\."link"\nWHERE \("parent_id", "child_id"\) IN \(\n {2}\('8'::integer, '10'::integer\),\n {2}\('8'::integer, '80'::integer\)\n\);$/m) >= 0, p.script);
    assert.ok(at(/^DELETE FROM "public"\."link"/m) < at(/^DELETE FROM "public"\."child"/m), p.script);
    assert.ok(at(/^DELETE FROM "public"\."child"/m) < at(/^DELETE FROM "public"\."parent"/m), p.script);
    assert.ok(at(/^INSERT INTO "public"\."child"/m) < at(/^INSERT INTO "public"\."link"/m), p.script);
    assert.ok(at(/^DELETE FROM "public"\."parent"/m) < at(/^INSERT INTO "public"\."parent"/m), p.script);
    assert.ok(at(/^INSERT INTO "public"\."parent"/m) < at(/^INSERT INTO "public"\."child"/m), p.script);
    assert.match(p.script, /^-- pgdrift:expect SELECT count\(\*\) FROM "public"\."parent" = 2$/m);
    assert.equal(p.stderr.match(/^warning: /gm), null, p.stderr);
    // A table not marked that refers to a deleted row is named, with what its foreign key does.
    await db().exec('CREATE TABLE note (id int PRIMARY KEY, parent_id int REFERENCES parent (id) ON DELETE CASCADE)');
    const warned = await plan(args);
    assert.match(warned.stderr, /^warning: deleting 1 row of public\.parent: public\.note refers to it by note_parent_id_fkey; ON DELETE CASCADE deletes its rows that refer to them$/m);
    await db().exec('DROP TABLE note');
    await plan(args);
    assert.match(p.script, /^-- pgdrift:expect SELECT count\(\*\) FROM "public"\."child" = 2$/m);
    await run();
    assert.deepEqual(await rowsOf(db(), 'parent'), await rowsOf(to(), 'parent'));
    assert.deepEqual(await rowsOf(db(), 'child'), await rowsOf(to(), 'child'));
    assert.deepEqual(await rowsOf(db(), 'link'), await rowsOf(to(), 'link'));
    await nothingLeft(args);
  });

  it('a row whose parent the target will not have is reported and left out; the others are copied', async () => {
    await db().exec(`${PARENT_CHILD} INSERT INTO parent VALUES (1, 'one')`);
    await to().exec(`${PARENT_CHILD} INSERT INTO parent VALUES (1, 'one'), (2, 'two'); INSERT INTO child VALUES (10, 1, 'fine'), (20, 2, 'orphan')`);
    const p = await plan(['--data', 'public.child']);
    assert.equal(p.code, EXIT.differences, p.stderr);
    assert.match(p.stderr, /^orphan: public\.child row \(id = 20\) refers by child_parent_id_fkey to public\.parent \(id = 2\), which the target will not have after the sync; the row is left out of the plan$/m);
    assert.match(p.stderr, /^1 reference-data row left out: /m);
    assert.doesNotMatch(p.script, /'20'::integer/);
    assert.match(p.script, /^-- pgdrift:expect SELECT count\(\*\) FROM "public"\."child" = 1$/m);
    await run();
    assert.deepEqual(await rowsOf(db(), 'child'), ['(10,1,fine)']);
    // Marking the parent too copies both.
    const both = await plan(['--data', 'public.child', '--data', 'public.parent']);
    assert.doesNotMatch(both.stderr, /orphan/);
    await run();
    assert.deepEqual(await rowsOf(db(), 'child'), await rowsOf(to(), 'child'));
  });

  it('refuses a table above the row limit (counted on both sides) and a table without a primary key', async () => {
    await db().exec(`${PARENT_CHILD} CREATE TABLE loose (code text); INSERT INTO parent SELECT i, 'p' || i FROM generate_series(1, 10001) i`);
    await to().exec(`${PARENT_CHILD} CREATE TABLE loose (code text); INSERT INTO parent VALUES (1, 'one'); INSERT INTO child SELECT i, 1, 'c' FROM generate_series(1, 6) i`);
    const big = await plan(['--data', 'public.parent']);
    assert.equal(big.code, ERROR_EXIT_CODES.usage, big.stderr);
    assert.match(big.stderr, /--data "public"\."parent": 10,001 rows in the target \(--from\), more than --data-max-rows 10,000: the data sync is for reference data/);
    const small = await plan(['--data', 'public.child', '--data-max-rows', '5']);
    assert.equal(small.code, ERROR_EXIT_CODES.usage, small.stderr);
    assert.match(small.stderr, /--data "public"\."child": 6 rows in --to, more than --data-max-rows 5/);
    const loose = await plan(['--data', 'public.loose']);
    assert.equal(loose.code, ERROR_EXIT_CODES.usage, loose.stderr);
    assert.match(loose.stderr, /--data "public"\."loose": the table has no primary key in --to, so its rows cannot be matched/);
    assert.equal((await plan(['--data', 'public.nope'])).code, ERROR_EXIT_CODES.usage);
  });

  it('a table referring to itself is copied in one statement, rows in any order; a cycle through two tables is named', async () => {
    const tree = 'CREATE TABLE node (id int PRIMARY KEY, up int REFERENCES node (id));';
    await db().exec(tree);
    await to().exec(`${tree} INSERT INTO node VALUES (1, NULL), (2, 3), (3, 1), (4, 2)`);
    const p = await plan(['--data', 'node']);
    assert.equal(p.code, EXIT.differences, p.stderr);
    await run();
    assert.deepEqual(await rowsOf(db(), 'node'), await rowsOf(to(), 'node'));

    await to().exec(`CREATE TABLE a (id int PRIMARY KEY, b_id int); CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));
      ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b (id)`);
    const cycle = await plan(['--data', 'public.a', '--data', 'public.b']);
    assert.equal(cycle.code, ERROR_EXIT_CODES['plan-cycle'], cycle.stderr);
    assert.match(cycle.stderr, /reference-data tables public\.(a → public\.b → public\.a|b → public\.a → public\.b) refer to each other in a cycle of foreign keys/);
  });

  it('bytea, jsonb, text[], timestamptz, numeric, floats, intervals, NULLs and quotes arrive exactly, into a target in another time zone', async () => {
    const table = `CREATE TABLE odd (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, b bytea, j jsonb, tags text[], at timestamptz, local timestamp,
      amount numeric(12,4), f float8, span interval, note text, twice int GENERATED ALWAYS AS (id * 2) STORED)`;
    await to().exec(`${table};
      INSERT INTO odd (b, j, tags, at, local, amount, f, span, note) VALUES
        ('\\x00ff5c27'::bytea, '{"a": [1, 2.50, null], "q": "it''s \\"quoted\\""}', ARRAY['x', 'y z', NULL, 'it''s', '{braces}'],
         '2025-03-30 01:30:00+02', '2025-03-30 02:30:00', 12345678.1200, 0.1, '1 year 2 mons 3 days 04:05:06.789', E'line\\nbreak; -- not a comment'),
        (NULL, 'null', '{}', '-infinity', 'infinity', -0.0001, 'NaN', '-1 day', ''),
        (NULL, NULL, NULL, NULL, NULL, NULL, 1e308, NULL, NULL)`);
    // The target's sessions print timestamptz in Johannesburg time; the values must not move.
    await db().exec(`ALTER DATABASE ${db().name} SET TimeZone = 'Africa/Johannesburg'`);
    const p = await plan(['--data', 'public.odd']);
    assert.equal(p.code, EXIT.differences, p.stderr);
    assert.match(p.script, /^CREATE TABLE/m);
    assert.match(p.script, /^INSERT INTO "public"\."odd" \("id", "b", "j", "tags", "at", "local", "amount", "f", "span", "note"\) OVERRIDING SYSTEM VALUE$/m);
    await run();
    const read = async (d: TestDatabase) => d.query<Record<string, string | null>>(
      "SET TimeZone = 'UTC'; SELECT id::text, b::text, j::text, tags::text, at::text, local::text, amount::text, f::text, span::text, note, twice::text FROM odd ORDER BY id".replace(/^SET[^;]*; /, ''));
    await db().exec("SET TimeZone = 'UTC'");
    await to().exec("SET TimeZone = 'UTC'");
    const copied = await read(db());
    assert.deepEqual(copied, await read(to()));
    assert.equal(copied[0]?.at, '2025-03-29 23:30:00+00');
    assert.equal(copied[0]?.b, '\\x00ff5c27');
    await nothingLeft(['--data', 'public.odd']);
  });
});
