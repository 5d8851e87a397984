import { basename } from 'node:path';
import * as vscode from 'vscode';
import { compareDatabases, hasDifferences, sideLabels } from '../../core/compare';
import { isPgdriftError, messageOf, type ErrorFix } from '../../core/errors';
import { renderDiffTree } from '../../core/render/diffTree';
import { renderPlanScript } from '../../core/render/planScript';
import { PROFILE_PREFIX } from '../../core/sources';
import type { ConnectionService } from '../connections';
import type { ProfileStore } from '../profiles/profileStore';
import type { ComparisonSide, ComparisonState } from './comparisonState';
import { comparisonArgs, SQLITE_PREFIX } from './compareArgs';
import { reportComparison } from './comparisonReport';
import { REFERENCE_DATA_SETTING } from './referenceData';
import { EDITOR_DATA_MARK } from './referenceEntries';
import { profileResolver } from './profileResolver';

/**
 * "Compare Databases…": the database to change (from) and the desired state (to), each a profile
 * or SQL files (the desired state may also be a SQLite file, which is only ever read); both are
 * read in read-only snapshots, the plan's hazards are measured on the from-database, and the
 * Schema Differences view shows the result while the plan opens in an editor. The first picker
 * offers the last pair compared in this workspace ("Compare again").
 */
export async function compareCommand(store: ProfileStore, connections: ConnectionService, state: ComparisonState, log: vscode.LogOutputChannel, fromName?: unknown, toName?: unknown): Promise<CompareOutcome | undefined> {
  // Two profile names as arguments (scripts, tests, the benchmark): no pickers.
  if (typeof fromName === 'string' && typeof toName === 'string') return runComparison(profileSide(store, fromName), profileSide(store, toName), store, connections, state, log);
  const again = state.lastPair;
  const from = await pickSide(store, 'Compare: the database to change (from)', again);
  if (!from) return undefined;
  if ('again' in from) return runComparison(from.again.from, from.again.to, store, connections, state, log);
  const to = await pickSide(store, 'Compare: the desired state (to)', undefined, true);
  if (!to) return undefined;
  return runComparison(from, to, store, connections, state, log);
}

function profileSide(store: ProfileStore, name: string): Side {
  if (!store.get(name)) throw new Error(`there is no profile named "${name}"`);
  return { spec: `${PROFILE_PREFIX}${name}`, label: name, profile: name };
}

/**
 * Refresh (the same sides again) and Swap (to ↔ from) in the view's title: the current comparison's
 * sides, or the last pair this workspace compared; without either, the full command.
 */
export async function recompare(swap: boolean, store: ProfileStore, connections: ConnectionService, state: ComparisonState, log: vscode.LogOutputChannel): Promise<CompareOutcome | undefined> {
  const pair = state.lastPair;
  if (!pair) return compareCommand(store, connections, state, log);
  if (swap && pair.to.spec.startsWith(SQLITE_PREFIX)) {
    // pgdrift changes the from side; a SQLite file is read, never written.
    const message = `${pair.to.label} is a SQLite file: pgdrift reads it as the desired state (to) but never changes it, so it cannot be the database to change (from).`;
    void vscode.window.showErrorMessage(`pgdrift: cannot swap: ${message}`, 'Compare Databases…').then(async (choice) => {
      if (choice) await vscode.commands.executeCommand('pgdrift.compare');
    });
    return { status: 'failed', message };
  }
  return swap ? runComparison(pair.to, pair.from, store, connections, state, log) : runComparison(pair.from, pair.to, store, connections, state, log);
}

