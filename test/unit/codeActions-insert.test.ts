import assert from 'node:assert/strict';
import type { Change, Plan, PlannedStatement } from '../../src/core/plan/types';
import { changeInText, indexPlan, rankEntries, requirementsOf, statementsFor } from '../../src/extension/codeActions/pendingChanges';
import { renderAll, renderSome } from '../../src/extension/codeActions/renderInsert';
import { contextAt, insertionAt, nameChains, squeeze, statementAt, statementSpans } from '../../src/extension/codeActions/sqlText';
import { renderPlanSql } from '../../src/core/plan';

describe('code actions: reading SQL text', () => {
  it('ends statements at semicolons outside strings, quoted names, dollar quotes and comments', () => {
    const text = `SELECT ';' AS "a;b"; -- x;y\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n/* a; /* nested; */ b; */ SELECT E'\\';';\nSELECT 2`;
    const spans = statementSpans(text).map((s) => text.slice(s.start, s.end));
    assert.deepEqual(spans, [
      `SELECT ';' AS "a;b";`,
      'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;',
      `SELECT E'\\';';`,
      'SELECT 2',
    ]);
    assert.deepEqual(statementAt(text, text.indexOf('AS "a')), statementSpans(text)[0]);
    assert.equal(statementAt(text, text.indexOf('-- x')), undefined);
  });

  it('reads dotted names, quoted or not', () => {
    assert.deepEqual(nameChains('ALTER TABLE public."Role" ADD x; -- "Job"."status"').map((c) => c.map((p) => `${p.quoted ? 'q' : ''}${p.name}`).join('.')),
      ['ALTER', 'TABLE', 'public.qRole', 'ADD', 'x', 'qJob.qstatus']);
  });

  it('takes the statement at the cursor, or its line between statements', () => {
    const text = 'SELECT 1;\n-- about "Role"\nSELECT *\n  FROM t;';
    assert.equal(contextAt(text, text.indexOf('FROM')), 'SELECT *\n  FROM t;');
    assert.equal(contextAt(text, text.indexOf('about')), '-- about "Role"');
  });

  it('inserts after the statement the cursor is in, with one blank line around, and nothing else into an empty file', () => {
    assert.deepEqual(insertionAt('', 0, 'X;\n'), { offset: 0, text: 'X;\n' });
    const text = 'SELECT 1\n  + 2;\nSELECT 3;\n';
    assert.deepEqual(insertionAt(text, 3, 'X;'), { offset: text.indexOf('SELECT 3'), text: '\nX;\n\n' });
    // At the end, after the last statement: a blank line before.
    assert.deepEqual(insertionAt(text, text.length, 'X;'), { offset: text.length, text: '\nX;\n' });
    // Without a final newline.
    assert.deepEqual(insertionAt('SELECT 1;', 9, 'X;'), { offset: 9, text: '\n\nX;\n' });
    // On a blank line between two statements: there, the blank line before kept.
    const spaced = 'SELECT 1;\n\n\nSELECT 2;\n';
    assert.deepEqual(insertionAt(spaced, spaced.indexOf('\n\nSELECT 2') + 1, 'X;'), { offset: spaced.indexOf('\n\nSELECT 2') + 1, text: 'X;\n' });
  });
});

const ROLE = 'table:"public"."Role"';
const ROLE_PK = 'constraint:"public"."Role"."Role_pkey"';
const USER_ROLE = 'table:"public"."UserRole"';
const USER_ROLE_FK = 'constraint:"public"."UserRole"."UserRole_role_fkey"';
const MODE = 'column:"public"."OvertimeSettings"."overtimeMode"';

function st(change: string, sql: string, extra: Partial<PlannedStatement> = {}): PlannedStatement {
  return { sql, object: change, action: 'create', phase: 'expand', change, ...extra };
}

