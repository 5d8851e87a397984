import { strict as assert } from 'node:assert';
import type { Inspection, SchemaModel } from '../../src/core/model/types';
import type { Plan } from '../../src/core/plan/types';
import { renderPlanScript } from '../../src/core/render/planScript';

const model = {} as SchemaModel;
const side = (database: string, fingerprint: string): { inspection: Inspection; where: string } => ({
  inspection: { source: { database, serverVersion: '18.4', serverVersionNum: 180004 }, fingerprint, model },
  where: `127.0.0.1:5432/${database}`,
});

describe('plan script', () => {
  it('names both databases and the fingerprint of the one it was written for, then the plan by phase', () => {
    const plan: Plan = {
      changes: [{ id: 'table:"public"."t"', kind: 'table', action: 'create', details: [], statements: [] }],
      statements: [{ sql: 'CREATE TABLE public.t ()', object: 'table:"public"."t"', action: 'create', phase: 'expand', change: 'table:"public"."t"' }],
    };
    const lines = renderPlanScript(plan, side('prod', 'sha256:aa'), side('dev', 'sha256:bb')).split('\n');
    assert.deepEqual(lines.slice(0, 2), [
      '-- pgdrift plan for 127.0.0.1:5432/prod (PostgreSQL 18.4, sha256:aa)',
      '-- to match 127.0.0.1:5432/dev (PostgreSQL 18.4, sha256:bb)',
    ]);
    assert.ok(lines.includes('-- pgdrift:phase expand'));
    assert.ok(lines.includes('CREATE TABLE public.t ();'));
  });

  it('an empty plan is a script that says there is nothing to do and holds no statement', () => {
    const text = renderPlanScript({ changes: [], statements: [] }, side('prod', 'sha256:aa'), side('dev', 'sha256:aa'));
    assert.match(text, /^-- pgdrift: no differences, nothing to do$/m);
    assert.ok(text.split('\n').every((line) => line === '' || line.startsWith('--')), text);
  });
});
