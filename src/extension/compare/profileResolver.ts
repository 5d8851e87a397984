import type { ProfileSecrets } from '../../core/connect/profile';
import { profileTarget } from '../../core/connect/target';
import type { ProfileResolver } from '../../core/sources';
import type { ConnectionService } from '../connections';
import type { ProfileStore } from '../profiles/profileStore';
import type { ComparisonSide } from './comparisonState';

/**
 * How the engine reaches the profiles of a comparison's sides: their settings, the secrets read
 * beforehand from SecretStorage, and the SSH tunnel's prompts (an unknown host key) from the
 * connection service.
 */
export async function profileResolver(sides: readonly ComparisonSide[], store: ProfileStore, connections: ConnectionService): Promise<ProfileResolver> {
  const secrets = new Map<string, ProfileSecrets>();
  for (const side of sides) if (side.profile) secrets.set(side.profile, await store.readSecrets(side.profile));
  return (name) => {
    const stored = store.get(name);
    if (!stored) throw new Error(`there is no profile named "${name}"`);
    const profileSecrets = secrets.get(name) ?? {};
    const target = profileTarget(stored.profile, profileSecrets, process.env);
    return stored.profile.ssh ? { target, ssh: { settings: stored.profile.ssh, secrets: profileSecrets, hooks: connections.tunnelHooks(name) } } : { target };
  };
}
