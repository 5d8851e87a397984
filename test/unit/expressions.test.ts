import assert from 'node:assert/strict';
import { normaliseExpression } from '../../src/core/introspect/expressions';

// The before/after pairs are what PostgreSQL 15 printed for `status IN ('a', 'b')` on a varchar
// column, and for the same expression re-created from its printed text.
describe('normaliseExpression', () => {
  it('rewrites a pretty-printed array cast into element casts', () => {
    assert.equal(
      normaliseExpression("CHECK (status::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[]))"),
      "CHECK (status::text = ANY (ARRAY['a'::character varying::text, 'b'::character varying::text]))",
    );
  });

  it('rewrites the parenthesised form pg_get_indexdef prints', () => {
    assert.equal(
      normaliseExpression("CREATE INDEX i ON public.o USING btree (n) WHERE ((status)::text = ANY ((ARRAY['a'::character varying, 'it''s, b'::character varying])::text[]))"),
      "CREATE INDEX i ON public.o USING btree (n) WHERE ((status)::text = ANY (ARRAY[('a'::character varying)::text, ('it''s, b'::character varying)::text]))",
    );
  });

  it('leaves the re-created spelling, and arrays of other shapes, alone', () => {
    for (const text of [
      "CHECK (status::text = ANY (ARRAY['a'::character varying::text, 'b'::character varying::text]))",
      'CHECK (n = ANY (ARRAY[1, 2]))',
      "DEFAULT ARRAY['a'::text, upper('b'::text)]::text[]",
    ]) assert.equal(normaliseExpression(text), text);
  });
});
