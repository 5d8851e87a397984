import { strict as assert } from 'node:assert';
import { connectPg } from '../../../src/core/db/pgConnection';
import { CountingQueryable } from '../../../src/core/db/queryable';
import { describeTarget } from '../../../src/core/db/target';
import { introspect } from '../../../src/core/introspect';
import type { SchemaModel } from '../../../src/core/model/types';
import { describeEachServer, type TestDatabase } from '../../support/servers';

/** Introspects through a counting wrapper: how many statements did it send? */
async function countedInspection(db: TestDatabase): Promise<{ count: number; model: SchemaModel }> {
  const connection = await connectPg(db.target);
  try {
    const counting = new CountingQueryable(connection);
    const { model } = await introspect({ db: counting, where: describeTarget(db.target), database: db.name });
    return { count: counting.count, model };
  } finally {
    await connection.close();
  }
}

/** 50 tables, each with a primary key, an index, a foreign key, a view and a trigger. */
function manyObjects(n: number): string {
  const parts = ['CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;', "CREATE TYPE state AS ENUM ('a', 'b');"];
  for (let i = 0; i < n; i++) {
    const ref = i > 0 ? `, parent_id int REFERENCES t${i - 1}` : '';
    parts.push(`CREATE TABLE t${i} (id serial PRIMARY KEY, name text NOT NULL, s state DEFAULT 'a'${ref});`);
    parts.push(`CREATE INDEX t${i}_name ON t${i} (lower(name));`);
    parts.push(`CREATE VIEW v${i} AS SELECT id, name FROM t${i};`);
    parts.push(`CREATE TRIGGER t${i}_touch BEFORE UPDATE ON t${i} FOR EACH ROW EXECUTE FUNCTION touch();`);
  }
  return parts.join('\n');
}

describeEachServer('introspect: number of queries', ({ db }) => {
  it('is the same for an empty database and one with 50 tables, indexes, views and triggers', async () => {
    const empty = await countedInspection(db());
    assert.equal(empty.model.tables.length, 0);
    await db().exec(manyObjects(50));
    const full = await countedInspection(db());
    assert.equal(full.model.tables.length, 50);
    assert.equal(full.model.views.length, 50);
    assert.equal(full.model.triggers.length, 50);
    assert.equal(full.model.indexes.length, 100);
    assert.equal(full.model.sequences.length, 50);
    assert.equal(full.model.constraints.filter((c) => c.kind === 'foreign key').length, 49);
    assert.ok(empty.count > 0);
    assert.equal(full.count, empty.count);
  });
});
