import { strict as assert } from 'node:assert';
import { acceptName, applyAccepts, isBlocking, parseAcceptDirectives, parseAcceptOption } from '../../src/core/hazards/accept';
import { hazard } from '../../src/core/hazards/types';
import { parseExpectation, renderExpectation } from '../../src/core/plan/expect';
import { PgdriftError } from '../../src/core/errors';

describe('accepting hazards by name', () => {
  it('names objects without quotes, as users type them', () => {
    assert.equal(acceptName('column:"public"."OvertimeSettings"."overtimeMode"'), 'public.OvertimeSettings.overtimeMode');
    assert.equal(acceptName('table:"public"."a.b"'), 'public.a.b');
    assert.equal(acceptName('table:"public"."say ""hi"""'), 'public.say "hi"');
    assert.equal(acceptName('function:"public"."f"(integer, text)'), 'public.f');
  });

  it('reads --accept CODE:object and refuses anything else', () => {
    assert.deepEqual(parseAcceptOption('DL-02:public.t.c'), { code: 'DL-02', object: 'public.t.c', source: '--accept' });
    for (const bad of ['DL-02', 'XX-99:public.t', 'DL-02:', 'dl-02:public.t']) {
      assert.throws(() => parseAcceptOption(bad), (e: unknown) => e instanceof PgdriftError && e.code === 'usage', bad);
    }
  });

  it('reads -- pgdrift:accept lines with their line numbers and rejects unknown codes', () => {
    const text = 'BEGIN;\n-- pgdrift:accept DL-02 public.t.c\n  --pgdrift:accept DL-01 public.gone  \nSELECT 1;';
    assert.deepEqual(parseAcceptDirectives(text, 'm.sql'), [
      { code: 'DL-02', object: 'public.t.c', source: 'm.sql:2' },
      { code: 'DL-01', object: 'public.gone', source: 'm.sql:3' },
    ]);
    assert.throws(() => parseAcceptDirectives('-- pgdrift:accept ZZ-01 x', 'm.sql'), /m\.sql:1: .*unknown hazard code "ZZ-01"/);
  });

  it('blocks data-loss and failure hazards until accepted or proved harmless; never lock hazards', () => {
    const drop = hazard('DL-02', 'column:"public"."t"."c"', 'Dropping c');
    assert.equal(isBlocking(drop), true, 'unmeasured: no proof, no pass');
    assert.equal(isBlocking({ ...drop, evidence: { rows: { value: 3, capped: false }, values: { value: 0, capped: false } } }), false);
    assert.equal(isBlocking({ ...drop, evidence: { values: { value: 2, capped: false } } }), true);
    assert.equal(isBlocking({ ...drop, evidence: { unknown: 'timed out' } }), true);
    assert.equal(isBlocking(hazard('LK-03', 'table:"public"."t"', 'rewrite')), false);
    const { hazards, unused } = applyAccepts([drop], [
      { code: 'DL-02', object: 'public.t.c', source: 'x' },
      { code: 'DL-02', object: 'public.t.C', source: 'y' },
    ]);
    assert.equal(hazards[0]?.accepted, 'directive');
    assert.equal(isBlocking(hazards[0] ?? drop), false);
    assert.deepEqual(unused.map((a) => a.source), ['y'], 'names are case-sensitive');
  });
});

describe('pgdrift:expect', () => {
  it('takes the last comparison on the line, so the query may end in one', () => {
    assert.deepEqual(parseExpectation('-- pgdrift:expect SELECT count(*) FROM t WHERE x = 0 = 0'), { sql: 'SELECT count(*) FROM t WHERE x = 0', op: '=', value: 0 });
    assert.deepEqual(parseExpectation('--pgdrift:expect SELECT count(*) FROM t >= 10000'), { sql: 'SELECT count(*) FROM t', op: '>=', value: 10000 });
    assert.equal(parseExpectation('-- pgdrift:expect SELECT 1'), undefined);
    assert.equal(parseExpectation('SELECT 1 = 1'), undefined);
  });

  it('renders on one line what it parses back', () => {
    const e = { sql: 'SELECT count(*)\n  FROM t', op: '<=' as const, value: 2 };
    assert.equal(renderExpectation(e), '-- pgdrift:expect SELECT count(*) FROM t <= 2');
    assert.deepEqual(parseExpectation(renderExpectation(e)), { ...e, sql: 'SELECT count(*) FROM t' });
  });
});
