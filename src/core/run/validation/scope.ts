/**
 * The validation's reads, in a transaction of their own that writes nothing. After a committed
 * phase that is a fresh REPEATABLE READ, READ ONLY transaction, so every count sees one snapshot.
 * Inside a rehearsal's open transaction it is a savepoint (insideTransaction): the reads see the
 * rehearsed, uncommitted changes, and a read that fails (a lock timeout, a permission) rolls back to
 * the savepoint instead of aborting the rehearsal; the SET LOCALs are undone with it.
 */
import type { Queryable } from '../../db/queryable';
import { insideTransaction } from '../nested';

/** Waiting behind another session's lock to count a table is not worth stalling a run for. */
export const VALIDATION_LOCK_TIMEOUT_MS = 5_000;
export const VALIDATION_STATEMENT_TIMEOUT_MS = 120_000;

export async function readScope<T>(q: Queryable, inTransaction: boolean, read: (q: Queryable) => Promise<T>): Promise<T> {
  const db = inTransaction ? insideTransaction(q) : q;
  await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    await db.query(`SET LOCAL lock_timeout = ${VALIDATION_LOCK_TIMEOUT_MS}`);
    await db.query(`SET LOCAL statement_timeout = ${VALIDATION_STATEMENT_TIMEOUT_MS}`);
    const result = await read(db);
    await db.query('COMMIT');
    return result;
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
