import assert from 'node:assert/strict';
import { Client } from 'pg';
import { connectPg } from '../../../src/core/db/pgConnection';
import { measureHazards } from '../../../src/core/hazards/measure';
import { DEFAULT_PROBE_LIMITS } from '../../../src/core/hazards/probe';
import type { Hazard } from '../../../src/core/hazards/types';
import { planMigration } from '../../../src/core/plan';
import { inspectDatabase } from '../../support/fixtures';
import { databaseOn, describeEachServer, type TestDatabase } from '../../support/servers';

const FROM = `
  CREATE TABLE kept (id int PRIMARY KEY, x text, y int, z text);
  INSERT INTO kept VALUES (1, 'a', NULL, NULL), (2, NULL, NULL, NULL), (3, 'it''s', NULL, NULL);
  CREATE TABLE gone (id int);
  INSERT INTO gone SELECT generate_series(1, 3);
  CREATE TABLE empty_gone (id int);`;
const TO = 'CREATE TABLE kept (id int PRIMARY KEY, z text);';

async function measuredHazards(from: TestDatabase, to: TestDatabase, limits = DEFAULT_PROBE_LIMITS): Promise<Hazard[]> {
  const plan = planMigration((await inspectDatabase(from)).model, (await inspectDatabase(to)).model);
  const connection = await connectPg(from.target);
  try {
    const measured = await measureHazards(plan, connection, limits);
    return measured.statements.flatMap((s) => s.hazards ?? []).filter((h) => h.code === 'DL-01' || h.code === 'DL-02');
  } finally {
    await connection.close();
  }
}

describeEachServer('measured data-loss hazards', ({ server, db }) => {
  let to: TestDatabase;
  beforeEach(async () => {
    to = await databaseOn(server);
    await db().exec(FROM);
    await to.exec(TO);
  });
  afterEach(async () => {
    await to.drop();
  });

  it('counts the rows of dropped tables and the non-null values of dropped columns, with samples', async () => {
    const found = (await measuredHazards(db(), to)).map((h) => [h.code, h.object, h.evidence, h.message]);
    assert.deepEqual(found, [
      ['DL-02', 'column:"public"."kept"."x"', { rows: { value: 3, capped: false }, values: { value: 2, capped: false }, samples: ['a', "it's"] },
        `Dropping "public"."kept"."x" deletes 2 non-null values (e.g. 'a', 'it''s').`],
      ['DL-02', 'column:"public"."kept"."y"', { rows: { value: 3, capped: false }, values: { value: 0, capped: false }, samples: [] },
        'Dropping "public"."kept"."y" loses nothing: all 3 rows hold NULL.'],
      ['DL-01', 'table:"public"."empty_gone"', { rows: { value: 0, capped: false } }, 'Dropping "public"."empty_gone" loses nothing: it has no rows.'],
      ['DL-01', 'table:"public"."gone"', { rows: { value: 3, capped: false } }, 'Dropping "public"."gone" deletes 3 rows.'],
    ]);
  });

  it('labels a count that reached the cap', async () => {
    const found = await measuredHazards(db(), to, { ...DEFAULT_PROBE_LIMITS, countCap: 2 });
    const gone = found.find((h) => h.object === 'table:"public"."gone"');
    assert.deepEqual(gone?.evidence, { rows: { value: 2, capped: true } });
    assert.equal(gone?.message, 'Dropping "public"."gone" deletes 2+ rows.');
  });

  it('reports a table another session has locked as unknown, and changes nothing', async () => {
    const blocker = new Client({ connectionString: db().url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE gone IN ACCESS EXCLUSIVE MODE');
      const found = await measuredHazards(db(), to, { ...DEFAULT_PROBE_LIMITS, lockMs: 100 });
      const gone = found.find((h) => h.object === 'table:"public"."gone"');
      assert.deepEqual(gone?.evidence, { unknown: 'table locked' });
      assert.equal(gone?.message, 'Dropping "public"."gone" deletes all its rows.');
      await blocker.query('ROLLBACK');
    } finally {
      await blocker.end();
    }
    const [row] = await db().query<{ n: string }>('SELECT count(*)::text AS n FROM gone');
    assert.equal(row?.n, '3');
  });

  it('tells whether NOT NULL would fail: rows for a new column without default, NULLs for SET NOT NULL', async () => {
    const other = await databaseOn(server);
    try {
      await other.exec('CREATE TABLE kept (id int PRIMARY KEY, x text NOT NULL, y int, z text NOT NULL, w text NOT NULL); CREATE TABLE empty_gone (id int, v int NOT NULL)');
      await db().exec('DROP TABLE gone; ALTER TABLE kept ADD COLUMN w text; ALTER TABLE empty_gone ADD COLUMN q int');
      await db().exec("UPDATE kept SET w = 'w' WHERE id <> 2");
      const plan = planMigration((await inspectDatabase(db())).model, (await inspectDatabase(other)).model);
      const connection = await connectPg(db().target);
      try {
        const measured = await measureHazards(plan, connection);
        const found = measured.statements.flatMap((s) => s.hazards ?? []).filter((h) => h.code.startsWith('FL-')).map((h) => [h.code, h.object, h.evidence, h.message]);
        assert.deepEqual(found, [
          ['FL-01', 'table:"public"."empty_gone"', { rows: { value: 0, capped: false } }, '"public"."empty_gone" has no rows: the NOT NULL column can be added without a default.'],
          ['FL-02', 'column:"public"."kept"."w"', { rows: { value: 3, capped: false }, nulls: { value: 1, capped: false } }, 'SET NOT NULL on "public"."kept"."w" fails: 1 row holds NULL.'],
          ['FL-02', 'column:"public"."kept"."x"', { rows: { value: 3, capped: false }, nulls: { value: 1, capped: false } }, 'SET NOT NULL on "public"."kept"."x" fails: 1 row holds NULL.'],
          ['FL-02', 'column:"public"."kept"."z"', { rows: { value: 3, capped: false }, nulls: { value: 3, capped: false } }, 'SET NOT NULL on "public"."kept"."z" fails: 3 rows hold NULL.'],
        ]);
      } finally {
        await connection.close();
      }
    } finally {
      await other.drop();
    }
  });
});