/** Compares two sides already chosen (also what refresh and swap call). */
export async function runComparison(from: Side, to: Side, store: ProfileStore, connections: ConnectionService, state: ComparisonState, log: vscode.LogOutputChannel): Promise<CompareOutcome> {
  const resolver = await profileResolver([from, to], store, connections);

  log.info(`compare: ${from.label} ← ${to.label}`);
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `pgdrift: comparing ${from.label} with ${to.label}…`, cancellable: true },
    async (progress, token): Promise<CompareOutcome> => {
      progress.report({ message: 'reading both schemas' });
      const started = performance.now();
      // Reading the mapping file may fail too: a rejection, reported like the comparison's own.
      const work = Promise.resolve().then(() => compareDatabases(comparisonArgs(from, to), process.env, resolver));
      const cancelled = new Promise<'cancelled'>((resolve) => token.onCancellationRequested(() => resolve('cancelled')));
      try {
        const result = await Promise.race([work, cancelled]);
        // The comparison closes its own connections when it settles, cancelled or not.
        if (result === 'cancelled') return { status: 'cancelled' };
        const engineMs = performance.now() - started;
        const labels = sideLabels(result);
        // As `pgdrift plan --from profile:NAME` prints it: the from profile is the migration's target.
        const script = renderPlanScript(result.plan, result.from, result.to, { target: from.profile });
        const tree = renderDiffTree(result.plan, labels);
        const rendered = performance.now();
        // Setting the state builds the Schema Differences view's items (its listener runs now).
        state.set({ from, to, comparison: result, tree, script, at: new Date() });
        reportComparison(result, from, to, log);
        const timings = { engineMs, renderMs: rendered - started - engineMs, viewMs: performance.now() - rendered, shownMs: 0, openMs: 0 };
        return { status: 'compared', tree, script, differences: hasDifferences(result.plan), timings };
      } catch (error) {
        return failure(error, from, to);
      }
    },
  );
  if (outcome.status === 'failed') {
    log.error(`compare: ${outcome.message}`);
    // An earlier comparison left in the view would pass for this one's result.
    state.set(undefined);
    const { profile } = outcome;
    const actions = outcome.fix === 'edit-profile' && profile ? ['Edit Profile', 'Show Log'] : outcome.settings ? ['Open Settings', 'Show Log'] : ['Show Log'];
    void vscode.window.showErrorMessage(`pgdrift: ${outcome.message}`, ...actions).then(async (choice) => {
      if (choice === 'Edit Profile') await vscode.commands.executeCommand('pgdrift.editProfile', profile);
      if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', outcome.settings);
      if (choice === 'Show Log') log.show(true);
    });
  } else if (outcome.status === 'compared') {
    if (outcome.differences) {
      // The Schema Differences view first: opened together, a large plan's editor takes the
      // window's attention while the view still fetches its expanded items, level by level.
      const showing = performance.now();
      await state.shownInViews();
      outcome.timings.shownMs = performance.now() - showing;
      const opening = performance.now();
      const document = await vscode.workspace.openTextDocument({ language: 'sql', content: outcome.script });
      await vscode.window.showTextDocument(document, { preview: false });
      outcome.timings.openMs = performance.now() - opening;
    } else {
      void vscode.window.showInformationMessage(`pgdrift: ${from.label} and ${to.label} have the same schema.`);
    }
  }
  return outcome;
}

export type CompareOutcome =
  | { status: 'compared'; tree: string; script: string; differences: boolean; timings: CompareTimings }
  | { status: 'failed'; message: string; fix?: ErrorFix; profile?: string; settings?: string }
  | { status: 'cancelled' };

/**
 * Where a comparison's time went, in ms (for the benchmark): reading, planning and probing; the
 * tree text and plan script; the view's items; waiting for VS Code to fetch them; opening the plan.
 */
export interface CompareTimings {
  engineMs: number;
  renderMs: number;
  viewMs: number;
  shownMs: number;
  openMs: number;
}

/**
 * The engine names the failing side as the CLI does (`--from: …`); here the side is the profile or
 * files the user picked, and when the fix is in that profile the message offers to edit it.
 */
