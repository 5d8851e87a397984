/**
 * The one port through which the core talks to a database. A live server (`pg`), an embedded
 * PGlite database and the test harness all implement it, so introspection, probes and the
 * executor never know which one they are talking to.
 */
export interface QueryResult<R> {
  rows: R[];
  /** Rows affected by INSERT/UPDATE/DELETE, or rows returned; null when the server does not say. */
  rowCount: number | null;
  /** The command tag's verb ("INSERT", "ALTER TABLE"), when the driver reports it. */
  command?: string;
}

export interface Queryable {
  query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

/** A Queryable that owns a connection and must be closed. */
export interface Connection extends Queryable {
  close(): Promise<void>;
}

/** Counts statements sent; the benchmark and tests use it to prove a fixed number of catalog queries. */
export class CountingQueryable implements Queryable {
  count = 0;
  constructor(private readonly inner: Queryable) {}

  query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    this.count += 1;
    return this.inner.query<R>(sql, params);
  }
}
