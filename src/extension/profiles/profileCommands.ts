import * as vscode from 'vscode';
import type { Profile } from '../../core/connect/profile';
import { profileFromUrl, profileToUrl } from '../../core/connect/url';
import { redactUrl } from '../../core/db/target';
import type { ConnectionService, TestOutcome } from '../connections';
import { Cancelled } from '../ui/multiStep';
import { ProfileItem } from '../views/databasesTree';
import type { ProfileStore, StoredProfile } from './profileStore';
import { profileWizard, type WizardResult } from './profileWizard';

/**
 * The profile commands. Each works from the Databases view (the item is the argument) and from
 * the palette (no argument: a quick pick asks which profile), and the "Edit profile" button of a
 * connection error passes the profile's name.
 */
export class ProfileCommands {
  constructor(
    private readonly store: ProfileStore,
    private readonly connections: ConnectionService,
  ) {}

  async add(): Promise<void> {
    const result = await wizard({ title: 'Add a database', takenNames: this.names(), hasStoredPassword: false });
    if (!result) return;
    await this.saveNew(result);
  }

  async importUrl(): Promise<void> {
    const url = await vscode.window.showInputBox({
      title: 'Add a database from a connection URL',
      prompt: 'postgres://user:password@host:port/database?sslmode=verify-full&sslrootcert=/path/ca.pem; the password goes to secret storage',
      placeHolder: 'postgres://user@host:5432/database',
      ignoreFocusOut: true,
      validateInput: (value) => {
        if (!value.trim()) return undefined;
        try {
          profileFromUrl(value.trim(), 'imported');
          return undefined;
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
      },
    });
    if (!url?.trim()) return;
    const imported = profileFromUrl(url.trim(), suggestName(url.trim(), this.names()));
    // The wizard opens filled in from the URL, so the user names the profile and picks its
    // environment before anything is saved.
    const result = await wizard({ title: 'Add a database from a connection URL', initial: imported.profile, takenNames: this.names(), hasStoredPassword: false });
    if (!result) return;
    if (result.password === undefined && imported.password !== undefined) result.password = imported.password;
    await this.saveNew(result);
  }

  async edit(arg?: unknown): Promise<void> {
    const stored = await this.resolve(arg, 'Edit which profile?');
    if (!stored) return;
    const name = stored.profile.name;
    const hasStoredPassword = (await this.store.readSecrets(name)).password !== undefined;
    const result = await wizard({ title: `Edit profile "${name}"`, initial: stored.profile, takenNames: this.names().filter((n) => n !== name), hasStoredPassword });
    if (!result) return;
    await this.connections.forget(name);
    await this.store.save(result.profile, stored.scope, name);
    await this.storeSecrets(result);
  }

  async duplicate(arg?: unknown): Promise<void> {
    const stored = await this.resolve(arg, 'Duplicate which profile?');
    if (!stored) return;
    const copy: Profile = { ...stored.profile, name: suggestCopyName(stored.profile.name, this.names()) };
    const result = await wizard({ title: `Duplicate "${stored.profile.name}"`, initial: copy, takenNames: this.names(), hasStoredPassword: false });
    if (!result) return;
    // The copy starts with the original's secrets unless new ones were typed.
    const secrets = await this.store.readSecrets(stored.profile.name);
    if (result.password === undefined && secrets.password !== undefined) result.password = secrets.password;
    if (result.sshPassphrase === undefined && secrets.sshPassphrase !== undefined) result.sshPassphrase = secrets.sshPassphrase;
    await this.store.save(result.profile, stored.scope);
    await this.storeSecrets(result);
  }

  async remove(arg?: unknown): Promise<void> {
    const stored = await this.resolve(arg, 'Remove which profile?');
    if (!stored) return;
    const where = stored.scope === 'workspace' ? 'the workspace settings (shared with everyone who uses them)' : 'your user settings';
    const choice = await vscode.window.showWarningMessage(
      `Remove the profile "${stored.profile.name}"?`,
      { modal: true, detail: `It is removed from ${where}, and its stored password${stored.profile.ssh ? ' and SSH key passphrase are' : ' is'} deleted. The database itself is not touched.` },
      'Remove',
    );
    if (choice !== 'Remove') return;
    await this.connections.forget(stored.profile.name);
    await this.store.remove(stored.profile.name, stored.scope);
  }

  /** Returns the outcome (the integration tests read it); the user sees a notification. */
  async test(arg?: unknown): Promise<TestOutcome | undefined> {
    const stored = await this.resolve(arg, 'Test which profile?');
    if (!stored) return undefined;
    return this.connections.test(stored.profile);
  }

  async copyUrl(arg?: unknown): Promise<void> {
    const stored = await this.resolve(arg, 'Copy the URL of which profile?');
    if (!stored) return;
    const url = profileToUrl(stored.profile);
    await vscode.env.clipboard.writeText(url);
    vscode.window.setStatusBarMessage(`pgdrift: copied ${redactUrl(url)} (without password)`, 5000);
  }

  private names(): string[] {
    return this.store.list().map((p) => p.profile.name);
  }

  private async saveNew(result: WizardResult): Promise<void> {
    await this.store.save(result.profile, this.store.defaultScope());
    await this.storeSecrets(result);
    void vscode.window.showInformationMessage(`pgdrift: added "${result.profile.name}".`, 'Test Connection').then((action) => {
      if (action === 'Test Connection') void this.connections.test(result.profile);
    });
  }

  private async storeSecrets(result: WizardResult): Promise<void> {
    if (result.password !== undefined) await this.store.storeSecret(result.profile.name, 'password', result.password);
    if (result.sshPassphrase !== undefined) await this.store.storeSecret(result.profile.name, 'sshPassphrase', result.sshPassphrase);
  }

  /** A tree item, a profile name (from an error's "Edit profile" button), or nothing: ask. */
  private async resolve(arg: unknown, question: string): Promise<StoredProfile | undefined> {
    if (arg instanceof ProfileItem) return this.store.get(arg.stored.profile.name) ?? arg.stored;
    if (typeof arg === 'string') {
      const found = this.store.get(arg);
      if (!found) void vscode.window.showErrorMessage(`pgdrift: there is no profile named "${arg}".`);
      return found;
    }
    const profiles = this.store.list();
    if (profiles.length === 0) {
      const action = await vscode.window.showInformationMessage('pgdrift: no database profiles yet.', 'Add a Database');
      if (action) await this.add();
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      profiles.map((stored) => ({ label: stored.profile.name, description: `${stored.profile.environment ?? 'development'} · ${stored.profile.user}@${stored.profile.host}/${stored.profile.database}`, stored })),
      { title: question, placeHolder: 'Profile' },
    );
    return picked?.stored;
  }
}

async function wizard(options: Parameters<typeof profileWizard>[0]): Promise<WizardResult | undefined> {
  try {
    return await profileWizard(options);
  } catch (error) {
    if (error instanceof Cancelled) return undefined;
    throw error;
  }
}

function suggestName(url: string, taken: readonly string[]): string {
  let base = 'database';
  try {
    const parsed = new URL(url);
    base = decodeURIComponent(parsed.pathname.slice(1)) || parsed.hostname || base;
  } catch {
    // the URL was validated already; keep the generic name
  }
  return unique(base, taken);
}

function suggestCopyName(name: string, taken: readonly string[]): string {
  return unique(`${name} (copy)`, taken);
}

function unique(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.includes(`${base} ${n}`)) return `${base} ${n}`;
}
