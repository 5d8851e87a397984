// Reference-data sync, the parts that need no database: literals, names, table order, statements,
// and where the data statements go in a plan.
import { strict as assert } from 'node:assert';
import { sqlLiteral, parseTableName } from '../../src/core/data/literal';
import { withDataStatements } from '../../src/core/data/merge';
import { parentsFirst } from '../../src/core/data/order';
import { countExpectation, deleteStatement, upsertStatement } from '../../src/core/data/statements';
import { PgdriftError } from '../../src/core/errors';
import type { Column } from '../../src/core/model/types';
import { renderPlanSql } from '../../src/core/plan';
import type { Plan, PlannedStatement } from '../../src/core/plan/types';

const col = (name: string, type: string, extra: Partial<Column> = {}): Column => ({ name, type, notNull: false, ...extra });
const row = (entries: Record<string, string | null>) => new Map(Object.entries(entries));

describe('data sync: literals', () => {
  it('quotes by doubling the quote only, casts to the column type, and writes NULL bare', () => {
    assert.equal(sqlLiteral("it's", 'text'), "'it''s'::text");
    assert.equal(sqlLiteral('\\x00ff', 'bytea'), "'\\x00ff'::bytea");
    assert.equal(sqlLiteral('{"a": "b\'c"}', 'jsonb'), `'{"a": "b''c"}'::jsonb`);
    assert.equal(sqlLiteral('{x,"y z",NULL}', 'text[]'), `'{x,"y z",NULL}'::text[]`);
    assert.equal(sqlLiteral(null, 'integer'), 'NULL');
    assert.equal(sqlLiteral('', 'text'), "''::text");
    assert.equal(sqlLiteral('open', 'public."JobStatus"'), `'open'::public."JobStatus"`);
  });

  it('reads table names as schema.table, quoted or not, and public when the schema is left out', () => {
    assert.deepEqual(parseTableName('public.Role'), { schema: 'public', name: 'Role' });
    assert.deepEqual(parseTableName('"my.schema"."Odd ""name"""'), { schema: 'my.schema', name: 'Odd "name"' });
    assert.deepEqual(parseTableName('Role'), { schema: 'public', name: 'Role' });
    for (const bad of ['a.b.c', 'a.', '.b', '"open', '']) assert.equal(parseTableName(bad), undefined, bad);
  });
});

describe('data sync: table order', () => {
  const edge = (child: string, parent: string, deferred = false) => ({ child, parent, deferred });
  const order = (tables: string[], edges: ReturnType<typeof edge>[]) => parentsFirst(tables, edges, (id) => id, (cycle) => `tables ${cycle} refer to each other in a cycle`);

  it('puts parents before children, keeping the given order otherwise; self-references and deferred keys order nothing', () => {
    assert.deepEqual(order(['note', 'link', 'role', 'perm'], [edge('link', 'role'), edge('link', 'perm'), edge('note', 'link'), edge('role', 'role')]), ['role', 'perm', 'link', 'note']);
    assert.deepEqual(order(['a', 'b'], [edge('a', 'b', true), edge('b', 'a')]), ['a', 'b']);
    assert.deepEqual(order(['a', 'b'], [edge('a', 'outside')]), ['a', 'b']);
  });

  it('names a cycle through two or more tables', () => {
    assert.throws(() => order(['x', 'a', 'b', 'c'], [edge('a', 'c'), edge('b', 'a'), edge('c', 'b'), edge('x', 'a')]), (e: unknown) => {
      assert.ok(e instanceof PgdriftError);
      assert.equal(e.code, 'plan-cycle');
      assert.match(e.message, /tables (a → b → c → a|b → c → a → b|c → a → b → c) refer to each other in a cycle/);
      return true;
    });
  });
});

