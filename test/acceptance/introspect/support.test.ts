// The partial-model matcher the introspection tests rely on must itself be able to fail.
import { strict as assert } from 'node:assert';
import type { Column, Table } from '../../../src/core/model/types';
import { ABSENT, assertMatches, byId, type Expect } from './support';

describe('introspect test support: assertMatches', () => {
  const table: Table = {
    id: 'table:"public"."t"', schema: 'public', name: 't', kind: 'table', owner: 'postgres',
    columns: [{ name: 'a', type: 'integer', notNull: false }, { name: 'b', type: 'text', notNull: true, default: "'x'::text" }],
    rowSecurity: false, forceRowSecurity: false,
  };

  it('accepts a partial object whose listed fields are equal', () => {
    assertMatches(table, { name: 't', columns: [{ name: 'a' }, { default: "'x'::text" }], comment: ABSENT });
  });

  const failing: [string, Expect<Table>][] = [
    ['a different scalar', { kind: 'partitioned table' }],
    ['a present field expected absent', { owner: ABSENT }],
    ['a missing field', { comment: 'x' }],
    ['an array of another length', { columns: [{ name: 'a' }] }],
    ['an array element that differs', { columns: [{ name: 'a' }, { notNull: false }] }],
    ['a nested field expected absent', { columns: [{}, { default: ABSENT }] }],
  ];
  for (const [what, expected] of failing) {
    it(`rejects ${what}`, () => {
      assert.throws(() => assertMatches(table, expected), assert.AssertionError);
    });
  }

  it('rejects an array where an object is expected and the reverse', () => {
    const column = table.columns[0] as Column;
    assert.throws(() => assertMatches<unknown>(column, [] as unknown as Expect<unknown>), assert.AssertionError);
    assert.throws(() => assertMatches<unknown>([column], { name: 'a' } as unknown as Expect<unknown>), assert.AssertionError);
  });

  it('byId finds exactly one object', () => {
    assert.equal(byId([table], table.id), table);
    assert.throws(() => byId([table], 'table:"public"."u"'), /found 0/);
    assert.throws(() => byId([table, table], table.id), /found 2/);
  });
});
