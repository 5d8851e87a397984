import { strict as assert } from 'node:assert';
import { checkOnTarget, prepareFile } from '../../src/core/check';
import type { Queryable, QueryResult } from '../../src/core/db/queryable';
import type { Inspection, SchemaModel, Table } from '../../src/core/model/types';

const t: Table = {
  id: 'table:"public"."t"', schema: 'public', name: 't', kind: 'table', owner: 'o', rowSecurity: false, forceRowSecurity: false,
  columns: [{ name: 'id', type: 'integer', notNull: true }, { name: 'c', type: 'text', notNull: false }, { name: 'd', type: 'text', notNull: false }],
};
const model: SchemaModel = {
  schemas: [], extensions: [], enums: [], domains: [], composites: [], sequences: [], tables: [t], constraints: [],
  indexes: [], views: [], routines: [], triggers: [], policies: [], dependencies: [],
};
const inspection: Inspection = { source: { database: 'd', serverVersion: '15', serverVersionNum: 150000 }, fingerprint: 'sha256:x', model };

/** A server that answers the search path and the harness, and refuses every probe query. */
class RefusingServer implements Queryable {
  async query<R extends object>(sql: string): Promise<QueryResult<R>> {
    if (sql.includes('current_schemas')) return { rows: [{ s: ['public'] } as unknown as R], rowCount: 1 };
    if (sql.includes('server_version_num')) return { rows: [{ v: 150000 } as unknown as R], rowCount: 1 };
    if (/^(BEGIN|SET|SELECT set_config|COMMIT|ROLLBACK)/.test(sql)) return { rows: [], rowCount: null };
    throw Object.assign(new Error('permission denied for table t'), { code: '42501' });
  }
}

describe('check: a probe the server refuses', () => {
  it('leaves each such hazard unmeasured and blocking, says why, and checks the rest of the file', async () => {
    const sql = 'ALTER TABLE t DROP COLUMN c;\nALTER TABLE t ALTER COLUMN c SET NOT NULL;\nALTER TABLE t ALTER COLUMN d SET NOT NULL;';
    const result = await checkOnTarget(await prepareFile(Buffer.from(sql), 'm.sql'), inspection, new RefusingServer(), []);
    // Line 2 names a column the file dropped on line 1: nothing of the target is left to check.
    assert.deepEqual(result.hazards.map((h) => [h.line, h.code, h.message]), [
      [1, 'DL-02', 'Dropping "public"."t".c deletes its values. (not measured: measuring "public"."t"."c": permission denied for table t)'],
      [3, 'FL-02', 'SET NOT NULL on "public"."t".d fails if it holds NULLs. (not measured: measuring "public"."t"."d": permission denied for table t)'],
      [3, 'LK-04', 'SET NOT NULL on d scans "public"."t" under ACCESS EXCLUSIVE.'],
    ]);
    assert.equal(result.blocking, 2);
  });
});

describe('check: statements that cannot run in a transaction block', () => {
  it('TX-01 for each; inside the file\'s own BEGIN … COMMIT it says PostgreSQL refuses it', async () => {
    const sql = 'BEGIN;\nCREATE INDEX CONCURRENTLY ci ON t (c);\nCOMMIT;\nDROP INDEX CONCURRENTLY ci;\nVACUUM t;';
    const result = await checkOnTarget(await prepareFile(Buffer.from(sql), 'm.sql'), inspection, new RefusingServer(), []);
    assert.deepEqual(result.hazards.map((h) => [h.line, h.code, h.object, h.message]), [
      [2, 'TX-01', 'index:"public"."ci"', 'CREATE INDEX CONCURRENTLY is inside the file\'s BEGIN … COMMIT: PostgreSQL refuses it there ("cannot run inside a transaction block").'],
      [4, 'TX-01', 'index:"public"."ci"', 'DROP INDEX CONCURRENTLY cannot run inside a transaction block: it commits on its own and stays if a later statement fails.'],
      [5, 'TX-01', 'table:"public"."t"', 'VACUUM cannot run inside a transaction block: it commits on its own and stays if a later statement fails.'],
    ]);
    assert.equal(result.blocking, 0);
  });
});
