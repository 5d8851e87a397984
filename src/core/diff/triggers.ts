/**
 * Triggers. CREATE OR REPLACE TRIGGER exists only from PostgreSQL 14, so a changed trigger is
 * dropped and created; its enabled state (ALTER TABLE … ENABLE/DISABLE TRIGGER) changes in place.
 * A trigger cloned onto a partition from its partitioned parent comes and goes with the parent's.
 */
import type { Trigger } from '../model/types';
import type { Statement } from '../plan/types';
import { commentAfterCreate, commentChange } from './comments';
import { requirementsOf } from './context';
import { alterStatement, createStatement, dropStatement, sameExcept, type KindDiffer } from './kind';
import { nameOfId, quoteIdent } from './sql';

const ENABLE: Record<Trigger['enabled'], string> = {
  origin: 'ENABLE TRIGGER', disabled: 'DISABLE TRIGGER', replica: 'ENABLE REPLICA TRIGGER', always: 'ENABLE ALWAYS TRIGGER',
};

export const triggers: KindDiffer<Trigger> = {
  list: (model) => model.triggers.filter((t) => !t.inherited),
  kind: () => 'trigger',
  parent: (t) => t.table,
  create(trigger, ctx) {
    const statements: Statement[] = [createStatement(trigger.definition, trigger.id, {
      phase: 'routines', needs: [trigger.table, trigger.function, ...requirementsOf(ctx.to, trigger.id)],
    })];
    if (trigger.enabled !== 'origin') statements.push(enabledStatement(trigger));
    statements.push(...commentAfterCreate(target(trigger), trigger.id, trigger.comment, ctx));
    return statements;
  },
  drop(trigger, ctx) {
    return [dropStatement(`DROP TRIGGER ${quoteIdent(trigger.name)} ON ${nameOfId(trigger.table)}`, trigger.id, {
      holds: [trigger.table, ...requirementsOf(ctx.from, trigger.id)],
    })];
  },
  alter(from, to, ctx) {
    if (!sameExcept(from, to, 'comment', 'enabled')) return 'recreate';
    const statements: Statement[] = [];
    const details: string[] = [];
    if (from.enabled !== to.enabled) {
      statements.push(enabledStatement(to));
      details.push(`enabled: ${from.enabled} → ${to.enabled}`);
    }
    const comment = commentChange(target(to), to.id, from.comment, to.comment, ctx);
    statements.push(...comment.statements);
    details.push(...comment.details);
    return { statements, details };
  },
  droppedWithParent: (t, ctx) => ctx.removed.has(t.table),
};

function target(trigger: Trigger): string {
  return `TRIGGER ${quoteIdent(trigger.name)} ON ${nameOfId(trigger.table)}`;
}

function enabledStatement(trigger: Trigger): Statement {
  return alterStatement(`ALTER TABLE ${nameOfId(trigger.table)} ${ENABLE[trigger.enabled]} ${quoteIdent(trigger.name)}`, trigger.id, {
    phase: 'routines', needs: [trigger.id],
  });
}
