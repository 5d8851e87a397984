import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/cli/exitCodes';
import { createDatabase, describeEachServer, type TestDatabase } from '../support/servers';
import { cli } from '../support/cli';

// Deployed: a lower-case table whose text ids include the placeholder 'default'.
const PRODUCTION = `
CREATE TABLE employees (id text PRIMARY KEY, name text NOT NULL);
INSERT INTO employees VALUES ('default', 'Ada'), ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'Bob');`;
// Desired: the table and a column renamed, the id a uuid (the key keeps its name: a renamed
// constraint is a drop and an add, and a new primary key on a column whose type changes cannot be
// measured for duplicates, so it would block).
const LOCAL = `CREATE TABLE "Employee" (id uuid CONSTRAINT employees_pkey PRIMARY KEY, "fullName" text NOT NULL);`;
const MAPPING = {
  tables: { 'public.employees': 'Employee' },
  columns: { 'public.Employee': { name: 'fullName' } },
  casts: { 'public.Employee.id': { invalid: 'map', map: { default: 'gen_random_uuid()' } } },
};

describeEachServer('pgdrift plan --mapping', ({ server, db }) => {
  let local: TestDatabase | undefined;
  let dir = '';
  beforeEach(async () => {
    local = await createDatabase(server);
    dir = mkdtempSync(join(tmpdir(), 'pgdrift-mapping-'));
    await db().exec(PRODUCTION);
    await local.exec(LOCAL);
  });
  afterEach(async () => {
    await local?.drop();
    local = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  const pair = (): string[] => ['--from', db().url, '--to', (local as TestDatabase).url];
  const mappingFile = (json: object): string => {
    const path = join(dir, 'pgdrift.mapping.json');
    writeFileSync(path, JSON.stringify(json));
    return path;
  };

  it('without a mapping the table is dropped and created: exit 3 on the 2 rows it would delete', async () => {
    const out = await cli(['plan', ...pair()]);
    assert.equal(out.code, EXIT.unacceptedHazards, out.stderr);
    assert.match(out.stderr, /^blocked: DL-01 data-loss public\.employees: .*deletes 2 rows/m);
  });

  it('with a mapping: RENAME statements, the mapped cast, and the plan converges with psql', async () => {
    const path = mappingFile(MAPPING);
    const out = await cli(['plan', ...pair(), '--mapping', path]);
    assert.equal(out.code, EXIT.differences, out.stderr);
    assert.match(out.stdout, /^ALTER TABLE "public"\."employees" RENAME TO "Employee";$/m);
    assert.match(out.stdout, /RENAME COLUMN "name" TO "fullName";$/m);
    assert.doesNotMatch(out.stdout, /DROP TABLE/);
    assert.match(out.stdout, /WHEN 'default' THEN gen_random_uuid\(\)/);
    const script = join(dir, 'plan.sql');
    writeFileSync(script, out.stdout);
    const psql = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db().url, '-f', script], { encoding: 'utf8' });
    assert.equal(psql.status, 0, psql.stderr);
    const again = await cli(['diff', ...pair()]);
    assert.equal(again.code, EXIT.ok, again.stdout);
    const rows = await db().query<{ id: string; fullName: string }>('SELECT id::text, "fullName" FROM "Employee" ORDER BY "fullName"');
    assert.equal(rows.length, 2);
    assert.match(rows[0]?.id ?? '', /^[0-9a-f]{8}-/);
    assert.deepEqual(rows[1], { id: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', fullName: 'Bob' });
  });

  it('--cast overrides the mapping file for its column: fail blocks on the value that is not a uuid', async () => {
    const out = await cli(['plan', ...pair(), '--mapping', mappingFile(MAPPING), '--cast', 'public.Employee.id=fail']);
    assert.equal(out.code, EXIT.unacceptedHazards, out.stderr);
    assert.match(out.stderr, /^blocked: FL-03 failure public\.Employee\.id: .*'default'/m);
  });

  it('a mapping that names a column the from-database lacks: usage exit naming the file', async () => {
    const path = mappingFile({ tables: MAPPING.tables, columns: { 'public.Employee': { nope: 'fullName' } } });
    const out = await cli(['plan', ...pair(), '--mapping', path]);
    assert.equal(out.code, 64, out.stderr);
    assert.ok(out.stderr.includes(path), out.stderr);
    assert.match(out.stderr, /nope/);
    assert.equal(out.stdout, '');
  });

  it('a mapping file that does not exist or is not JSON: usage exit before connecting', async () => {
    const missing = await cli(['plan', '--from', 'postgres://nobody@127.0.0.1:1/x', '--to', 'postgres://nobody@127.0.0.1:1/y', '--mapping', join(dir, 'none.json')]);
    assert.equal(missing.code, 64, missing.stderr);
    assert.ok(missing.stderr.includes('none.json'), missing.stderr);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ tables: ');
    const broken = await cli(['plan', ...pair(), '--mapping', bad]);
    assert.equal(broken.code, 64, broken.stderr);
    assert.ok(broken.stderr.includes('bad.json'), broken.stderr);
  });
});
