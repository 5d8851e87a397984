/**
 * Shared helpers of the introspection acceptance tests: run DDL in the test database and read the
 * model back, find one object by id, compare an object against an expected partial model, and
 * create cluster-wide roles that are always dropped again.
 */
import { AssertionError, strict as assert } from 'node:assert';
import { Client } from 'pg';
import type { IntrospectOptions } from '../../../src/core/introspect';
import { ids } from '../../../src/core/model/ids';
import type { Dependency, ObjectId, SchemaModel } from '../../../src/core/model/types';
import { inspectDatabase } from '../../support/fixtures';
import type { TestDatabase, TestServer } from '../../support/servers';

/** Introspects with options, through the same connection code the CLI uses. */
export async function inspectWith(db: TestDatabase, options: Partial<IntrospectOptions>): Promise<SchemaModel> {
  return (await inspectDatabase(db, options)).model;
}

/** Runs `sql` (any number of statements) in the test database, then introspects it. */
export async function modelAfter(db: TestDatabase, sql: string): Promise<SchemaModel> {
  if (sql.trim() !== '') await db.exec(sql);
  return (await inspectDatabase(db)).model;
}

/** The one object with this id; fails naming the ids that do exist. */
export function byId<T extends { id: ObjectId }>(items: readonly T[], id: ObjectId): T {
  const found = items.filter((item) => item.id === id);
  if (found.length !== 1) {
    throw new AssertionError({
      message: `expected exactly one object with id ${id}, found ${found.length}; ids present: ${items.map((i) => i.id).join(', ') || '(none)'}`,
    });
  }
  return found[0] as T;
}

/** The column of a table (or view) by name. */
export function columnOf<C extends { name: string }>(relation: { id: ObjectId; columns: readonly C[] }, name: string): C {
  const found = relation.columns.find((c) => c.name === name);
  if (!found) {
    throw new AssertionError({ message: `${relation.id} has no column ${name}; columns: ${relation.columns.map((c) => c.name).join(', ')}` });
  }
  return found;
}

/** Marks a property that must not be present at all (the model omits optional fields). */
export const ABSENT: unique symbol = Symbol('absent');

/**
 * An expected partial model: objects list only the properties that matter (others are not looked
 * at), arrays are compared element by element and must have the same length, ABSENT asks that a
 * property be missing, everything else must be strictly equal.
 */
export type Expect<T> = T extends readonly (infer E)[]
  ? readonly Expect<E>[]
  : T extends object
    ? { readonly [K in keyof T]?: Expect<T[K]> | typeof ABSENT }
    : T;

export function assertMatches<T>(actual: T, expected: Expect<T>, what = 'value'): void {
  const problems: string[] = [];
  match(actual, expected, what, problems);
  if (problems.length > 0) {
    throw new AssertionError({
      message: `${problems.join('\n')}\n--- actual ${what}:\n${JSON.stringify(actual, null, 2)}`,
    });
  }
}

function match(actual: unknown, expected: unknown, path: string, problems: string[]): void {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      problems.push(`${path}: expected an array, got ${JSON.stringify(actual)}`);
      return;
    }
    if (actual.length !== expected.length) {
      problems.push(`${path}: expected ${expected.length} elements ${JSON.stringify(expected)}, got ${actual.length} ${JSON.stringify(actual)}`);
      return;
    }
    expected.forEach((e, i) => match(actual[i], e, `${path}[${i}]`, problems));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      problems.push(`${path}: expected an object, got ${JSON.stringify(actual)}`);
      return;
    }
    const record = actual as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected)) {
      if (value === ABSENT) {
        if (Object.prototype.hasOwnProperty.call(record, key)) {
          problems.push(`${path}.${key}: expected to be absent, got ${JSON.stringify(record[key])}`);
        }
        continue;
      }
      if (!Object.prototype.hasOwnProperty.call(record, key)) {
        problems.push(`${path}.${key}: missing, expected ${JSON.stringify(value)}`);
        continue;
      }
      match(record[key], value, `${path}.${key}`, problems);
    }
    return;
  }
  if (actual !== expected) problems.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** One table-driven case: DDL, the id of the object it creates, and the expected partial object. */
export interface Case<T> {
  title: string;
  sql: string;
  id: ObjectId;
  expected: Expect<T>;
}

/** Declares one test per case: run the DDL, find the object in `pick(model)`, compare. */
export function declareCases<T extends { id: ObjectId }>(
  db: () => TestDatabase,
  pick: (model: SchemaModel) => readonly T[],
  cases: readonly Case<T>[],
): void {
  for (const c of cases) {
    it(c.title, async () => {
      const model = await modelAfter(db(), c.sql);
      assertMatches(byId(pick(model), c.id), c.expected, c.id);
    });
  }
}

/** Whether the model holds this edge (`from` cannot exist without `to`), and with which type. */
export function edge(model: SchemaModel, from: ObjectId, to: ObjectId): Dependency | undefined {
  return model.dependencies.find((d) => d.from === from && d.to === to);
}

export function assertEdge(model: SchemaModel, from: ObjectId, to: ObjectId, type: Dependency['type']): void {
  const found = edge(model, from, to);
  assert.ok(found, `expected a dependency ${from} -> ${to}; edges from ${from}: ${JSON.stringify(model.dependencies.filter((d) => d.from === from))}`);
  assert.equal(found.type, type, `type of dependency ${from} -> ${to}`);
}

/** Every id the model holds, of every kind (columns included), for "never appears" checks. */
export function allIds(model: SchemaModel): Set<ObjectId> {
  const out = new Set<ObjectId>();
  const lists = [
    model.schemas, model.extensions, model.enums, model.domains, model.composites, model.sequences, model.tables,
    model.constraints, model.indexes, model.views, model.routines, model.triggers, model.policies,
  ];
  for (const list of lists) for (const item of list) out.add(item.id);
  // Table columns are edge ends; view columns are not (an edge to one names the view).
  for (const t of model.tables) for (const c of t.columns) out.add(ids.column(t.schema, t.name, c.name));
  return out;
}

let roleCounter = 0;

/**
 * Roles are cluster-wide: each test gets fresh, unique names, dropped after the test (the harness
 * drops the test database first, which removes everything the role owned or was granted in it).
 * Call at suite level, inside describeEachServer; use the returned function inside a test.
 */
export function useRoles(server: TestServer): (db: TestDatabase, base: string) => Promise<string> {
  const created: string[] = [];
  afterEach(async function () {
    if (created.length === 0) return;
    const admin = new Client({ connectionString: server.adminUrl() });
    await admin.connect();
    try {
      for (const role of created.splice(0)) await admin.query(`DROP ROLE IF EXISTS "${role}"`);
    } finally {
      await admin.end();
    }
  });
  return async (db, base) => {
    roleCounter += 1;
    const role = `pgdrift_${base}_${process.pid}_${roleCounter}`;
    created.push(role);
    await db.exec(`CREATE ROLE "${role}"`);
    return role;
  };
}
