/**
 * Reads both databases at once, each on its own connection in its own read-only snapshot. Both
 * reads always finish (and close their connection) before an error is reported, so no connection
 * outlives the command; when both fail, the --from error is the one reported.
 */
import { connectPg } from '../core/db/pgConnection';
import { describeTarget, parseConnectionUrl, type ConnectionTarget } from '../core/db/target';
import { PgdriftError, isPgdriftError, messageOf } from '../core/errors';
import { introspect, introspectTargetOf, type IntrospectOptions } from '../core/introspect';
import type { Inspection } from '../core/model/types';

export interface Side {
  inspection: Inspection;
  /** "host:port/database". */
  where: string;
}

export async function inspectBoth(
  urls: { from: string; to: string },
  options: Partial<IntrospectOptions>,
  env: NodeJS.ProcessEnv,
): Promise<{ from: Side; to: Side }> {
  // Both URLs are checked before either connection is opened.
  const targets = {
    from: labelled('--from', () => parseConnectionUrl(urls.from, env)),
    to: labelled('--to', () => parseConnectionUrl(urls.to, env)),
  };
  const [from, to] = await Promise.allSettled([readSide(targets.from, options), readSide(targets.to, options)]);
  if (from.status === 'rejected') throw withSide('--from', from.reason);
  if (to.status === 'rejected') throw withSide('--to', to.reason);
  return { from: from.value, to: to.value };
}

async function readSide(target: ConnectionTarget, options: Partial<IntrospectOptions>): Promise<Side> {
  const connection = await connectPg(target);
  try {
    return { inspection: await introspect(introspectTargetOf(connection), options), where: describeTarget(target) };
  } finally {
    await connection.close();
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
function withSide(side: string, error: unknown): PgdriftError {
  if (!isPgdriftError(error)) return new PgdriftError('internal', `${side}: unexpected error: ${messageOf(error)}`, { cause: error });
  return new PgdriftError(error.code, `${side}: ${error.message}`, { cause: error });
}
