import { strict as assert } from 'node:assert';
import type { Inspection, SchemaModel } from '../../src/core/model/types';
import type { Plan } from '../../src/core/plan/types';
import { profileTargetOf, renderPlanScript } from '../../src/core/render/planScript';

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
    assert.deepEqual(lines.slice(0, 3), [
      '-- pgdrift plan for 127.0.0.1:5432/prod (PostgreSQL 18.4, sha256:aa)',
      '-- to match 127.0.0.1:5432/dev (PostgreSQL 18.4, sha256:bb)',
      '-- pgdrift:fingerprint sha256:aa',
    ]);
    assert.ok(lines.includes('-- pgdrift:phase expand'));
    assert.ok(lines.includes('CREATE TABLE public.t ();'));
  });

  it('names the target profile after the fingerprint when --from is a profile', () => {
    const lines = renderPlanScript({ changes: [], statements: [] }, side('prod', 'sha256:aa'), side('dev', 'sha256:bb'), { target: 'production' }).split('\n');
    assert.deepEqual(lines.slice(2, 4), ['-- pgdrift:fingerprint sha256:aa', '-- pgdrift:target production']);
    assert.equal(profileTargetOf('profile:production'), 'production');
    assert.equal(profileTargetOf('postgres://h/db'), undefined);
    assert.equal(profileTargetOf('./schema.sql'), undefined);
  });

  it('writes hazards above their statement with what the plan does about them, blocking ones in the header, and expectations as directives', () => {
    const column = 'column:"public"."t"."c"';
    const drop = { code: 'DL-02' as const, severity: 'data-loss' as const, object: column, evidence: { values: { value: 2, capped: false } } };
    const plan: Plan = {
      changes: [{ id: column, kind: 'column', action: 'drop', details: [], statements: [] }],
      statements: [
        { sql: 'SELECT count(*) FROM (SELECT 1 FROM public.t t WHERE t.c IS NOT NULL LIMIT 3) s', expect: { op: '=', value: 2 }, object: column, action: 'alter', phase: 'preflight', change: column },
        { sql: 'ALTER TABLE public.t DROP COLUMN c', object: column, action: 'drop', phase: 'contract', change: column,
          hazards: [{ ...drop, message: 'Dropping c deletes 2 non-null values.', remedy: 'backed up first: 2 rows into pgdrift_backup."public.t.c@aa"' }] },
        { sql: 'ALTER TABLE public.t DROP COLUMN d', object: 'column:"public"."t"."d"', action: 'drop', phase: 'contract', change: column,
          hazards: [{ ...drop, object: 'column:"public"."t"."d"', message: 'Dropping d deletes 2 non-null values.', accepted: 'directive' }] },
      ],
    };
    const text = renderPlanScript(plan, side('prod', 'sha256:aa'), side('dev', 'sha256:bb'));
    assert.match(text, /^-- pgdrift:accept DL-02 public\.t\.d$/m, 'the accepts travel with the file');
    assert.match(text, /^-- BLOCKED: 1 data-loss or failure hazard not accepted; .*\n--   DL-02 public\.t\.c  \(pgdrift plan --accept DL-02:public\.t\.c\)$/m);
    assert.match(text, /^-- pgdrift:expect SELECT count\(\*\) FROM \(SELECT 1 FROM public\.t t WHERE t\.c IS NOT NULL LIMIT 3\) s = 2$/m);
    assert.ok(text.includes([
      '-- hazard DL-02 (data-loss): Dropping c deletes 2 non-null values.',
      '--   remedy: backed up first: 2 rows into pgdrift_backup."public.t.c@aa"',
      '--   blocking until accepted: -- pgdrift:accept DL-02 public.t.c',
      'ALTER TABLE public.t DROP COLUMN c;',
      '-- hazard DL-02 (data-loss): Dropping d deletes 2 non-null values.',
      '--   accepted (by name)',
      'ALTER TABLE public.t DROP COLUMN d;',
    ].join('\n')), text);
  });

  it('an empty plan is a script that says there is nothing to do and holds no statement', () => {
    const text = renderPlanScript({ changes: [], statements: [] }, side('prod', 'sha256:aa'), side('dev', 'sha256:aa'));
    assert.match(text, /^-- pgdrift: no differences, nothing to do$/m);
    assert.ok(text.split('\n').every((line) => line === '' || line.startsWith('--')), text);
  });
});