describe('data sync: statements', () => {
  it('an upsert per table, a row per line; identity ALWAYS is overridden and never SET; a key-only table does nothing on conflict', () => {
    const id = col('id', 'integer', { identity: { kind: 'always', sequence: { dataType: 'integer', start: '1', increment: '1', min: '1', max: '2147483647', cache: '1', cycle: false } } });
    const s = upsertStatement('table:"public"."t"', '"public"."t"', [id, col('name', 'text')], ['id'], [row({ id: '1', name: 'a' }), row({ id: '2', name: null })]);
    assert.equal(s.sql, `INSERT INTO "public"."t" ("id", "name") OVERRIDING SYSTEM VALUE\nVALUES\n  ('1'::integer, 'a'::text),\n  ('2'::integer, NULL)\nON CONFLICT ("id") DO UPDATE SET "name" = EXCLUDED."name"`);
    assert.equal(s.phase, 'migrate-data');
    const link = upsertStatement('table:"public"."l"', '"public"."l"', [col('a', 'uuid'), col('b', 'text')], ['a', 'b'], [row({ a: 'u', b: 'p' })]);
    assert.match(link.sql, /ON CONFLICT \("a", "b"\) DO NOTHING$/);
  });

  it('deletes by key, a tuple per row when the key has several columns; counts as an expectation', () => {
    const one = deleteStatement('table:"public"."t"', '"public"."t"', [col('id', 'integer')], [row({ id: '8' }), row({ id: '9' })]);
    assert.equal(one.sql, `DELETE FROM "public"."t"\nWHERE "id" IN (\n  '8'::integer,\n  '9'::integer\n)`);
    const two = deleteStatement('table:"public"."l"', '"public"."l"', [col('a', 'uuid'), col('b', 'text')], [row({ a: 'u', b: "it's" })]);
    assert.equal(two.sql, `DELETE FROM "public"."l"\nWHERE ("a", "b") IN (\n  ('u'::uuid, 'it''s'::text)\n)`);
    assert.deepEqual(countExpectation('table:"public"."t"', '"public"."t"', 7).expect, { op: '=', value: 7 });
  });

  it('go at the end of migrate-data, after expand and before routines and contract, and render as a script', () => {
    const st = (sql: string, phase: PlannedStatement['phase']): PlannedStatement => ({ sql, object: 'table:"public"."t"', action: 'alter', phase, change: 'table:"public"."t"' });
    const plan: Plan = { changes: [], statements: [st('CREATE TABLE t (id int PRIMARY KEY)', 'expand'), st('UPDATE t SET id = id', 'migrate-data'), st('CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$', 'routines'), st('DROP TABLE old', 'contract')] };
    const rows = upsertStatement('table:"public"."t"', '"public"."t"', [col('id', 'integer')], ['id'], [row({ id: '1' })]);
    const merged = withDataStatements(plan, [rows, countExpectation('table:"public"."t"', '"public"."t"', 1)]);
    assert.deepEqual(merged.statements.map((s) => s.phase), ['expand', 'migrate-data', 'migrate-data', 'migrate-data', 'routines', 'contract']);
    assert.equal(merged.statements[2]?.sql, rows.sql);
    const script = renderPlanSql(merged);
    assert.match(script, /UPDATE t SET id = id;\nINSERT INTO "public"\."t" \("id"\)\nVALUES\n {2}\('1'::integer\)\nON CONFLICT \("id"\) DO NOTHING;\n-- pgdrift:expect SELECT count\(\*\) FROM "public"\."t" = 1\n\n-- pgdrift:phase routines/);
    const validated: Plan = { changes: [], statements: [st('ALTER TABLE t ADD c int', 'expand'), { ...st('SELECT count(*) FROM "public"."t"', 'validate'), expect: { op: '>=', value: 5 } }, { ...st('SELECT count(*) FROM "public"."u"', 'validate'), expect: { op: '=', value: 3 } }] };
    const counted = withDataStatements(validated, [rows, countExpectation('table:"public"."t"', '"public"."t"', 9)]).statements;
    // The validate phase's count of a kept table the plan alters becomes the sync's count.
    assert.deepEqual(counted.filter((s) => s.phase === 'validate').map((s) => s.expect), [{ op: '=', value: 9 }, { op: '=', value: 3 }]);
    const empty: Plan = { changes: [], statements: [st('DROP TABLE old', 'contract')] };
    assert.deepEqual(withDataStatements(empty, [rows]).statements.map((s) => s.phase), ['migrate-data', 'contract']);
  });
});
