/**
 * Reading the catalog inside a transaction that is already open (a rehearsal). introspect() and
 * the probes bracket their reads with BEGIN … COMMIT; inside an open transaction PostgreSQL would
 * only warn about that BEGIN ("there is already a transaction in progress") and the COMMIT would
 * then commit the rehearsal. Here BEGIN becomes a savepoint, and COMMIT as well as ROLLBACK roll
 * back to it: the reads wrote nothing, and rolling back also undoes their SET LOCAL (introspect()
 * sets search_path to pg_catalog, which would otherwise stay for the rest of the rehearsal).
 */
import type { QueryResult, Queryable } from '../db/queryable';

const SAVEPOINT = 'pgdrift_nested_read';

export function insideTransaction(q: Queryable): Queryable {
  return {
    async query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const verb = /^\s*(begin|start\s+transaction|commit|end|rollback)\b/i.exec(sql)?.[1]?.toLowerCase();
      if (verb === undefined) return q.query<R>(sql, params);
      // Isolation and READ ONLY cannot change inside a transaction; the snapshot is the rehearsal's.
      if (verb === 'begin' || verb.startsWith('start')) return q.query<R>(`SAVEPOINT ${SAVEPOINT}`);
      await q.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      return q.query<R>(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    },
  };
}
