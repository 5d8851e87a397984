import * as vscode from 'vscode';
import type { Environment, Profile } from '../../core/connect/profile';
import { profileToUrl } from '../../core/connect/url';
import type { ProfileStore, StoredProfile } from '../profiles/profileStore';

/**
 * The Databases view: one item per profile. The environment shows as the icon's colour (green
 * development, yellow staging, red production) and in the description, so production cannot be
 * mistaken for a local database at a glance; a lock marks read-only profiles.
 */
export class ProfileItem extends vscode.TreeItem {
  constructor(readonly stored: StoredProfile) {
    const { profile } = stored;
    super(profile.name, vscode.TreeItemCollapsibleState.None);
    const environment = profile.environment ?? 'development';
    this.id = `profile:${profile.name}`;
    this.iconPath = new vscode.ThemeIcon(profile.readOnly ? 'lock' : 'database', new vscode.ThemeColor(ENV_COLOUR[environment]));
    this.description = `${ENV_LABEL[environment]}${profile.readOnly ? ' · read-only' : ''} · ${where(profile)}`;
    this.tooltip = tooltip(stored);
    // contextValue drives the item's inline and context menus (package.json "view/item/context").
    this.contextValue = 'pgdrift.profile';
    this.accessibilityInformation = { label: `${profile.name}, ${ENV_LABEL[environment]}${profile.readOnly ? ', read-only' : ''}, ${where(profile)}` };
  }
}

export class DatabasesTree implements vscode.TreeDataProvider<ProfileItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: ProfileStore) {
    this.subscription = store.onDidChange(() => this.changed.fire());
  }

  getTreeItem(item: ProfileItem): vscode.TreeItem {
    return item;
  }

  getChildren(item?: ProfileItem): ProfileItem[] {
    if (item) return [];
    return this.store.list().map((stored) => new ProfileItem(stored));
  }

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
    this.subscription.dispose();
  }
}

const ENV_COLOUR: Record<Environment, string> = {
  development: 'charts.green',
  staging: 'charts.yellow',
  production: 'charts.red',
};

export const ENV_LABEL: Record<Environment, string> = {
  development: 'development',
  staging: 'staging',
  production: 'production',
};

function where(profile: Profile): string {
  const port = profile.port && profile.port !== 5432 ? `:${profile.port}` : '';
  return `${profile.user}@${profile.host}${port}/${profile.database}${profile.ssh ? ` via ${profile.ssh.host}` : ''}`;
}

function tooltip({ profile, scope }: StoredProfile): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escape(profile.name)}** (${ENV_LABEL[profile.environment ?? 'development']}${profile.readOnly ? ', read-only' : ''})\n\n`);
  md.appendCodeblock(profileToUrl(profile), 'text');
  md.appendMarkdown(`TLS: ${profile.tls?.mode ?? 'prefer'}`);
  if (profile.ssh) md.appendMarkdown(` · SSH tunnel through ${escape(`${profile.ssh.user}@${profile.ssh.host}:${profile.ssh.port ?? 22}`)}`);
  md.appendMarkdown(`\n\nDefined in ${scope === 'workspace' ? 'workspace' : 'user'} settings.`);
  return md;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
