import { strict as assert } from 'node:assert';
import { selectChanges } from '../../src/core/compare';
import { PgdriftError } from '../../src/core/errors';
import type { Constraint, SchemaModel, Table } from '../../src/core/model/types';
import { existedIn, orderChanges, planMigration } from '../../src/core/plan';
import { changesNamed, describeRequirement, forcedExclusions, requiredBack, requirementsOf } from '../../src/core/plan/select';
import type { Change, Statement } from '../../src/core/plan/types';
import { emptyModel } from '../../src/core/render/objectDdl';
import { renderPlanScript } from '../../src/core/render/planScript';

const ENTRY = 'table:"public"."TimeEntry"';
const ROLE = 'table:"public"."Role"';
const ROLE_PKEY = 'constraint:"public"."Role"."Role_pkey"';
const FK = 'constraint:"public"."TimeEntry"."TimeEntry_roleId_fkey"';

function table(name: string, columns: Table['columns']): Table {
  return { id: `table:"public"."${name}"`, schema: 'public', name, kind: 'table', owner: 'postgres', rowSecurity: false, forceRowSecurity: false, columns };
}

function pkey(tableName: string): Constraint {
  return {
    id: `constraint:"public"."${tableName}"."${tableName}_pkey"`, table: `table:"public"."${tableName}"`, name: `${tableName}_pkey`, kind: 'primary key',
    definition: 'PRIMARY KEY (id)', columns: ['id'], deferrable: false, initiallyDeferred: false, validated: true, enforced: true,
  };
}

const entryBefore = table('TimeEntry', [{ name: 'id', type: 'integer', notNull: true }, { name: 'minutes', type: 'integer', notNull: false }]);
const from: SchemaModel = { ...emptyModel(), tables: [entryBefore], constraints: [pkey('TimeEntry')] };
// The desired state: a new table "Role", a new column TimeEntry.roleId and a foreign key to Role.
const to: SchemaModel = {
  ...emptyModel(),
  tables: [
    table('TimeEntry', [...entryBefore.columns, { name: 'roleId', type: 'integer', notNull: false }]),
    table('Role', [{ name: 'id', type: 'integer', notNull: true }, { name: 'name', type: 'text', notNull: true }]),
  ],
  constraints: [pkey('TimeEntry'), pkey('Role'), {
    id: FK, table: ENTRY, name: 'TimeEntry_roleId_fkey', kind: 'foreign key',
    definition: 'FOREIGN KEY ("roleId") REFERENCES "Role"(id)', columns: ['roleId'], deferrable: false, initiallyDeferred: false, validated: true, enforced: true,
    foreignKey: { referencedTable: ROLE, referencedColumns: ['id'], onUpdate: 'no action', onDelete: 'no action', match: 'simple' },
  }],
  // As pg_depend records a foreign key: on the columns it references and on its own column.
  dependencies: [
    { from: FK, to: 'column:"public"."Role"."id"', type: 'normal' },
    { from: FK, to: 'constraint:"public"."Role"."Role_pkey"', type: 'normal' },
    { from: FK, to: 'column:"public"."TimeEntry"."roleId"', type: 'auto' },
  ],
};

