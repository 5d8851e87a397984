import { writeFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { renderPlanScript } from '../../core/render/planScript';
import type { ComparisonState } from './comparisonState';

/**
 * "Generate Migration": the current comparison's plan written to a new file in the migrations
 * folder (`pgdrift.migrationsFolder`, relative to the first workspace folder), named
 * `<UTC YYYYMMDDHHMMSS>_<from>_to_<to>.sql`. The text is byte for byte what `pgdrift plan --from
 * profile:<from> --to profile:<to>` prints for the same sources, with `-- pgdrift:target <from>`
 * when the from side is a profile. An existing file is never replaced: a clash gets a suffix.
 */
export async function generateMigration(state: ComparisonState): Promise<vscode.Uri | undefined> {
  const current = state.current;
  if (!current) {
    const choice = await vscode.window.showInformationMessage('pgdrift: no comparison yet: Generate Migration writes the plan of a comparison.', 'Compare Databases');
    if (choice) await vscode.commands.executeCommand('pgdrift.compare');
    return undefined;
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') {
    void vscode.window.showErrorMessage('pgdrift: open a folder first: the migration is written to its migrations folder.');
    return undefined;
  }
  const setting = vscode.workspace.getConfiguration('pgdrift').get<string>('migrationsFolder')?.trim() || 'migrations';
  const dir = isAbsolute(setting) ? vscode.Uri.file(setting) : vscode.Uri.joinPath(folder.uri, setting);
  await vscode.workspace.fs.createDirectory(dir);

  const { plan, from, to } = current.comparison;
  const script = renderPlanScript(plan, from, to, { target: current.from.profile });
  const base = `${utcStamp(new Date())}_${slug(current.from.label)}_to_${slug(current.to.label)}`;
  let uri: vscode.Uri | undefined;
  for (let n = 1; !uri; n += 1) {
    const candidate = vscode.Uri.joinPath(dir, `${base}${n === 1 ? '' : `_${n}`}.sql`);
    try {
      // 'wx': fails when the file exists, so nothing is ever overwritten.
      await writeFile(candidate.fsPath, script, { encoding: 'utf8', flag: 'wx' });
      uri = candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n > 99) throw error;
    }
  }
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  return uri;
}

/** 20261206142501: UTC, sortable. */
export function utcStamp(at: Date): string {
  return at.toISOString().replace(/\.\d+Z$/, '').replace(/[-:T]/g, '');
}

/** A name fit for a file name: letters, digits, '-' and '.', lower case. */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'schema';
}
