/**
 * A live server as a source: a node-postgres connection (through the profile's SSH tunnel when it
 * has one), version checked by connectPg.
 */
import { connectTarget, type SshRoute } from '../connect/direct';
import type { ConnectionTarget } from '../db/target';
import { introspectTargetOf } from '../introspect';
import type { Source } from './types';

export async function openLiveSource(target: ConnectionTarget, ssh?: SshRoute): Promise<Source> {
  const connection = await connectTarget(target, ssh);
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
