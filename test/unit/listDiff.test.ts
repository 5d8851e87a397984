import { strict as assert } from 'node:assert';
import { diffById, sameUnder } from '../../src/core/diff/listDiff';
import { diffOptions } from '../../src/core/diff/options';

interface Item {
  id: string;
  value: number;
  owner?: string;
  acl?: string[];
  comment?: string;
  columns?: { name: string; acl?: string[]; comment?: string }[];
}

const strict = (a: Item, b: Item) => JSON.stringify(a) === JSON.stringify(b);

describe('generic list differ', () => {
  it('matches by id: added, removed, changed; unchanged objects are not reported', () => {
    const from: Item[] = [{ id: 'a', value: 1 }, { id: 'b', value: 2 }, { id: 'c', value: 3 }];
    const to: Item[] = [{ id: 'b', value: 2 }, { id: 'c', value: 4 }, { id: 'd', value: 5 }];
    const diff = diffById(from, to, strict);
    assert.deepEqual(diff.added.map((i) => i.id), ['d']);
    assert.deepEqual(diff.removed.map((i) => i.id), ['a']);
    assert.deepEqual(diff.changed.map((c) => [c.from.value, c.to.value]), [[3, 4]]);
  });

  it('reports in id order whatever the order of the input lists', () => {
    const items: Item[] = ['z', 'a', 'm', 'B', 'b'].map((id, i) => ({ id, value: i }));
    const forward = diffById([], items, strict).added.map((i) => i.id);
    const backward = diffById([], [...items].reverse(), strict).added.map((i) => i.id);
    assert.deepEqual(forward, ['B', 'a', 'b', 'm', 'z']);
    assert.deepEqual(backward, forward);
  });

  it('leaves owners and privileges out by default, anywhere in an object, and compares them when asked', () => {
    const a: Item = { id: 't', value: 1, owner: 'alice', acl: ['alice=r/alice'], columns: [{ name: 'c', acl: ['bob=r/alice'] }] };
    const b: Item = { id: 't', value: 1, owner: 'bob', columns: [{ name: 'c' }] };
    assert.equal(sameUnder(diffOptions())(a, b), true);
    assert.equal(sameUnder(diffOptions({ owners: true }))(a, b), false);
    assert.equal(sameUnder(diffOptions({ privileges: true }))(a, { ...a, columns: [{ name: 'c' }] }), false);
  });

  it('compares comments by default, key order never matters', () => {
    const a: Item = { id: 't', value: 1, columns: [{ name: 'c', comment: 'x' }] };
    const b: Item = { id: 't', value: 1, columns: [{ name: 'c', comment: 'y' }] };
    assert.equal(sameUnder(diffOptions())(a, b), false);
    assert.equal(sameUnder(diffOptions({ comments: false }))(a, b), true);
    assert.equal(sameUnder(diffOptions())({ value: 1, id: 't' }, { id: 't', value: 1 }), true);
  });
});