function failure(error: unknown, from: Side, to: Side): Extract<CompareOutcome, { status: 'failed' }> {
  let message = isPgdriftError(error) ? error.message : messageOf(error);
  const fix: ErrorFix | undefined = isPgdriftError(error) ? error.fix : undefined;
  const flag = /^--(from|to): /.exec(message);
  const side = flag ? (flag[1] === 'from' ? from : to) : undefined;
  if (flag && side) {
    const rest = message.slice(flag[0].length);
    message = rest.includes(`"${side.label}"`) ? rest : `"${side.label}": ${rest}`;
  }
  const outcome: Extract<CompareOutcome, { status: 'failed' }> = { status: 'failed', message };
  // A reference-data table refused (too many rows, no primary key, not in the desired state),
  // worded with the editor's settings (comparisonArgs): Open Settings fixes it.
  if (message.startsWith(`${EDITOR_DATA_MARK} `)) outcome.settings = `pgdrift.${REFERENCE_DATA_SETTING}`;
  // The zone a SQLite desired state is read in comes from a setting here (--sqlite-time-zone on the CLI).
  if (to.spec.startsWith(SQLITE_PREFIX) && /time zone/i.test(message)) {
    outcome.message = `${message} (setting pgdrift.sqliteTimeZone)`;
    outcome.settings = 'pgdrift.sqliteTimeZone';
  }
  if (fix) outcome.fix = fix;
  if (side?.profile) outcome.profile = side.profile;
  return outcome;
}

type Side = ComparisonSide;

type Pair = { from: Side; to: Side };

async function pickSide(store: ProfileStore, title: string, again: undefined, desired: true): Promise<Side | undefined>;
async function pickSide(store: ProfileStore, title: string, again: Pair | undefined): Promise<Side | { again: Pair } | undefined>;
async function pickSide(store: ProfileStore, title: string, again?: Pair, desired = false): Promise<Side | { again: Pair } | undefined> {
  type Item = vscode.QuickPickItem & { side?: Side; files?: true; sqlite?: true; again?: Pair };
  // The last pair first; its names are in the description, so typing a profile's name still
  // finds the profile's own item.
  const first: Item[] = again ? [
    { label: '$(history) Compare again', description: `${again.from.label} ← ${again.to.label}`, again },
    { label: '', kind: vscode.QuickPickItemKind.Separator },
  ] : [];
  const items: Item[] = store.list().map(({ profile }) => ({
    label: `$(database) ${profile.name}`,
    description: `${profile.environment ?? 'development'} · ${profile.user}@${profile.host}/${profile.database}`,
    side: { spec: `${PROFILE_PREFIX}${profile.name}`, label: profile.name, profile: profile.name },
  }));
  items.push({ label: '$(file-code) SQL file or folder…', description: 'a schema.sql, pg_dump --schema-only output, or numbered migrations', files: true });
  // Only the desired state: pgdrift changes the from side, and a SQLite file is only read.
  if (desired) items.push({ label: '$(file-binary) SQLite file…', description: 'an application\'s SQLite database, translated to PostgreSQL (read only)', sqlite: true });
  const placeHolder = desired ? 'A database profile, SQL files, or a SQLite file' : 'A database profile, or SQL files';
  const picked = await vscode.window.showQuickPick([...first, ...items], { title, placeHolder, ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.again) return { again: picked.again };
  if (picked.side) return picked.side;
  if (picked.sqlite) return pickSqlite(title);
  const uris = await vscode.window.showOpenDialog({
    title, canSelectFiles: true, canSelectFolders: true, canSelectMany: false, filters: { SQL: ['sql'] }, openLabel: 'Use',
  });
  const uri = uris?.[0];
  if (!uri) return undefined;
  return { spec: uri.fsPath, label: vscode.workspace.asRelativePath(uri) };
}

/** A SQLite file as the desired state: `sqlite:<absolute path>`, labelled with the file's name. */
async function pickSqlite(title: string): Promise<Side | undefined> {
  const uris = await vscode.window.showOpenDialog({
    title, canSelectFiles: true, canSelectFolders: false, canSelectMany: false, openLabel: 'Use',
    filters: { SQLite: ['db', 'sqlite', 'sqlite3', 'db3'], 'All files': ['*'] },
  });
  const uri = uris?.[0];
  if (!uri) return undefined;
  return { spec: `${SQLITE_PREFIX}${uri.fsPath}`, label: basename(uri.fsPath) };
}
