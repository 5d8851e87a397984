import { strict as assert } from 'node:assert';
import { variantFor, type CatalogQuery } from '../../src/core/introspect/query';
import { withoutDefaultMode } from '../../src/core/introspect/routines';
import { whenClause } from '../../src/core/introspect/triggers';
import { canonicalJson } from '../../src/core/model/canonicalJson';
import { fingerprintOf } from '../../src/core/model/fingerprint';
import { ids } from '../../src/core/model/ids';
import { normaliseModel } from '../../src/core/model/normalise';
import type { SchemaModel } from '../../src/core/model/types';

function emptyModel(): SchemaModel {
  return {
    schemas: [], extensions: [], enums: [], domains: [], composites: [], sequences: [], tables: [],
    constraints: [], indexes: [], views: [], routines: [], triggers: [], policies: [], dependencies: [],
  };
}

describe('schema model', () => {
  it('quotes every part of an id, so names with dots or quotes stay unambiguous', () => {
    assert.equal(ids.table('a.b', 'c'), 'table:"a.b"."c"');
    assert.notEqual(ids.table('a.b', 'c'), ids.table('a', 'b.c'));
    assert.equal(ids.column('s', 'Say "hi"', 'x'), 'column:"s"."Say ""hi"""."x"');
    assert.equal(ids.routine('function', 'public', 'f', 'integer, text'), 'function:"public"."f"(integer, text)');
  });

  it('prints canonical JSON whatever the key order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    assert.equal(canonicalJson({ a: [{ b: 1, a: 2 }], b: { x: undefined, y: 1 } }), '{"a":[{"a":2,"b":1}],"b":{"y":1}}');
    assert.equal(canonicalJson([{ a: 1 }, { c: 1, b: 2 }], 1), '[\n {\n  "a": 1\n },\n {\n  "b": 2,\n  "c": 1\n }\n]');
  });

  it('gives the same fingerprint to the same objects listed in another order', () => {
    const a = emptyModel();
    a.schemas = [
      { id: ids.schema('b'), name: 'b', owner: 'x' },
      { id: ids.schema('a'), name: 'a', owner: 'x' },
    ];
    const b = emptyModel();
    b.schemas = [...a.schemas].reverse();
    assert.equal(fingerprintOf(normaliseModel(a)), fingerprintOf(normaliseModel(b)));
    b.schemas = [{ id: ids.schema('a'), name: 'a', owner: 'y' }, a.schemas[0]!];
    assert.notEqual(fingerprintOf(normaliseModel(a)), fingerprintOf(normaliseModel(b)));
    assert.match(fingerprintOf(a), /^sha256:[0-9a-f]{64}$/);
  });

  it('chooses the newest query variant the server supports', () => {
    const q: CatalogQuery = { what: 'x', variants: [{ since: 0, sql: 'old' }, { since: 180000, sql: 'v18' }, { since: 150000, sql: 'v15' }] };
    assert.equal(variantFor(q, 130023), 'old');
    assert.equal(variantFor(q, 150000), 'v15');
    assert.equal(variantFor(q, 170004), 'v15');
    assert.equal(variantFor(q, 180004), 'v18');
    assert.throws(() => variantFor({ what: 'y', variants: [{ since: 140000, sql: 'z' }] }, 130000), /no y query/);
  });

  it('reads the WHEN clause out of a trigger definition', () => {
    assert.equal(
      whenClause('CREATE TRIGGER t BEFORE UPDATE ON public.a FOR EACH ROW WHEN ((old.x IS DISTINCT FROM new.x)) EXECUTE FUNCTION public.f()'),
      '(old.x IS DISTINCT FROM new.x)',
    );
    assert.equal(whenClause('CREATE TRIGGER t AFTER INSERT ON public.a FOR EACH ROW EXECUTE FUNCTION public.f()'), undefined);
  });

  it('drops the default IN mode from argument lists, whatever the server version printed', () => {
    assert.equal(withoutDefaultMode('INOUT x integer, IN y text'), 'INOUT x integer, y text');
    assert.equal(withoutDefaultMode('IN a integer, OUT b text, VARIADIC c integer[]'), 'a integer, OUT b text, VARIADIC c integer[]');
    assert.equal(withoutDefaultMode('"in" integer, INOUT "IN x" text'), '"in" integer, INOUT "IN x" text');
    assert.equal(withoutDefaultMode(''), '');
  });
});
