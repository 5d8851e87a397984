import { strict as assert } from 'node:assert';
import { DIFF_JSON_FORMAT, renderDiffJson } from '../../src/core/render/diffJson';
import type { Inspection, SchemaModel } from '../../src/core/model/types';
import type { Plan } from '../../src/core/plan/types';

const emptyModel: SchemaModel = {
  schemas: [], extensions: [], enums: [], domains: [], composites: [], sequences: [], tables: [],
  constraints: [], indexes: [], views: [], routines: [], triggers: [], policies: [], dependencies: [],
};

function inspection(database: string, fingerprint: string): Inspection {
  return { source: { database, serverVersion: '15.18 (Debian 15.18-0+deb12u1)', serverVersionNum: 150018 }, fingerprint, model: emptyModel };
}

const from = inspection('erp_production', 'sha256:aaa');
const to = inspection('erp_local', 'sha256:bbb');

const plan: Plan = {
  changes: [
    {
      id: 'column:"public"."job"."status"', kind: 'column', action: 'alter', parent: 'table:"public"."job"',
      details: ['type: text → "JobStatus"'], statements: [],
    },
    {
      id: 'view:"public"."job_list"', kind: 'view', action: 'recreate', cause: 'column:"public"."job"."status"',
      details: [], statements: [],
    },
    {
      id: 'index:"public"."job_status_idx"', kind: 'index', action: 'create', parent: 'table:"public"."job"',
      details: [], statements: [],
    },
  ],
  statements: [
    { sql: 'DROP VIEW public.job_list', object: 'view:"public"."job_list"', action: 'drop', phase: 'expand', change: 'view:"public"."job_list"' },
    { sql: 'ALTER TABLE public.job ALTER COLUMN status TYPE "JobStatus" USING status::"JobStatus"', object: 'column:"public"."job"."status"', action: 'alter', phase: 'expand', change: 'column:"public"."job"."status"' },
    { sql: 'CREATE VIEW public.job_list AS SELECT 1', object: 'view:"public"."job_list"', action: 'create', phase: 'expand', change: 'view:"public"."job_list"' },
    { sql: 'CREATE INDEX CONCURRENTLY job_status_idx ON public.job (status)', object: 'index:"public"."job_status_idx"', action: 'create', phase: 'expand', change: 'index:"public"."job_status_idx"', transactional: false },
  ],
};

describe('diff JSON renderer', () => {
  it('has the documented shape, keys in the documented order, optional keys left out', () => {
    const text = renderDiffJson(plan, from, to);
    const doc = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc), ['format', 'from', 'to', 'changes', 'statements']);
    assert.equal(doc.format, DIFF_JSON_FORMAT);
    assert.deepEqual(doc.from, { database: 'erp_production', serverVersion: '15.18 (Debian 15.18-0+deb12u1)', fingerprint: 'sha256:aaa' });
    const changes = doc.changes as Record<string, unknown>[];
    assert.deepEqual(changes.map((c) => Object.keys(c)), [
      ['id', 'kind', 'action', 'parent', 'details', 'statements'],
      ['id', 'kind', 'action', 'cause', 'details', 'statements'],
      ['id', 'kind', 'action', 'parent', 'details', 'statements'],
    ]);
    const statements = doc.statements as Record<string, unknown>[];
    assert.deepEqual(statements.map((s) => Object.keys(s)), [
      ['sql', 'phase', 'action', 'object', 'change'],
      ['sql', 'phase', 'action', 'object', 'change'],
      ['sql', 'phase', 'action', 'object', 'change'],
      ['sql', 'phase', 'action', 'object', 'change', 'transactional'],
    ]);
    assert.equal(statements[3]?.transactional, false);
    assert.ok(text.endsWith('}\n'));
  });

  it('gives each change its own statements in run order, with the phase they run in', () => {
    const doc = JSON.parse(renderDiffJson(plan, from, to)) as { changes: { id: string; statements: unknown[] }[] };
    const view = doc.changes.find((c) => c.id === 'view:"public"."job_list"');
    assert.deepEqual(view?.statements, [
      { sql: 'DROP VIEW public.job_list', phase: 'expand', action: 'drop' },
      { sql: 'CREATE VIEW public.job_list AS SELECT 1', phase: 'expand', action: 'create' },
    ]);
  });

  it('the same plan always gives byte-identical text, and an empty plan a valid document', () => {
    assert.equal(renderDiffJson(plan, from, to), renderDiffJson(structuredClone(plan), from, to));
    const empty = JSON.parse(renderDiffJson({ changes: [], statements: [] }, from, to)) as Record<string, unknown>;
    assert.deepEqual(empty.changes, []);
    assert.deepEqual(empty.statements, []);
  });
});
