/**
 * One object's DDL as it stands in one model: what the editor shows side by side for a change.
 * Written by the planner itself (a plan from an empty model to a model holding only the object and
 * its members), so it is the same SQL a migration would run to create it, laid out as the plan
 * script lays out its statements. A column's DDL is its table's; a table's or a view's includes
 * its constraints, indexes, triggers and policies.
 */
import { quoteIdent } from '../model/ids';
import type { ObjectId, SchemaModel } from '../model/types';
import { planMigration, renderStatement } from '../plan';
import { parseId } from './objectName';

const MEMBER_KINDS = new Set(['column', 'constraint', 'index', 'trigger', 'policy']);

export function emptyModel(): SchemaModel {
  return {
    schemas: [], extensions: [], enums: [], domains: [], composites: [], sequences: [], tables: [],
    constraints: [], indexes: [], views: [], routines: [], triggers: [], policies: [], dependencies: [],
  };
}

/** The id whose DDL shows `id`: a column's table; anything else itself. */
export function ddlObjectOf(id: ObjectId): ObjectId {
  const { kind, parts } = parseId(id);
  if (kind === 'column' && parts.length === 3) return `table:${parts.slice(0, 2).map(quoteIdent).join('.')}`;
  return id;
}

/** The CREATE statements of `id` in `model` (with its members), or undefined when the model has no such object. */
export function renderObjectDdl(model: SchemaModel, id: ObjectId): string | undefined {
  const target = ddlObjectOf(id);
  const only = emptyModel();
  const own = <T extends { id: ObjectId }>(list: readonly T[]): T[] => list.filter((o) => o.id === target);
  only.schemas = own(model.schemas);
  only.extensions = own(model.extensions);
  only.enums = own(model.enums);
  only.domains = own(model.domains);
  only.composites = own(model.composites);
  only.sequences = own(model.sequences);
  only.tables = own(model.tables);
  only.views = own(model.views);
  only.routines = own(model.routines);
  const relation = only.tables.length > 0 || only.views.length > 0;
  const mine = <T extends { id: ObjectId; table: ObjectId }>(list: readonly T[]): T[] => list.filter((o) => o.id === target || (relation && o.table === target));
  only.constraints = mine(model.constraints);
  only.indexes = mine(model.indexes);
  only.triggers = mine(model.triggers);
  only.policies = mine(model.policies);
  const found = [only.schemas, only.extensions, only.enums, only.domains, only.composites, only.sequences, only.tables, only.views,
    only.routines, only.constraints, only.indexes, only.triggers, only.policies].some((list) => list.length > 0);
  if (!found) return undefined;
  // A member alone (an index, a trigger) is created on a table the empty model does not have:
  // the planner only needs the table to exist for the statement to be written.
  if (!relation && MEMBER_KINDS.has(parseId(target).kind)) {
    const member = [...only.constraints, ...only.indexes, ...only.triggers, ...only.policies][0];
    const table = member ? model.tables.find((t) => t.id === member.table) ?? model.views.find((v) => v.id === member.table) : undefined;
    if (table) {
      const base = emptyModel();
      if ('columns' in table && model.tables.includes(table as never)) {
        base.tables = [table as never];
        only.tables = [table as never];
      } else {
        base.views = [table as never];
        only.views = [table as never];
      }
      return statementsOf(base, only);
    }
  }
  return statementsOf(emptyModel(), only);
}

function statementsOf(from: SchemaModel, to: SchemaModel): string {
  const plan = planMigration(from, to, { owners: false, privileges: false });
  const statements = plan.statements.filter((s) => s.expect === undefined).map(renderStatement);
  return `${statements.join('\n\n')}\n`;
}
