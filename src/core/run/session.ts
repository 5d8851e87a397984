/**
 * The session a run writes through: one connection, its server notices, and cancellation.
 * A statement is cancelled the way psql's Ctrl-C does it, from outside the busy connection:
 * pg_cancel_backend(pid) on a second connection makes the server end the running statement
 * with SQLSTATE 57014 ("canceling statement due to user request"); the transaction is then
 * aborted and the executor rolls it back. A role may cancel its own backends without privileges.
 */
import type { SshRoute } from '../connect/direct';
import { connectTarget } from '../connect/direct';
import type { PgConnection } from '../db/pgConnection';
import type { Queryable } from '../db/queryable';
import type { ConnectionTarget } from '../db/target';
import type { RunSession } from './types';

export type ClosableRunSession = RunSession & { close(): Promise<void>; readonly processId: number };

/** A RunSession over an open connection; `canceller` runs pg_cancel_backend (a second connection). */
export function runSessionOf(connection: PgConnection, canceller: () => Promise<Queryable & { close?: () => Promise<void> }>): ClosableRunSession {
  return {
    processId: connection.processId,
    query: (sql, params) => connection.query(sql, params),
    onNotice: (listener) => connection.onNotice(listener),
    copyFrom: (sql, chunks) => connection.copyFrom(sql, chunks),
    async cancel() {
      const other = await canceller();
      try {
        await other.query('SELECT pg_cancel_backend($1)', [connection.processId]);
      } finally {
        await other.close?.();
      }
    },
    close: () => connection.close(),
  };
}

/** Opens a writing session on a target (the CLI's way); cancel opens a short second connection. */
export async function openRunSession(target: ConnectionTarget, ssh?: SshRoute): Promise<ClosableRunSession> {
  const connection = await connectTarget(target, ssh);
  return runSessionOf(connection, () => connectTarget(target, ssh));
}
