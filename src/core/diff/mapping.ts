/**
 * pgdrift.mapping.json: renames and cast policies the user declares, read and checked here.
 *
 *   {
 *     "tables":  { "public.employees": "Employee" },
 *     "columns": { "public.Employee": { "fullname": "displayName" } },
 *     "casts":   { "public.Employee.id": { "invalid": "map", "map": { "default": "gen_random_uuid()" } } }
 *   }
 *
 * Every section is optional. Names are unquoted and case-sensitive ("public.Employee" is the
 * table created as "Employee"); a table key is "schema.table" split at the first dot, a column
 * key "schema.table.column" split at the first and the last dot. Column renames are keyed by the
 * table's desired name; a renamed table stays in its schema.
 */
import { readFileSync } from 'node:fs';
import { PgdriftError, messageOf } from '../errors';
import type { SchemaModel, Table } from '../model/types';
import type { CastPolicy, Mapping } from './options';

export interface MappingFile {
  mapping: Mapping;
  casts: Record<string, CastPolicy>;
}

export const MAPPING_FILE = 'pgdrift.mapping.json';

export function loadMapping(path: string): MappingFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PgdriftError('usage', `${path}: cannot read the mapping file: ${messageOf(e)}`, { cause: e });
  }
  return parseMapping(text, path);
}

export function parseMapping(text: string, file: string = MAPPING_FILE): MappingFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PgdriftError('usage', `${file}: not valid JSON: ${messageOf(e)}`, { cause: e });
  }
  const fail = (where: string, what: string): never => {
    throw new PgdriftError('usage', `${file}: ${where}: ${what}`);
  };
  const root = object(json, '(top level)', fail);
  unknownKeys(root, ['tables', 'columns', 'casts'], '(top level)', fail);
  return {
    mapping: { tables: names(root.tables, 'tables', 1, fail), columns: columnMaps(root.columns, fail) },
    casts: casts(root.casts, fail),
  };
}

type Fail = (where: string, what: string) => never;

function object(value: unknown, where: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, `expected an object, found ${describe(value)}`);
  return value as Record<string, unknown>;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : `${typeof value} ${JSON.stringify(value)}`;
}

function unknownKeys(o: Record<string, unknown>, allowed: readonly string[], where: string, fail: Fail): void {
  const extra = Object.keys(o).filter((k) => !allowed.includes(k));
  if (extra.length) fail(where, `unknown key ${JSON.stringify(extra[0])} (expected ${allowed.map((k) => JSON.stringify(k)).join(', ')})`);
}

const at = (section: string, key: string) => `${section}.${JSON.stringify(key)}`;

/** old → new name pairs; `dots` is how many dots each key must have at least (1: "schema.table"). */
function names(value: unknown, section: string, dots: number, fail: Fail): Record<string, string> {
  if (value === undefined) return {};
  const o = object(value, section, fail);
  const out: Record<string, string> = {};
  for (const [key, name] of Object.entries(o)) {
    if (dots > 0 && splitTable(key) === undefined) fail(at(section, key), 'expected "schema.table" as the key');
    if (typeof name !== 'string' || name === '') fail(at(section, key), `expected the new name as a non-empty string, found ${describe(name)}`);
    out[key] = name as string;
  }
  return out;
}

function columnMaps(value: unknown, fail: Fail): Record<string, Record<string, string>> {
  if (value === undefined) return {};
  const out: Record<string, Record<string, string>> = {};
  for (const [table, columns] of Object.entries(object(value, 'columns', fail))) {
    if (splitTable(table) === undefined) fail(at('columns', table), 'expected "schema.table" as the key');
    out[table] = names(columns, at('columns', table), 0, fail);
  }
  return out;
}

