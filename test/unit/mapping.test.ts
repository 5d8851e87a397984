import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMapping, parseMapping, validateMapping } from '../../src/core/diff/mapping';
import { editDistance, similarity } from '../../src/core/diff/proposals';
import { printed, replaceIdent } from '../../src/core/diff/renames';
import { copyCast, foldName } from '../../src/core/diff/twins';
import { PgdriftError } from '../../src/core/errors';
import type { Column, SchemaModel, Table } from '../../src/core/model/types';

function usage(f: () => unknown, message: string): void {
  assert.throws(f, (e: unknown) => e instanceof PgdriftError && e.code === 'usage' && e.message === message);
}

function column(name: string, type = 'text'): Column {
  return { name, type, notNull: false };
}

function table(schema: string, name: string, columns: Column[]): Table {
  return { id: `table:"${schema}"."${name}"`, schema, name, kind: 'table', columns, rowSecurity: false, forceRowSecurity: false, owner: 'o' };
}

function model(tables: Table[]): SchemaModel {
  return {
    schemas: [], extensions: [], enums: [], domains: [], composites: [], sequences: [], tables, constraints: [], indexes: [], views: [],
    routines: [], triggers: [], policies: [], dependencies: [],
  };
}

describe('mapping file: parsing', () => {
  it('reads all three sections', () => {
    const parsed = parseMapping(JSON.stringify({
      tables: { 'public.employees': 'Employee' },
      columns: { 'public.Employee': { fullname: 'displayName' } },
      casts: { 'public.Employee.id': { invalid: 'map', map: { default: 'gen_random_uuid()' } }, 'public.Employee.n': { invalid: 'null' } },
    }));
    assert.deepEqual(parsed, {
      mapping: { tables: { 'public.employees': 'Employee' }, columns: { 'public.Employee': { fullname: 'displayName' } } },
      casts: { 'public.Employee.id': { invalid: 'map', map: { default: 'gen_random_uuid()' } }, 'public.Employee.n': { invalid: 'null' } },
    });
  });

  it('takes every section as optional', () => {
    assert.deepEqual(parseMapping('{}'), { mapping: { tables: {}, columns: {} }, casts: {} });
  });

  it('says what is wrong and where', () => {
    assert.throws(() => parseMapping('{', 'm.json'), (e: unknown) => e instanceof PgdriftError && e.code === 'usage' && e.message.startsWith('m.json: not valid JSON: '));
    usage(() => parseMapping('[]'), 'pgdrift.mapping.json: (top level): expected an object, found an array');
    usage(() => parseMapping('{"renames": {}}'), 'pgdrift.mapping.json: (top level): unknown key "renames" (expected "tables", "columns", "casts")');
    usage(() => parseMapping('{"tables": {"public.old": 3}}'), 'pgdrift.mapping.json: tables."public.old": expected the new name as a non-empty string, found number 3');
    usage(() => parseMapping('{"tables": {"old": "new"}}'), 'pgdrift.mapping.json: tables."old": expected "schema.table" as the key');
    usage(() => parseMapping('{"columns": {"public.t": {"a": ""}}}'), 'pgdrift.mapping.json: columns."public.t"."a": expected the new name as a non-empty string, found the string ""');
    usage(() => parseMapping('{"casts": {"public.t": {"invalid": "null"}}}'), 'pgdrift.mapping.json: casts."public.t": expected "schema.table.column" as the key');
    usage(() => parseMapping('{"casts": {"public.t.c": {"invalid": "drop"}}}'), 'pgdrift.mapping.json: casts."public.t.c".invalid: expected "fail", "null" or "map", found the string "drop"');
    usage(() => parseMapping('{"casts": {"public.t.c": {"invalid": "null", "map": {}}}}'), 'pgdrift.mapping.json: casts."public.t.c": unknown key "map" (expected "invalid")');
    usage(() => parseMapping('{"casts": {"public.t.c": {"invalid": "map"}}}'), 'pgdrift.mapping.json: casts."public.t.c".map: expected at least one "value": "SQL expression" pair');
  });

  it('loads a file, and names it in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgdrift-mapping-'));
    const path = join(dir, 'pgdrift.mapping.json');
    writeFileSync(path, '{"tables": {"public.a": "b"}}');
    assert.deepEqual(loadMapping(path).mapping.tables, { 'public.a': 'b' });
    writeFileSync(path, '{"tables": 1}');
    usage(() => loadMapping(path), `${path}: tables: expected an object, found number 1`);
    assert.throws(() => loadMapping(join(dir, 'missing.json')), (e: unknown) => e instanceof PgdriftError && e.code === 'usage');
  });
});