function samplePlan(): Plan {
  const statements: PlannedStatement[] = [
    st(ROLE, 'CREATE TABLE "public"."Role" (\n  "id" integer NOT NULL\n)'),
    st(USER_ROLE, 'CREATE TABLE "public"."UserRole" (\n  "id" integer NOT NULL,\n  "role" integer\n)'),
    st(ROLE_PK, 'ALTER TABLE "public"."Role" ADD CONSTRAINT "Role_pkey" PRIMARY KEY (id)', { needs: [ROLE] }),
    st(USER_ROLE_FK, 'ALTER TABLE "public"."UserRole" ADD CONSTRAINT "UserRole_role_fkey" FOREIGN KEY (role) REFERENCES public."Role"(id)', { needs: [USER_ROLE, ROLE, ROLE_PK] }),
    st(MODE, 'ALTER TABLE "public"."OvertimeSettings" DROP COLUMN "overtimeMode"', {
      action: 'drop', phase: 'contract',
      hazards: [{ code: 'DL-02', severity: 'data-loss', object: MODE, message: 'Dropping "public"."OvertimeSettings"."overtimeMode" loses 2 non-null values' }],
    }),
  ];
  const change = (id: string, kind: Change['kind'], action: Change['action'], parent?: string): Change => ({
    id, kind, action, details: [], statements: statements.filter((s) => s.change === id), ...(parent ? { parent } : {}),
  });
  return {
    changes: [change(MODE, 'column', 'drop', 'table:"public"."OvertimeSettings"'), change(ROLE_PK, 'constraint', 'create', ROLE), change(USER_ROLE_FK, 'constraint', 'create', USER_ROLE), change(ROLE, 'table', 'create'), change(USER_ROLE, 'table', 'create')],
    statements,
  };
}

describe('code actions: pending changes', () => {
  it('offers the objects of the tree, a table with its members, the ones named at the cursor first', () => {
    const index = indexPlan(samplePlan());
    assert.deepEqual(index.entries.map((e) => e.label), [
      'alter table public."OvertimeSettings": 1 column',
      'create table public."Role" with 1 constraint',
      'create table public."UserRole" with 1 constraint',
    ]);
    const ranked = rankEntries(index, 'INSERT INTO "UserRole" VALUES (1);');
    assert.equal(ranked.named, 1);
    assert.deepEqual(ranked.entries.map((e) => e.id), [USER_ROLE, USER_ROLE_FK, 'table:"public"."OvertimeSettings"', ROLE]);
    // Who needs a named table comes right after it: the foreign key of UserRole needs "Role".
    assert.deepEqual(rankEntries(index, 'SELECT * FROM public."Role"').entries.map((e) => e.id), [ROLE, ROLE_PK, USER_ROLE, 'table:"public"."OvertimeSettings"']);
    // A quoted name is exact, a schema must match.
    assert.equal(rankEntries(index, 'SELECT * FROM "role"').named, 0);
    assert.equal(rankEntries(index, 'SELECT * FROM other."Role"').named, 0);
    assert.equal(rankEntries(index, 'SELECT * FROM role').named, 1);
  });

  it('brings the changes a change needs, unless they are in the file already', () => {
    const index = indexPlan(samplePlan());
    assert.deepEqual(requirementsOf(index, [USER_ROLE, USER_ROLE_FK], () => false), [ROLE, ROLE_PK]);
    const file = squeeze('CREATE TABLE "public"."Role" ("id" integer NOT NULL);');
    assert.equal(changeInText(index, ROLE, file), true);
    assert.deepEqual(requirementsOf(index, [USER_ROLE_FK], (c) => changeInText(index, c, file)), [USER_ROLE, ROLE_PK]);
    const statements = statementsFor(index, [USER_ROLE, ROLE_PK, USER_ROLE_FK], file);
    assert.deepEqual(statements.map((s) => s.change), [USER_ROLE, ROLE_PK, USER_ROLE_FK]);
  });

  it('renders statements as the plan does, a blank line between them, without phase markers', () => {
    const plan = samplePlan();
    const text = renderSome(plan.statements.filter((s) => s.change === ROLE || s.change === MODE), false);
    assert.equal(text, [
      'CREATE TABLE "public"."Role" (\n  "id" integer NOT NULL\n);',
      '',
      '-- hazard DL-02 (data-loss): Dropping "public"."OvertimeSettings"."overtimeMode" loses 2 non-null values',
      '--   blocking until accepted: -- pgdrift:accept DL-02 public.OvertimeSettings.overtimeMode',
      'ALTER TABLE "public"."OvertimeSettings" DROP COLUMN "overtimeMode";',
      '',
    ].join('\n'));
    assert.equal(renderAll(plan), renderPlanSql(plan));
  });
});
