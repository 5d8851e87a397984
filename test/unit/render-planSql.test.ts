import assert from 'node:assert/strict';
import { renderPlanSql, renderStatement } from '../../src/core/plan';
import type { Plan, PlannedStatement } from '../../src/core/plan/types';

function planned(sql: string, extra: Partial<PlannedStatement> = {}): PlannedStatement {
  return { sql, object: 'table:"public"."t"', action: 'alter', phase: 'expand', change: 'table:"public"."t"', ...extra };
}

describe('plan rendering', () => {
  it('prints a statement that fits on a line as it is', () => {
    assert.equal(renderStatement(planned('ALTER TABLE "public"."t" DROP COLUMN "x"')), 'ALTER TABLE "public"."t" DROP COLUMN "x";');
  });

  it('lays out a long statement with sql-formatter', () => {
    const sql = `ALTER TABLE "public"."orders" ADD CONSTRAINT "orders_amount_check" CHECK (amount >= 0::numeric AND amount < 1000000::numeric AND currency = ANY (ARRAY['EUR'::text, 'USD'::text, 'ZAR'::text]))`;
    const out = renderStatement(planned(sql));
    assert.ok(out.includes('\n'), out);
    assert.equal(out.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')'), `${sql};`.replace(/\s+/g, ' '));
  });

  it('keeps a statement that has its own layout (a view, a function) as it is', () => {
    const view = 'CREATE VIEW "public"."v" AS\n SELECT t.id\n   FROM public.t';
    assert.equal(renderStatement(planned(view)), `${view};`);
  });

  it('marks phases, statements outside a transaction, and switches off function body checks', () => {
    const plan: Plan = {
      changes: [],
      statements: [
        planned(`ALTER TYPE "public"."s" ADD VALUE 'x' AFTER 'a'`, { transactional: false }),
        planned('CREATE OR REPLACE FUNCTION public.f()\n RETURNS integer\n LANGUAGE sql\nAS $function$SELECT 1$function$', { phase: 'routines', action: 'create', object: 'function:"public"."f"()' }),
        planned('DROP TABLE "public"."old"', { phase: 'contract', action: 'drop' }),
      ],
    };
    const lines = renderPlanSql(plan).split('\n');
    assert.deepEqual(lines.filter((l) => l.startsWith('-- pgdrift:') || l.startsWith('SET ')), [
      'SET check_function_bodies = off;',
      '-- pgdrift:phase expand', '-- pgdrift:no-transaction',
      '-- pgdrift:phase routines',
      '-- pgdrift:phase contract',
    ]);
  });

  it('says so when there is nothing to do', () => {
    assert.equal(renderPlanSql({ changes: [], statements: [] }), '-- pgdrift: no differences, nothing to do\n');
  });
});