describe('mapping file: validation against the models', () => {
  const from = model([table('public', 'employees', [column('id', 'integer'), column('fullname')])]);
  const to = model([table('public', 'Employee', [column('id', 'integer'), column('displayName'), column('n', 'integer')])]);
  const check = (json: object) => validateMapping(parseMapping(JSON.stringify(json)), from, to);

  it('accepts names both models have', () => {
    check({ tables: { 'public.employees': 'Employee' }, columns: { 'public.Employee': { fullname: 'displayName' } }, casts: { 'public.Employee.n': { invalid: 'null' } } });
  });

  it('names the entry the models do not match', () => {
    usage(() => check({ tables: { 'public.employee': 'Employee' } }), 'pgdrift.mapping.json: tables."public.employee": the from-database has no table public.employee');
    usage(() => check({ tables: { 'public.employees': 'Employees' } }), 'pgdrift.mapping.json: tables."public.employees": the desired state has no table public.Employees');
    usage(() => check({ columns: { 'public.Employee': { fullname: 'displayName' } } }), 'pgdrift.mapping.json: columns."public.Employee": the from-database has no table public.Employee');
    usage(() => check({ tables: { 'public.employees': 'Employee' }, columns: { 'public.Employee': { full_name: 'displayName' } } }),
      'pgdrift.mapping.json: columns."public.Employee"."full_name": the from-database has no column full_name in public.employees');
    usage(() => check({ tables: { 'public.employees': 'Employee' }, columns: { 'public.Employee': { fullname: 'name' } } }),
      'pgdrift.mapping.json: columns."public.Employee"."fullname": the desired state has no column name in public.Employee');
    usage(() => check({ casts: { 'public.Employee.x': { invalid: 'null' } } }), 'pgdrift.mapping.json: casts."public.Employee.x": the desired state has no column x in public.Employee');
  });
});

describe('names: folding, similarity, printing, rewriting', () => {
  it('folds case and underscores', () => {
    assert.equal(foldName('companyId'), 'companyid');
    assert.equal(foldName('company_id'), 'companyid');
    assert.equal(foldName('CompanyID'), 'companyid');
  });

  it('calls types close only where the copy cannot fail or change meaning', () => {
    assert.equal(copyCast('uuid', 'uuid'), '');
    assert.equal(copyCast('character varying(20)', 'character varying(40)'), '::character varying(40)');
    assert.equal(copyCast('character varying(20)', 'text'), '::text');
    assert.equal(copyCast('integer', 'bigint'), '::bigint');
    assert.equal(copyCast('integer', 'numeric(12,2)'), '::numeric(12,2)');
    assert.equal(copyCast('bigint', 'integer'), undefined);
    assert.equal(copyCast('text', 'uuid'), undefined);
    assert.equal(copyCast('timestamp without time zone', 'timestamp with time zone'), undefined);
  });

  it('measures name similarity on folded names', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(similarity('usr_name', 'user_name'), 1 / 8);
    assert.ok(similarity('fullname', 'display_name') > 1 / 3);
  });

  it('prints identifiers as quote_ident does', () => {
    assert.equal(printed('fullname'), 'fullname');
    assert.equal(printed('displayName'), '"displayName"');
    assert.equal(printed('user'), '"user"');
    assert.equal(printed('a"b'), '"a""b"');
  });

  it('rewrites an identifier outside string literals, bare or quoted', () => {
    assert.equal(replaceIdent("CHECK ((fullname <> 'fullname'::text))", 'fullname', 'displayName'), `CHECK (("displayName" <> 'fullname'::text))`);
    assert.equal(replaceIdent('lower("Full Name") || fullname_x', 'Full Name', 'name'), 'lower(name) || fullname_x');
    assert.equal(replaceIdent('a.fullname, b.fullnames', 'fullname', 'n'), 'a.n, b.fullnames');
  });
});