function casts(value: unknown, fail: Fail): Record<string, CastPolicy> {
  if (value === undefined) return {};
  const out: Record<string, CastPolicy> = {};
  for (const [key, raw] of Object.entries(object(value, 'casts', fail))) {
    const where = at('casts', key);
    if (splitColumn(key) === undefined) fail(where, 'expected "schema.table.column" as the key');
    const p = object(raw, where, fail);
    if (p.invalid === 'fail' || p.invalid === 'null') {
      unknownKeys(p, ['invalid'], where, fail);
      out[key] = { invalid: p.invalid };
    } else if (p.invalid === 'map') {
      unknownKeys(p, ['invalid', 'map'], where, fail);
      const map = names(p.map, `${where}.map`, 0, fail);
      if (Object.keys(map).length === 0) fail(`${where}.map`, 'expected at least one "value": "SQL expression" pair');
      out[key] = { invalid: 'map', map };
    } else {
      fail(`${where}.invalid`, `expected "fail", "null" or "map", found ${describe(p.invalid)}`);
    }
  }
  return out;
}

/** "public.Employee" → ["public", "Employee"]. */
export function splitTable(key: string): [string, string] | undefined {
  const dot = key.indexOf('.');
  return dot > 0 && dot < key.length - 1 ? [key.slice(0, dot), key.slice(dot + 1)] : undefined;
}

/** "public.Employee.companyId" → ["public", "Employee", "companyId"]. */
export function splitColumn(key: string): [string, string, string] | undefined {
  const first = key.indexOf('.');
  const last = key.lastIndexOf('.');
  if (first <= 0 || last <= first + 1 || last === key.length - 1) return undefined;
  return [key.slice(0, first), key.slice(first + 1, last), key.slice(last + 1)];
}

function findTable(model: SchemaModel, schema: string, name: string): Table | undefined {
  return model.tables.find((t) => t.schema === schema && t.name === name);
}

/**
 * Checks the names against the two models: a renamed table must exist in from and its new name
 * in the desired state; a column rename's table must exist in the desired state (and in from,
 * under its name or its mapped old name), its old column in from and its new one in the desired
 * state; a cast policy's column in the desired state. Throws a usage error naming the entry.
 */
export function validateMapping(file: MappingFile, from: SchemaModel, to: SchemaModel, path: string = MAPPING_FILE): void {
  const fail = (where: string, what: string): never => {
    throw new PgdriftError('usage', `${path}: ${where}: ${what}`);
  };
  const { tables, columns } = file.mapping;
  for (const [key, name] of Object.entries(tables)) {
    const [schema, old] = splitTable(key) ?? fail(at('tables', key), 'expected "schema.table"');
    if (!findTable(from, schema, old)) fail(at('tables', key), `the from-database has no table ${schema}.${old}`);
    if (!findTable(to, schema, name)) fail(at('tables', key), `the desired state has no table ${schema}.${name}`);
    if (findTable(from, schema, name)) fail(at('tables', key), `the from-database already has a table ${schema}.${name}: a table cannot be renamed onto another`);
  }
  for (const [key, renames] of Object.entries(columns)) {
    const [schema, name] = splitTable(key) ?? fail(at('columns', key), 'expected "schema.table"');
    const desired = findTable(to, schema, name) ?? fail(at('columns', key), `the desired state has no table ${schema}.${name}`);
    const oldName = Object.entries(tables).find(([k, v]) => v === name && splitTable(k)?.[0] === schema)?.[0];
    const current = findTable(from, schema, oldName ? (splitTable(oldName)?.[1] ?? name) : name)
      ?? fail(at('columns', key), `the from-database has no table ${schema}.${name}`);
    for (const [old, renamed] of Object.entries(renames)) {
      const where = `${at('columns', key)}.${JSON.stringify(old)}`;
      if (!current.columns.some((c) => c.name === old)) fail(where, `the from-database has no column ${old} in ${schema}.${current.name}`);
      if (!desired.columns.some((c) => c.name === renamed)) fail(where, `the desired state has no column ${renamed} in ${schema}.${name}`);
      if (desired.columns.some((c) => c.name === old)) fail(where, `the desired state still has ${old}: nothing to rename`);
    }
  }
  for (const key of Object.keys(file.casts)) {
    const [schema, table, column] = splitColumn(key) ?? fail(at('casts', key), 'expected "schema.table.column"');
    const desired = findTable(to, schema, table);
    if (!desired?.columns.some((c) => c.name === column)) fail(at('casts', key), `the desired state has no column ${column} in ${schema}.${table}`);
  }
}
