import assert from 'node:assert/strict';
import { connectPg } from '../../../src/core/db/pgConnection';
import type { Queryable, QueryResult } from '../../../src/core/db/queryable';
import { measureHazards } from '../../../src/core/hazards/measure';
import { planMigration } from '../../../src/core/plan';
import { inspectDatabase } from '../../support/fixtures';
import { describeEachServer, freshDatabaseEachTest } from '../../support/servers';

// never_filled has never had a row; emptied had rows, all deleted (its heap keeps its pages);
// parted is partitioned: no storage of its own, its row lives in parted_1.
const FROM = `
  CREATE TABLE never_filled (id int PRIMARY KEY, a text, b int);
  CREATE TABLE emptied (id int PRIMARY KEY, a text);
  INSERT INTO emptied VALUES (1, 'x'), (2, 'y');
  DELETE FROM emptied;
  CREATE TABLE parted (id int, a text) PARTITION BY RANGE (id);
  CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (100);
  INSERT INTO parted VALUES (1, 'kept value');`;
const TO = `
  CREATE TABLE never_filled (id int PRIMARY KEY, b int NOT NULL);
  CREATE TABLE emptied (id int PRIMARY KEY);
  CREATE TABLE parted (id int) PARTITION BY RANGE (id);
  CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (100);`;

/** Passes every statement on and keeps its text. */
class Recording implements Queryable {
  readonly sent: string[] = [];
  constructor(private readonly inner: Queryable) {}
  query<R extends object>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    this.sent.push(sql);
    return this.inner.query<R>(sql, params);
  }
}

describeEachServer('measured hazards on tables without rows', ({ server, db }) => {
  const to = freshDatabaseEachTest(server);
  beforeEach(async () => {
    await db().exec(FROM);
    await to().exec(TO);
  });

  it('answers a never-filled table from its empty heap without scanning it; scans an emptied and a partitioned table', async () => {
    const plan = planMigration((await inspectDatabase(db())).model, (await inspectDatabase(to())).model);
    const connection = await connectPg(db().target);
    const recording = new Recording(connection);
    let measured;
    try {
      measured = await measureHazards(plan, recording);
    } finally {
      await connection.close();
    }
    const found = measured.statements.flatMap((s) => s.hazards ?? []).filter((h) => h.code === 'DL-02' || h.code === 'FL-02');
    const byObject = (object: string, code: string) => found.find((h) => h.object === object && h.code === code);
    assert.deepEqual(byObject('column:"public"."never_filled"."a"', 'DL-02')?.evidence, { rows: { value: 0, capped: false }, values: { value: 0, capped: false }, samples: [] });
    assert.deepEqual(byObject('column:"public"."never_filled"."b"', 'FL-02')?.evidence?.rows, { value: 0, capped: false });
    assert.deepEqual(byObject('column:"public"."emptied"."a"', 'DL-02')?.evidence, { rows: { value: 0, capped: false }, values: { value: 0, capped: false }, samples: [] });
    assert.deepEqual(byObject('column:"public"."parted"."a"', 'DL-02')?.evidence, { rows: { value: 1, capped: false }, values: { value: 1, capped: false }, samples: ['kept value'] });
    const scans = (table: string) => recording.sent.filter((sql) => sql.includes(`FROM "public"."${table}" t`)).length;
    assert.equal(scans('never_filled'), 0, recording.sent.join('\n'));
    assert.ok(scans('emptied') > 0, 'the emptied table still has pages, so it is scanned');
    assert.ok(scans('parted') > 0, 'a partitioned table has no heap of its own, so it is scanned');
  });
});
