/**
 * Reads both databases at once, each on its own connection in its own read-only snapshot. Both
 * reads always finish before an error is reported, and both connections are closed before this
 * returns, so no connection outlives the command; when both fail, the --from error is the one
 * reported. `whileOpen` runs with the --from connection still open, for the probes that measure
 * a plan on it, so measuring does not connect (and authenticate) a second time.
 */
import { connectPg } from '../core/db/pgConnection';
import type { Connection, Queryable } from '../core/db/queryable';
import { describeTarget, parseConnectionUrl, type ConnectionTarget } from '../core/db/target';
import { PgdriftError, isPgdriftError, messageOf } from '../core/errors';
import { introspect, introspectTargetOf, type IntrospectOptions } from '../core/introspect';
import type { Inspection } from '../core/model/types';

export interface Side {
  inspection: Inspection;
  /** "host:port/database". */
  where: string;
}

export async function inspectBoth<T>(
  urls: { from: string; to: string },
  options: Partial<IntrospectOptions>,
  env: NodeJS.ProcessEnv,
  whileOpen: (sides: { from: Side; to: Side }, fromConnection: Queryable) => Promise<T>,
): Promise<T> {
  // Both URLs are checked before either connection is opened.
  const targets = {
    from: labelled('--from', () => parseConnectionUrl(urls.from, env)),
    to: labelled('--to', () => parseConnectionUrl(urls.to, env)),
  };
  const [from, to] = await Promise.allSettled([readSide(targets.from, options, true), readSide(targets.to, options, false)]);
  try {
    if (from.status === 'rejected') throw withSide('--from', from.reason);
    if (to.status === 'rejected') throw withSide('--to', to.reason);
    const connection = from.value.connection;
    if (!connection) throw new PgdriftError('internal', '--from: connection closed too early');
    return await whileOpen({ from: from.value.side, to: to.value.side }, connection);
  } finally {
    if (from.status === 'fulfilled') await from.value.connection?.close();
  }
}

async function readSide(
  target: ConnectionTarget, options: Partial<IntrospectOptions>, keepOpen: boolean,
): Promise<{ side: Side; connection?: Connection }> {
  const connection = await connectPg(target);
  let handedOver = false;
  try {
    const side = { inspection: await introspect(introspectTargetOf(connection), options), where: describeTarget(target) };
    handedOver = keepOpen;
    return keepOpen ? { side, connection } : { side };
  } finally {
    if (!handedOver) await connection.close();
  }
}

function labelled<T>(side: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw withSide(side, error);
  }
}

/** The error as it was (same code, so the same exit code), its message saying which side failed. */
export function withSide(side: string, error: unknown): PgdriftError {
  if (!isPgdriftError(error)) return new PgdriftError('internal', `${side}: unexpected error: ${messageOf(error)}`, { cause: error });
  return new PgdriftError(error.code, `${side}: ${error.message}`, { cause: error });
}
