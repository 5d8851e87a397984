/**
 * The "first comparison" walkthrough (contributes.walkthroughs in package.json): the command that
 * opens it, and the context key its steps complete on (`pgdrift.profileCount`: how many connection
 * profiles the settings hold, so a database added by hand in settings.json ticks the steps too).
 * Nothing here loads the engine or connects.
 */
import * as vscode from 'vscode';
import type { ProfileStore } from './profiles/profileStore';

export const WALKTHROUGH_ID = 'firstComparison';
export const OPEN_WALKTHROUGH_COMMAND = 'pgdrift.openWalkthrough';
const PROFILE_COUNT_CONTEXT = 'pgdrift.profileCount';

export interface WalkthroughFeature {
  disposables: vscode.Disposable[];
  commands: Record<string, (...args: unknown[]) => unknown>;
}

export function registerWalkthrough(context: vscode.ExtensionContext, store: ProfileStore): WalkthroughFeature {
  const count = () => void vscode.commands.executeCommand('setContext', PROFILE_COUNT_CONTEXT, store.list().length);
  count();
  return {
    disposables: [store.onDidChange(count)],
    commands: {
      // The walkthrough's full id is `<publisher>.<name>#<id>`, the extension's own id first.
      [OPEN_WALKTHROUGH_COMMAND]: () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false),
    },
  };
}
