/** A live server as a source: a node-postgres connection, version checked by connectPg. */
import { connectPg } from '../db/pgConnection';
import type { ConnectionTarget } from '../db/target';
import { introspectTargetOf } from '../introspect';
import type { Source } from './types';

export async function openLiveSource(target: ConnectionTarget): Promise<Source> {
  const connection = await connectPg(target);
  const { db, where, database } = introspectTargetOf(connection);
  return {
    kind: 'live',
    db,
    where,
    database,
    server: { versionNum: connection.serverVersionNum, version: connection.serverVersion },
    close: () => connection.close(),
  };
}
