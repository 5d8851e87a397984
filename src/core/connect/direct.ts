/**
 * One connection to a target, through an SSH tunnel when the profile has one: what a CLI command
 * needs for the length of one run (the extension keeps pools instead: pool.ts). The tunnel is
 * closed with the connection, and also when the connection fails, so a wrong password or a
 * refused TLS handshake leaves nothing open.
 */
import { clientConfig, connectPg, type ConnectOptions, type PgConnection } from '../db/pgConnection';
import type { ConnectionTarget } from '../db/target';
import type { ProfileSecrets, SshSettings } from './profile';
import type { TunnelHooks } from './tunnel';

export interface SshRoute {
  settings: SshSettings;
  secrets: ProfileSecrets;
  hooks?: TunnelHooks;
}

export async function connectTarget(target: ConnectionTarget, ssh?: SshRoute, options: ConnectOptions = {}): Promise<PgConnection> {
  if (!ssh) return connectPg(target, options);
  // TLS files are read before the tunnel opens: a missing CA file costs no SSH session.
  clientConfig(target);
  // ssh2 and its crypto are loaded only when a profile has a tunnel: most runs never need them.
  const { openTunnel } = await import('./tunnel.js');
  const tunnel = await openTunnel(ssh.settings, ssh.secrets, { host: target.host, port: target.port }, ssh.hooks);
  try {
    const connection = await connectPg({ ...target, via: { host: tunnel.localHost, port: tunnel.localPort } }, options);
    return {
      ...connection,
      close: async () => {
        await connection.close();
        await tunnel.close();
      },
    };
  } catch (error) {
    await tunnel.close();
    throw error;
  }
}
