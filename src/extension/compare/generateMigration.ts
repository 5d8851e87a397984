import { writeFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { compareDatabases } from '../../core/compare';
import { isPgdriftError, messageOf } from '../../core/errors';
import type { ObjectId } from '../../core/model/types';
import { renderPlanScript } from '../../core/render/planScript';
import type { ConnectionService } from '../connections';
import type { ProfileStore } from '../profiles/profileStore';
import type { ComparisonState, CurrentComparison } from './comparisonState';
import { comparisonArgs } from './compareArgs';
import { profileResolver } from './profileResolver';

/** The changes unchecked in the Schema Differences view, and what it takes to compare again without them. */
export interface MigrationSelection {
  excluded: readonly ObjectId[];
  store: ProfileStore;
  connections: ConnectionService;
  log: vscode.LogOutputChannel;
}

/**
 * "Generate Migration": the current comparison's plan written to a new file in the migrations
 * folder (`pgdrift.migrationsFolder`, relative to the first workspace folder), named
 * `<UTC YYYYMMDDHHMMSS>_<from>_to_<to>.sql`. The text is byte for byte what `pgdrift plan --from
 * profile:<from> --to profile:<to>` prints for the same sources, with `-- pgdrift:target <from>`
 * when the from side is a profile. An existing file is never replaced: a clash gets a suffix.
 *
 * With changes unchecked in the view, both sides are compared again with them left out (`pgdrift
 * plan --exclude <id>…`): the probes, backups and remedies must be those of the plan that runs,
 * and the file lists what it leaves out in its header.
 */
export async function generateMigration(state: ComparisonState, selection?: MigrationSelection): Promise<vscode.Uri | undefined> {
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

  const script = selection?.excluded.length ? await scriptWithout(current, selection) : renderPlanScript(current.comparison.plan, current.comparison.from, current.comparison.to, { target: current.from.profile });
  if (script === undefined) return undefined;
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

/** The plan compared again without the excluded changes, or undefined when cancelled or failed (said to the user). */
async function scriptWithout(current: CurrentComparison, selection: MigrationSelection): Promise<string | undefined> {
  const result = await compareWithout(current, selection, 'Generate Migration');
  return result && renderPlanScript(result.plan, result.from, result.to, { target: current.from.profile, excluded: result.excluded });
}

/**
 * Both sides compared again without the changes unchecked in the view (as `pgdrift plan --exclude`
 * does), behind a cancellable progress notification; undefined when cancelled or failed (said to
 * the user, naming `what` asked for it).
 */
export async function compareWithout(current: CurrentComparison, selection: MigrationSelection, what: string): Promise<Awaited<ReturnType<typeof compareDatabases>> | undefined> {
  const { from, to } = current;
  const n = selection.excluded.length;
  selection.log.info(`${what}: ${from.label} ← ${to.label} without ${n} change${n === 1 ? '' : 's'}`);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `pgdrift: planning ${from.label} ← ${to.label} without ${n} change${n === 1 ? '' : 's'}…`, cancellable: true },
      async (_progress, token) => {
        const resolver = await profileResolver([from, to], selection.store, selection.connections);
        const work = compareDatabases(comparisonArgs(from, to, selection.excluded), process.env, resolver);
        const cancelled = new Promise<'cancelled'>((resolve) => token.onCancellationRequested(() => resolve('cancelled')));
        // The comparison closes its own connections when it settles, cancelled or not.
        return Promise.race([work, cancelled]);
      },
    );
    return result === 'cancelled' ? undefined : result;
  } catch (error) {
    const message = isPgdriftError(error) ? error.message : messageOf(error);
    selection.log.error(`${what}: ${message}`);
    void vscode.window.showErrorMessage(`pgdrift: ${what}: ${message}`);
    return undefined;
  }
}

/** 20261206142501: UTC, sortable. */
export function utcStamp(at: Date): string {
  return at.toISOString().replace(/\.\d+Z$/, '').replace(/[-:T]/g, '');
}

/** A name fit for a file name: letters, digits, '-' and '.', lower case. */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'schema';
}
