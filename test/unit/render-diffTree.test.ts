import { strict as assert } from 'node:assert';
import { renderDiffTree } from '../../src/core/render/diffTree';
import { displayName, memberName, parseId } from '../../src/core/render/objectName';
import type { Change, Plan, PlannedStatement } from '../../src/core/plan/types';

const labels = { from: 'production', to: 'local' };

function change(partial: Partial<Change> & Pick<Change, 'id' | 'kind' | 'action'>): Change {
  return { details: [], statements: [], ...partial };
}

function planned(sql: string, changeId: string, phase: PlannedStatement['phase'], action: PlannedStatement['action'] = 'create'): PlannedStatement {
  return { sql, object: changeId, action, phase, change: changeId };
}

describe('object names for display', () => {
  it('leaves plain lower-case names bare and quotes the rest as PostgreSQL needs', () => {
    assert.equal(displayName('table:"public"."Job"'), 'public."Job"');
    assert.equal(displayName('column:"public"."job"."unit price"'), 'public.job."unit price"');
    assert.equal(displayName('function:"public"."touch"(integer, text)'), 'public.touch(integer, text)');
    assert.equal(displayName('materialized view:"app"."a""b"'), 'app."a""b"');
    assert.equal(memberName('constraint:"public"."job"."job_pkey"'), 'job_pkey');
  });

  it('reads a name holding dots and quotes as one part', () => {
    assert.deepEqual(parseId('table:"a.b"."c""d"'), { kind: 'table', parts: ['a.b', 'c"d'], suffix: '' });
  });
});

describe('diff tree renderer', () => {
  it('an empty plan says there are no differences and nothing else', () => {
    assert.equal(renderDiffTree({ changes: [], statements: [] }, labels), 'production ← local: no differences\n');
  });

  it('groups by kind (objects in id order), nests members under their table, marks actions and explains forced changes', () => {
    const plan: Plan = {
      changes: [
        change({ id: 'view:"public"."open_jobs"', kind: 'view', action: 'drop' }),
        change({ id: 'table:"public"."customer"', kind: 'table', action: 'create', details: ['3 columns'] }),
        change({ id: 'column:"public"."Job"."status"', kind: 'column', action: 'alter', parent: 'table:"public"."Job"', details: ['type: text → "JobStatus"'] }),
        change({ id: 'column:"public"."Job"."priority"', kind: 'column', action: 'create', parent: 'table:"public"."Job"', details: ['type: integer'] }),
        change({ id: 'trigger:"public"."Job"."job_touch"', kind: 'trigger', action: 'create', parent: 'table:"public"."Job"' }),
        change({ id: 'view:"public"."job_list"', kind: 'view', action: 'recreate', cause: 'column:"public"."Job"."status"' }),
        change({ id: 'enum:"public"."JobStatus"', kind: 'enum', action: 'create', details: ["values: 'open', 'done'"] }),
      ],
      statements: [
        planned('DROP VIEW public.job_list', 'view:"public"."job_list"', 'expand', 'drop'),
        planned('CREATE TYPE …', 'enum:"public"."JobStatus"', 'expand'),
        planned('CREATE TABLE …', 'table:"public"."customer"', 'expand'),
        planned('CREATE TRIGGER …', 'trigger:"public"."Job"."job_touch"', 'routines'),
        planned('DROP VIEW public.open_jobs', 'view:"public"."open_jobs"', 'contract', 'drop'),
      ],
    };
    assert.equal(renderDiffTree(plan, labels), [
      'production ← local: 1 enum to create, 1 table to create, 1 to alter, 1 column to create, 1 to alter, '
        + '1 view to recreate, 1 to drop, 1 trigger to create',
      '',
      'enums (1)',
      '  + public."JobStatus"',
      "      values: 'open', 'done'",
      'tables (2)',
      '  ~ public."Job"',
      '      + column priority',
      '          type: integer',
      '      ~ column status',
      '          type: text → "JobStatus"',
      '      + trigger job_touch',
      '  + public.customer',
      '      3 columns',
      'views (2)',
      '  ± public.job_list (recreated because column public."Job".status changes)',
      '  - public.open_jobs',
      '',
      '5 statements: expand 3, routines 1, contract 1',
      '',
    ].join('\n'));
  });

  it('a table with its own change keeps it, and its members still nest under it', () => {
    const plan: Plan = {
      changes: [
        change({ id: 'table:"s"."t"', kind: 'table', action: 'recreate', cause: 'type:"s"."addr"', details: ['partition key: RANGE (a) → LIST (a)'] }),
        change({ id: 'type:"s"."addr"', kind: 'type', action: 'recreate' }),
        change({ id: 'index:"s"."t_a_idx"', kind: 'index', action: 'recreate', parent: 'table:"s"."t"', cause: 'table:"s"."t"' }),
      ],
      statements: [],
    };
    const text = renderDiffTree(plan, labels);
    assert.match(text, /^production ← local: 1 composite type to recreate, 1 table to recreate, 1 index to recreate$/m);
    assert.match(text, /^  ± s\.t \(recreated because composite type s\.addr is recreated\)\n      partition key: RANGE \(a\) → LIST \(a\)\n      ± index t_a_idx \(recreated because table s\.t is recreated\)$/m);
    assert.match(text, /^0 statements$/m);
  });
});
