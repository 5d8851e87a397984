/**
 * Which SQL files are migrations to check, and against which profile: the file's own
 * `-- pgdrift:target <profile>` line (Generate Migration writes it), else the folder it lies in
 * when `pgdrift.migrationTargets` maps that folder to a profile. Files in the migrations folder
 * (`pgdrift.migrationsFolder`) without either are checked without a target. Reads settings and
 * text only: deciding costs no engine load and no connection.
 */
import * as vscode from 'vscode';

/** Where a file's target comes from: its header line (0-based line), or a folder mapping. */
export type MigrationTarget =
  | { profile: string; from: 'header'; line: number }
  | { profile: string; from: 'folder'; folder: string };

const TARGET_LINE = /^[ \t]*--[ \t]*pgdrift:target[ \t]+(\S+)[ \t]*$/;

/** The first `-- pgdrift:target <profile>` line of a text. */
export function headerTarget(text: string): { profile: string; line: number } | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  for (const [line, content] of lines.entries()) {
    const m = TARGET_LINE.exec(content);
    if (m?.[1]) return { profile: m[1], line };
  }
  return undefined;
}

/** The profile of the longest folder of `mapping` (workspace-relative, `/`-separated) that holds `relativePath`. */
export function folderTarget(relativePath: string, mapping: Readonly<Record<string, unknown>>): { profile: string; folder: string } | undefined {
  let best: { profile: string; folder: string } | undefined;
  for (const [folder, profile] of Object.entries(mapping)) {
    const clean = folder.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
    if (typeof profile !== 'string' || profile === '') continue;
    const inside = clean === '' || clean === '.' || relativePath.startsWith(`${clean}/`);
    if (inside && (!best || clean.length > best.folder.length)) best = { profile, folder: clean };
  }
  return best;
}

export function migrationTarget(document: vscode.TextDocument): MigrationTarget | undefined {
  const header = headerTarget(document.getText());
  if (header) return { ...header, from: 'header' };
  const relative = relativePathOf(document.uri);
  if (relative === undefined) return undefined;
  const mapping = vscode.workspace.getConfiguration('pgdrift', document.uri).get<Record<string, unknown>>('migrationTargets') ?? {};
  const folder = folderTarget(relative, mapping);
  return folder ? { ...folder, from: 'folder' } : undefined;
}

/** Lies in the configured migrations folder (default `migrations`). */
export function inMigrationsFolder(document: vscode.TextDocument): boolean {
  const relative = relativePathOf(document.uri);
  const folder = (vscode.workspace.getConfiguration('pgdrift', document.uri).get<string>('migrationsFolder') ?? 'migrations').replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  return relative !== undefined && folder !== '' && relative.startsWith(`${folder}/`);
}

function relativePathOf(uri: vscode.Uri): string | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || uri.scheme !== 'file') return undefined;
  const root = folder.uri.path.replace(/\/+$/, '');
  return uri.path.startsWith(`${root}/`) ? uri.path.slice(root.length + 1) : undefined;
}
