import { strict as assert } from 'node:assert';
import type { Constraint, SchemaModel, Table } from '../../src/core/model/types';
import { ddlObjectOf, emptyModel, renderObjectDdl } from '../../src/core/render/objectDdl';

const TABLE = 'table:"public"."OvertimeSettings"';
const table: Table = {
  id: TABLE, schema: 'public', name: 'OvertimeSettings', kind: 'table', owner: 'postgres', rowSecurity: false, forceRowSecurity: false,
  columns: [{ name: 'id', type: 'integer', notNull: true }, { name: 'overtimeMode', type: 'text', notNull: false }],
};
const pkey: Constraint = {
  id: 'constraint:"public"."OvertimeSettings"."OvertimeSettings_pkey"', table: TABLE, name: 'OvertimeSettings_pkey', kind: 'primary key',
  definition: 'PRIMARY KEY (id)', columns: ['id'], deferrable: false, initiallyDeferred: false, validated: true, enforced: true,
};
const other: Table = { ...table, id: 'table:"public"."other"', name: 'other', columns: [{ name: 'x', type: 'integer', notNull: false }] };
const model: SchemaModel = { ...emptyModel(), tables: [table, other], constraints: [pkey] };

describe('object DDL (side-by-side view)', () => {
  it('a table with its constraints, written by the planner, and nothing else of the model', () => {
    const ddl = renderObjectDdl(model, TABLE);
    assert.ok(ddl, 'found');
    assert.match(ddl, /^CREATE TABLE "public"\."OvertimeSettings" \(/m, ddl);
    assert.match(ddl, /"overtimeMode" text/, ddl);
    assert.match(ddl, /PRIMARY KEY \(id\)/, ddl);
    assert.doesNotMatch(ddl, /other/, ddl);
  });

  it('a column shows its table; an object the model lacks has no DDL', () => {
    assert.equal(ddlObjectOf('column:"public"."OvertimeSettings"."overtimeMode"'), TABLE);
    assert.equal(renderObjectDdl(model, 'column:"public"."OvertimeSettings"."overtimeMode"'), renderObjectDdl(model, TABLE));
    assert.equal(renderObjectDdl(model, 'table:"public"."missing"'), undefined);
  });

  it('a constraint alone is its own statement', () => {
    const ddl = renderObjectDdl(model, pkey.id);
    assert.ok(ddl);
    assert.match(ddl, /ADD CONSTRAINT "OvertimeSettings_pkey" PRIMARY KEY \(id\)/, ddl);
    assert.doesNotMatch(ddl, /CREATE TABLE/, ddl);
  });
});
