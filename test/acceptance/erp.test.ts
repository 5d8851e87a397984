import { strict as assert } from 'node:assert';
import { canonicalJson } from '../../src/core/model/canonicalJson';
import { countModel } from '../../src/core/model/summary';
import { fixtureSql, inspectDatabase } from '../support/fixtures';
import { databaseOn, describeEachServer, type TestDatabase } from '../support/servers';

/** Counts taken straight from pg_catalog, independently of the introspection queries. */
async function catalogCounts(db: TestDatabase) {
  const [row] = await db.query<Record<string, string>>(`
    SELECT
      (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')) AS tables,
      (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'v') AS views,
      (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal) AS triggers,
      (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public') AS functions,
      (SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public') AS indexes,
      (SELECT count(*) FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace WHERE n.nspname = 'public' AND co.contype = 'f') AS foreign_keys,
      (SELECT count(*) FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace WHERE n.nspname = 'public' AND co.contype = 'p') AS primary_keys,
      (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
      (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e') AS enums,
      (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'S') AS sequences`);
  return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]));
}

describeEachServer('ERP fixture', ({ db, server }) => {
  for (const [side, expected] of [
    ['from', { tables: 12, triggers: 2, functions: 1, views: 3 }],
    ['to', { tables: 27, triggers: 7, functions: 6, views: 3 }],
  ] as const) {
    it(`${side}.sql: inspected counts match the catalog (${expected.tables} tables, ${expected.triggers} triggers)`, async () => {
      await db().exec(fixtureSql(`erp/${side}.sql`));
      const counts = countModel((await inspectDatabase(db())).model);
      const catalog = await catalogCounts(db());
      assert.deepEqual(
        {
          tables: counts.tables, views: counts.views, triggers: counts.triggers, functions: counts.functions,
          indexes: counts.indexes, foreign_keys: counts.foreignKeys, primary_keys: counts.primaryKeys,
          columns: counts.columns, enums: counts.enums, sequences: counts.sequences,
        },
        catalog,
      );
      assert.equal(counts.tables, expected.tables);
      assert.equal(counts.triggers, expected.triggers);
      assert.equal(counts.functions, expected.functions);
      assert.equal(counts.views, expected.views);
    });
  }

  it('introspecting the same schema twice gives byte-identical JSON', async () => {
    await db().exec(fixtureSql('erp/to.sql'));
    const first = canonicalJson(await inspectDatabase(db()), 2);
    const second = canonicalJson(await inspectDatabase(db()), 2);
    assert.equal(second, first);
    assert.ok(first.length > 10_000, 'the model of the ERP to-side is substantial');
  });

  it('two databases built from the same SQL have the same fingerprint; a change alters it', async () => {
    await db().exec(fixtureSql('erp/to.sql'));
    const other = await databaseOn(server);
    try {
      await other.exec(fixtureSql('erp/to.sql'));
      const a = await inspectDatabase(db());
      const b = await inspectDatabase(other);
      assert.equal(b.fingerprint, a.fingerprint);
      assert.equal(canonicalJson(b.model), canonicalJson(a.model));
      await other.exec('ALTER TABLE "Job" ALTER COLUMN category SET DEFAULT \'general\'');
      const changed = await inspectDatabase(other);
      assert.notEqual(changed.fingerprint, a.fingerprint);
    } finally {
      await other.drop();
    }
  });

  it('the to-side model carries the facts the plan will need', async () => {
    await db().exec(fixtureSql('erp/to.sql'));
    const { model } = await inspectDatabase(db());
    const job = model.tables.find((t) => t.name === 'Job');
    const status = job?.columns.find((c) => c.name === 'status');
    assert.equal(status?.type, 'public."JobStatus"');
    assert.equal(status?.default, `'open'::public."JobStatus"`);
    assert.ok(model.dependencies.some((d) => d.from === 'column:"public"."Job"."status"' && d.to === 'enum:"public"."JobStatus"'));
    assert.ok(model.dependencies.some((d) => d.from === 'view:"public"."ApprovedEntries"' && d.to === 'column:"public"."TimeEntry"."approvedBy"'));
    const selfRef = model.constraints.find((c) => c.id === 'constraint:"public"."Account"."Account_parentId_fkey"');
    assert.equal(selfRef?.foreignKey?.referencedTable, 'table:"public"."Account"');
  });
});
