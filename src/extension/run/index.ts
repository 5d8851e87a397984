/**
 * Running migrations from the editor: the service the command and the Phases panel share, the
 * "pgdrift Run" output channel, the failure diagnostics, and the two commands. Registering them
 * loads no engine and opens no connection; the first run does.
 */
import * as vscode from 'vscode';
import type { ComparisonState } from '../compare/comparisonState';
import type { ConnectionService } from '../connections';
import type { ProfileStore } from '../profiles/profileStore';
import { RunService } from './runService';

export const RUN_COMMAND = 'pgdrift.runMigrationFile';
export const JOURNAL_COMMAND = 'pgdrift.showRunJournal';
export const CANCEL_COMMAND = 'pgdrift.cancelRun';

export interface RunFeature {
  /** For the Phases panel: the same profile, target and confirmation rules as the command. */
  service: RunService;
  /** The "pgdrift Run" output channel. */
  channel: vscode.OutputChannel;
  disposables: vscode.Disposable[];
  commands: Record<string, (...args: unknown[]) => unknown>;
}

export function registerRun(store: ProfileStore, connections: ConnectionService, comparison: ComparisonState): RunFeature {
  const service = new RunService(store, connections, comparison);
  const channel = vscode.window.createOutputChannel('pgdrift Run');
  const diagnostics = vscode.languages.createDiagnosticCollection('pgdrift-run');
  const active = new Set<vscode.CancellationTokenSource>();
  return {
    service,
    channel,
    disposables: [channel, diagnostics],
    commands: {
      // Arguments: the file or folder (a Uri, as the editor title and explorer pass it), then
      // { mode, profile, phases, to, interactive } for scripts and tests; returns the outcome.
      [RUN_COMMAND]: async (uri, options) => (await import('./runCommand.js')).runMigrationFile({ service, channel, diagnostics, active }, uri, options),
      // Cancels the command's runs in progress (pg_cancel_backend; the phase rolls back), as the notification's Cancel does.
      [CANCEL_COMMAND]: () => {
        for (const run of active) run.cancel();
        return active.size;
      },
      // Argument: an entry's index, newest first, printed without the QuickPick.
      [JOURNAL_COMMAND]: async (index) => (await import('./journalCommand.js')).showRunJournal(channel, index),
    },
  };
}
