import assert from 'node:assert/strict';
import { orderChanges } from '../../src/core/plan';
import type { Change, Statement } from '../../src/core/plan/types';
import { PgdriftError } from '../../src/core/errors';

function change(id: string, statements: Statement[], action: Change['action'] = 'create'): Change {
  return { id, kind: 'table', action, details: [], statements };
}

function st(sql: string, object: string, action: Statement['action'], extra: Partial<Statement> = {}): Statement {
  return { sql, object, action, phase: action === 'drop' ? 'contract' : 'expand', ...extra };
}

const nothingExisted = () => false;

describe('plan order', () => {
  it('puts a statement after the one that creates what it needs, whatever the input order', () => {
    const fk = change('constraint:"public"."a"."a_b"', [st('ADD FK', 'constraint:"public"."a"."a_b"', 'create', { needs: ['table:"public"."b"'] })]);
    const b = change('table:"public"."b"', [st('CREATE TABLE b', 'table:"public"."b"', 'create')]);
    for (const input of [[fk, b], [b, fk]]) {
      assert.deepEqual(orderChanges(input, nothingExisted).map((s) => s.sql), ['CREATE TABLE b', 'ADD FK']);
    }
  });

  it('runs a statement that holds an object before the statement that drops it', () => {
    const dropType = change('enum:"public"."e"', [st('DROP TYPE e', 'enum:"public"."e"', 'drop')], 'drop');
    const alter = change('column:"public"."t"."c"', [st('ALTER c TYPE text', 'column:"public"."t"."c"', 'alter', { holds: ['enum:"public"."e"'] })], 'alter');
    assert.deepEqual(orderChanges([dropType, alter], nothingExisted).map((s) => s.sql), ['ALTER c TYPE text', 'DROP TYPE e']);
  });

  it('pulls a drop that must precede an additive change into expand, ahead of it', () => {
    const view = 'view:"public"."v"';
    const column = 'column:"public"."t"."c"';
    const recreate = change(view, [
      st('DROP VIEW v', view, 'drop', { holds: [column] }),
      st('CREATE VIEW v', view, 'create', { needs: [column] }),
    ], 'recreate');
    const alter = change(column, [st('ALTER c TYPE', column, 'alter', { creates: [column], drops: [column] })], 'alter');
    const planned = orderChanges([recreate, alter], (id) => id === view || id === column);
    assert.deepEqual(planned.map((s) => [s.phase, s.sql]), [
      ['expand', 'DROP VIEW v'], ['expand', 'ALTER c TYPE'], ['expand', 'CREATE VIEW v'],
    ]);
  });

  it('pulls a function forward into expand when a constraint calls it', () => {
    const fn = 'function:"public"."f"(integer)';
    const planned = orderChanges([
      change(fn, [st('CREATE FUNCTION f', fn, 'create', { phase: 'routines' })]),
      change('constraint:"public"."t"."c"', [st('ADD CHECK f(x)', 'constraint:"public"."t"."c"', 'create', { needs: [fn] })]),
    ], nothingExisted);
    assert.deepEqual(planned.map((s) => [s.phase, s.sql]), [['expand', 'CREATE FUNCTION f'], ['expand', 'ADD CHECK f(x)']]);
  });

  it('keeps phases contiguous and in order', () => {
    const planned = orderChanges([
      change('trigger:"public"."t"."x"', [st('CREATE TRIGGER', 'trigger:"public"."t"."x"', 'create', { phase: 'routines' })]),
      change('table:"public"."old"', [st('DROP TABLE old', 'table:"public"."old"', 'drop')], 'drop'),
      change('table:"public"."new"', [st('CREATE TABLE new', 'table:"public"."new"', 'create')]),
    ], nothingExisted);
    assert.deepEqual(planned.map((s) => s.phase), ['expand', 'routines', 'contract']);
  });

  it('names the objects of a cycle that no order satisfies', () => {
    const a = change('view:"public"."a"', [st('CREATE VIEW a', 'view:"public"."a"', 'create', { needs: ['view:"public"."b"'] })]);
    const b = change('view:"public"."b"', [st('CREATE VIEW b', 'view:"public"."b"', 'create', { needs: ['view:"public"."a"'] })]);
    assert.throws(() => orderChanges([a, b], nothingExisted), (error: unknown) => {
      assert.ok(error instanceof PgdriftError);
      assert.equal(error.code, 'plan-cycle');
      assert.match(error.message, /view:"public"\."a"/);
      assert.match(error.message, /view:"public"\."b"/);
      return true;
    });
  });

  it('gives the same order for the same changes every time', () => {
    const changes = Array.from({ length: 50 }, (_, i) => change(`table:"public"."t${i % 7}_${i}"`, [
      st(`CREATE TABLE t${i}`, `table:"public"."t${i % 7}_${i}"`, 'create', i > 0 ? { needs: [`table:"public"."t${(i - 1) % 7}_${i - 1}"`] } : {}),
    ]));
    const first = orderChanges(changes, nothingExisted).map((s) => s.sql).join('\n');
    const second = orderChanges([...changes].reverse(), nothingExisted).map((s) => s.sql).join('\n');
    assert.equal(second, first);
  });
});