describe('leaving changes out of a plan', () => {
  const plan = planMigration(from, to);
  const requirements = requirementsOf(plan.changes, existedIn(from));

  it('a foreign key to a new table needs the table: leaving the table out leaves the key out too', () => {
    assert.ok(plan.changes.some((c) => c.id === ROLE) && plan.changes.some((c) => c.id === FK), plan.changes.map((c) => c.id).join(', '));
    // Role's primary key is a change of its own (added after the table), under the table in the tree.
    const forced = forcedExclusions(requirements, [ROLE]);
    assert.deepEqual(forced.map((f) => [f.change, describeRequirement(f.requirement)]), [
      [ROLE_PKEY, 'needs table public."Role"'],
      [FK, 'needs table public."Role"'],
    ]);
  });

  it('the key does not need the existing table it is on, nor does anything need the key', () => {
    assert.deepEqual(forcedExclusions(requirements, [FK]), []);
    assert.ok(!requirements.some((r) => r.object === ENTRY), JSON.stringify(requirements));
  });

  it('the plan without them is ordered again and never mentions Role; the script lists what is left out', () => {
    const selected = selectChanges(plan, requirements, ['public.Role'], existedIn(from));
    assert.deepEqual(selected.excluded.map((e) => e.change.id), [ROLE_PKEY, FK, ROLE]);
    assert.deepEqual(selected.plan.changes.map((c) => c.id), ['column:"public"."TimeEntry"."roleId"']);
    assert.ok(selected.plan.statements.length > 0);
    assert.ok(selected.plan.statements.every((s) => !s.sql.includes('Role"') && s.change !== FK), selected.plan.statements.map((s) => s.sql).join('\n'));
    const side = (database: string) => ({
      where: `localhost:5432/${database}`,
      inspection: { fingerprint: 'sha256:00', source: { serverVersion: '18.0', serverVersionNum: 180000, database } },
    }) as unknown as Parameters<typeof renderPlanScript>[1];
    const script = renderPlanScript(selected.plan, side('a'), side('b'), { excluded: selected.excluded });
    const header = script.split('\n').slice(3, 7);
    assert.deepEqual(header, [
      '-- left out of this plan (3 changes):',
      '--   create constraint public."Role"."Role_pkey" (needs table public."Role")',
      '--   create constraint public."TimeEntry"."TimeEntry_roleId_fkey" (needs table public."Role"; needs constraint public."Role"."Role_pkey")',
      '--   create table public."Role"',
    ]);
    assert.match(script.split('\n')[7] ?? '', /^-- pgdrift plan: 1 change, 1 statement/);
  });

  it('including the key again brings the table back', () => {
    const out = new Set([FK, ROLE, ROLE_PKEY]);
    assert.deepEqual(requiredBack(requirements, FK, out), [ROLE, ROLE_PKEY]);
    assert.deepEqual(requiredBack(requirements, ROLE_PKEY, out), [ROLE]);
    assert.deepEqual(requiredBack(requirements, ROLE, out), []);
  });

  it('names: the id, schema.name, kind:schema.name, a member; a name of no change is a usage error', () => {
    assert.deepEqual(changesNamed(plan.changes, ROLE), [ROLE]);
    assert.deepEqual(changesNamed(plan.changes, 'public.Role'), [ROLE]);
    assert.deepEqual(changesNamed(plan.changes, 'table:public.Role'), [ROLE]);
    assert.deepEqual(changesNamed(plan.changes, 'public."Role"'), [ROLE]);
    assert.deepEqual(changesNamed(plan.changes, 'public.TimeEntry.TimeEntry_roleId_fkey'), [FK]);
    assert.deepEqual(changesNamed(plan.changes, 'view:public.Role'), []);
    assert.deepEqual(changesNamed(plan.changes, 'public.role'), []);
    assert.throws(() => selectChanges(plan, requirements, ['public.Nope'], existedIn(from)), (e: unknown) => e instanceof PgdriftError && e.code === 'usage' && /public\.Nope/.test(e.message));
  });
});

describe('leaving changes out: drops and forced changes', () => {
  const st = (sql: string, object: string, action: Statement['action'], extra: Partial<Statement> = {}): Statement =>
    ({ sql, object, action, phase: action === 'drop' ? 'contract' : 'expand', ...extra });
  const change = (id: string, statements: Statement[], extra: Partial<Change> = {}): Change =>
    ({ id, kind: 'constraint', action: 'alter', details: [], statements, ...extra });

  it('a statement that runs after a drop is left out with the drop', () => {
    const pk = 'constraint:"public"."t"."t_pkey"';
    const column = 'column:"public"."t"."id"';
    const changes = [
      change(pk, [st('ALTER TABLE t DROP CONSTRAINT t_pkey', pk, 'drop')], { action: 'drop' }),
      change(column, [st('ALTER TABLE t ALTER id DROP NOT NULL', column, 'alter', { afterDropOf: [pk] })], { kind: 'column' }),
    ];
    const requirements = requirementsOf(changes, (id) => id === pk || id === column);
    assert.deepEqual(forcedExclusions(requirements, [pk]).map((f) => [f.change, describeRequirement(f.requirement)]), [[column, 'runs after the drop of constraint public.t.t_pkey']]);
    assert.equal(orderChanges(changes.slice(1), () => true).length, 1);
  });

  it('a change forced by another goes with it, and a view over a retyped column goes with the type change', () => {
    const column = 'column:"public"."t"."c"';
    const view = 'view:"public"."v"';
    const changes = [
      change(column, [st('ALTER c TYPE bigint', column, 'alter', { creates: [column], drops: [column] })], { kind: 'column' }),
      change(view, [st('DROP VIEW v', view, 'drop', { holds: [column] }), st('CREATE VIEW v', view, 'create', { needs: [column] })], { kind: 'view', action: 'recreate', cause: column }),
    ];
    const requirements = requirementsOf(changes, () => true);
    assert.deepEqual(requirements.map((r) => [r.change, r.why, r.object]), [[view, 'cause', column], [view, 'needs', column], [column, 'heldBy', column]]);
    assert.deepEqual(forcedExclusions(requirements, [column]).map((f) => f.change), [view]);
    // The other way round: a view kept as it is still reads the column, which PostgreSQL then refuses to retype.
    const kept = forcedExclusions(requirements, [view]);
    assert.deepEqual(kept.map((f) => [f.change, describeRequirement(f.requirement)]), [[column, 'drops column public.t.c, which view public.v still relies on']]);
    // An object that existed and is only altered in place keeps its form: nothing needs its change.
    const inPlace = [change(column, [st('COMMENT ON c', column, 'alter', { creates: [column] })], { kind: 'column' }), change(view, [st('CREATE VIEW v', view, 'create', { needs: [column] })], { kind: 'view', action: 'create' })];
    assert.deepEqual(requirementsOf(inPlace, () => true), []);
  });
});
