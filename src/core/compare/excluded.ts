/**
 * What leaving changes out (--exclude, unchecked items in the editor) means for the parts of a
 * plan that are not changes of their own: the rows a data statement writes need their table and
 * its new columns, and the validate phase's object counts are those of the plan that runs, not
 * those of the desired state.
 */
import type { PlannedStatement, Plan } from '../plan/types';
import { displayName } from '../render/objectName';
import type { ExcludedChange } from './index';

/**
 * Table id → what of it the plan leaves out: the table's own creation, or a new column the rows
 * would be written to ("column public.t.c"). Data statements for these tables cannot run.
 */
export function leftOutTables(excluded: readonly ExcludedChange[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const { change } of excluded) {
    if (change.kind === 'table' && (change.action === 'create' || change.action === 'recreate')) out.set(change.id, `the creation of ${displayName(change.id)}`);
    else if (change.kind === 'column' && change.action === 'create' && change.parent && !out.has(change.parent)) out.set(change.parent, `column ${displayName(change.id)}`);
  }
  return out;
}

/** The validate expectations' counts of tables and views (remedies.ts counts the desired state's) minus the creations left out, plus the drops left out. */
export function withExcludedObjectCounts(plan: Plan, excluded: readonly ExcludedChange[]): Plan {
  const delta = (kinds: readonly string[]) => excluded.reduce((n, { change }) => {
    if (!kinds.includes(change.kind)) return n;
    return n + (change.action === 'create' ? -1 : change.action === 'drop' ? 1 : 0);
  }, 0);
  const tables = delta(['table']);
  const views = delta(['view', 'materialized view']);
  if (tables === 0 && views === 0) return plan;
  const adjust = (s: PlannedStatement): PlannedStatement => {
    if (!s.expect) return s;
    if (s.object === 'plan:tables') return { ...s, expect: { ...s.expect, value: s.expect.value + tables } };
    if (s.object === 'plan:views') return { ...s, expect: { ...s.expect, value: s.expect.value + views } };
    return s;
  };
  return { ...plan, statements: plan.statements.map(adjust) };
}
