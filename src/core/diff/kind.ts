/**
 * The contract each object kind fulfils: how to create it, drop it, and turn one version into
 * another in place, or say that it cannot be altered and must be recreated. Ordering is not a
 * differ's business: statements declare what they create, drop, need and hold (plan/types.ts).
 */
import type { ObjectId, SchemaModel } from '../model/types';
import type { ObjectKind, Statement } from '../plan/types';
import type { DiffContext } from './context';

export interface Alteration {
  statements: Statement[];
  details: string[];
  /** Ids whose current form goes away although they survive (a column whose type changes). */
  replaces?: ObjectId[];
}

export interface KindDiffer<T extends { id: ObjectId }> {
  list(model: SchemaModel): readonly T[];
  kind(item: T): ObjectKind;
  /** The table or view a sub-object belongs to. */
  parent?(item: T): ObjectId | undefined;
  /** Statements that create the object in its desired form (with its comment and options). */
  create(item: T, ctx: DiffContext): Statement[];
  /** Statements that drop the object in its current form. */
  drop(item: T, ctx: DiffContext): Statement[];
  /** In-place alteration, or 'recreate' when PostgreSQL cannot change the object in place. */
  alter(from: T, to: T, ctx: DiffContext): Alteration | 'recreate';
  /**
   * False when dropping the object is implied by dropping its parent (an index with its table):
   * the drop is then left to the parent's statement, which lists the object among what it drops.
   */
  droppedWithParent?(item: T, ctx: DiffContext): boolean;
}

/** A statement that creates `object` (and whatever else `extra` says). */
export function createStatement(sql: string, object: ObjectId, extra: Partial<Statement> = {}): Statement {
  return { sql, object, action: 'create', phase: 'expand', creates: [object], ...extra };
}

export function dropStatement(sql: string, object: ObjectId, extra: Partial<Statement> = {}): Statement {
  return { sql, object, action: 'drop', phase: 'contract', drops: [object], ...extra };
}

export function alterStatement(sql: string, object: ObjectId, extra: Partial<Statement> = {}): Statement {
  return { sql, object, action: 'alter', phase: 'expand', ...extra };
}

/** Whether two versions of an object are equal apart from the named fields. */
export function sameExcept<T extends object>(a: T, b: T, ...keys: (keyof T)[]): boolean {
  const strip = (o: T) => JSON.stringify(Object.entries(o).filter(([k]) => !keys.includes(k as keyof T)));
  return strip(a) === strip(b);
}
