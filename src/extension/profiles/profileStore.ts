import * as vscode from 'vscode';
import type { Profile, ProfileSecrets } from '../../core/connect/profile';

/**
 * Profiles live in the `pgdrift.profiles` setting, so a team can share them in
 * `.vscode/settings.json`; user settings hold personal ones. A workspace profile hides a user
 * profile of the same name. Secrets live only in SecretStorage, keyed by profile name, and move
 * with a rename.
 */
export type ProfileScope = 'workspace' | 'user';

export interface StoredProfile {
  profile: Profile;
  scope: ProfileScope;
}

const SECTION = 'pgdrift';
const KEY = 'profiles';
const SECRET_FIELDS = ['password', 'sshPassphrase'] as const;

export class ProfileStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.${KEY}`)) this.changed.fire();
      }),
      secrets.onDidChange(() => this.changed.fire()),
    );
  }

  list(): StoredProfile[] {
    const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>(KEY);
    const workspace = asProfiles(inspected?.workspaceValue);
    const user = asProfiles(inspected?.globalValue).filter((p) => !workspace.some((w) => w.name === p.name));
    return [
      ...workspace.map((profile) => ({ profile, scope: 'workspace' as const })),
      ...user.map((profile) => ({ profile, scope: 'user' as const })),
    ];
  }

  get(name: string): StoredProfile | undefined {
    return this.list().find((p) => p.profile.name === name);
  }

  /** New profiles go to the workspace when one is open (shared with the team), else to user settings. */
  defaultScope(): ProfileScope {
    return vscode.workspace.workspaceFolders?.length ? 'workspace' : 'user';
  }

  /** Adds or replaces `previousName` (a rename moves its secrets along). */
  async save(profile: Profile, scope: ProfileScope, previousName?: string): Promise<void> {
    const oldName = previousName ?? profile.name;
    const original = this.scopeValue(scope);
    const at = original.findIndex((p) => p.name === oldName);
    const next = original.filter((p) => p.name !== oldName && p.name !== profile.name);
    next.splice(at >= 0 ? Math.min(at, next.length) : next.length, 0, clean(profile));
    const renamed = oldName !== profile.name;
    // A rename copies the secrets before the settings change and deletes the old ones after:
    // at no moment does the profile exist under a name without its password, even if the
    // window closes halfway.
    if (renamed) {
      for (const field of SECRET_FIELDS) {
        const value = await this.secrets.get(secretKey(oldName, field));
        if (value !== undefined) await this.secrets.store(secretKey(profile.name, field), value);
      }
    }
    await this.write(scope, next);
    if (renamed) for (const field of SECRET_FIELDS) await this.secrets.delete(secretKey(oldName, field));
  }

  async remove(name: string, scope: ProfileScope): Promise<void> {
    await this.write(scope, this.scopeValue(scope).filter((p) => p.name !== name));
    for (const field of SECRET_FIELDS) await this.secrets.delete(secretKey(name, field));
  }

  async readSecrets(name: string): Promise<ProfileSecrets> {
    const secrets: ProfileSecrets = {};
    const password = await this.secrets.get(secretKey(name, 'password'));
    const sshPassphrase = await this.secrets.get(secretKey(name, 'sshPassphrase'));
    if (password !== undefined) secrets.password = password;
    if (sshPassphrase !== undefined) secrets.sshPassphrase = sshPassphrase;
    return secrets;
  }

  /** undefined deletes the secret; an empty string is stored as such (a server may accept it). */
  async storeSecret(name: string, field: (typeof SECRET_FIELDS)[number], value: string | undefined): Promise<void> {
    if (value === undefined) await this.secrets.delete(secretKey(name, field));
    else await this.secrets.store(secretKey(name, field), value);
  }

  dispose(): void {
    this.changed.dispose();
    this.subscriptions.forEach((d) => d.dispose());
  }

  private scopeValue(scope: ProfileScope): Profile[] {
    const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>(KEY);
    return asProfiles(scope === 'workspace' ? inspected?.workspaceValue : inspected?.globalValue);
  }

  private async write(scope: ProfileScope, profiles: Profile[]): Promise<void> {
    const target = scope === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(SECTION).update(KEY, profiles.length > 0 ? profiles : undefined, target);
  }
}

export function secretKey(profileName: string, field: string): string {
  return `pgdrift.profile/${profileName}/${field}`;
}

/** Settings are hand-edited: entries without a name, host or database are ignored rather than crashing the view. */
function asProfiles(value: unknown): Profile[] {
  if (!Array.isArray(value)) return [];
  return value.filter((p): p is Profile =>
    typeof p === 'object' && p !== null && typeof (p as Profile).name === 'string' && (p as Profile).name.length > 0
    && typeof (p as Profile).host === 'string' && typeof (p as Profile).database === 'string');
}

/** Drops empty optional fields so the settings file stays readable. */
function clean(profile: Profile): Profile {
  return JSON.parse(JSON.stringify(profile, (_key, value: unknown) => (value === '' || value === null ? undefined : value))) as Profile;
}
