// The ERP pair (test/fixtures/erp) planned schema to schema, without its rows: the plan from the
// production layout to the development layout, and back, applies on every configured server and
// leaves no difference. (With the production rows in place some changes cannot run as planned,
// e.g. the 'default' id that is not a uuid; that is the business of hazard checks, not of this.)
import { strict as assert } from 'node:assert';
import { quoteIdent } from '../../../src/core/model/ids';
import { fixtureSql, inspectDatabase } from '../../support/fixtures';
import { runPsql } from '../../support/psql';
import { databaseOn, servers } from '../../support/servers';
import { declareCase } from './declare';

/** The file without its top-level INSERT statements (the data section; function bodies are indented). */
export function schemaOnly(sql: string): string {
  const kept: string[] = [];
  let inInsert = false;
  for (const line of sql.split('\n')) {
    if (!inInsert && /^INSERT INTO /.test(line)) inInsert = true;
    if (inInsert) {
      if (/;\s*$/.test(line)) inInsert = false;
      continue;
    }
    kept.push(line);
  }
  return kept.join('\n');
}

const erp = () => ({ name: 'erp', from: schemaOnly(fixtureSql('erp/from.sql')), to: schemaOnly(fixtureSql('erp/to.sql')) });

for (const server of servers) {
  describe(`plan convergence: ERP pair, schema only (${server.label})`, () => {
    it('the schema-only copies load and hold no rows', async () => {
      for (const side of ['from', 'to'] as const) {
        const db = await databaseOn(server);
        try {
          const loaded = await runPsql(db.url, erp()[side]);
          assert.ok(loaded.ok, `${side}.sql without data does not load: ${loaded.firstError}`);
          const { model } = await inspectDatabase(db);
          assert.equal(model.tables.length, side === 'from' ? 12 : 27);
          const counts = await db.query<{ n: string }>(
            model.tables.map((t) => `SELECT count(*) AS n FROM ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`).join(' UNION ALL '),
          );
          assert.deepEqual(counts.filter((r) => r.n !== '0'), [], `${side}: rows left after stripping the data`);
        } finally {
          await db.drop();
        }
      }
    });

    declareCase(server, { key: 'erp', title: 'ERP from.sql ⇄ to.sql', labels: ['from→to', 'to→from'], load: erp });
  });
}
