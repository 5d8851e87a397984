/**
 * The Phases panel's registration: its serializer (so it comes back after a reload) and its
 * commands. Registering loads no engine; the panel reads its first migration when opened.
 */
import * as vscode from 'vscode';
import type { ProfileStore } from '../profiles/profileStore';
import { OPEN_PHASES_COMMAND, PhasesPanel, type PanelRuns } from './phasesPanel';

export function registerPhasesPanel(context: vscode.ExtensionContext, runs: PanelRuns, store: ProfileStore, log: vscode.LogOutputChannel): {
  disposables: vscode.Disposable[];
  commands: Record<string, (...args: unknown[]) => unknown>;
} {
  const panel = new PhasesPanel(context, runs, (name) => store.get(name)?.profile.environment ?? (store.get(name) ? 'development' : undefined), log);
  return {
    disposables: [panel, panel.registerSerializer()],
    commands: {
      // Arguments: the migration file or folder (a Uri from the editor title or the explorer, or a
      // path), then { profile, to, interactive } to run without asking; returns the panel's state.
      [OPEN_PHASES_COMMAND]: (uri, options) => panel.open(uri, options),
      // Hidden, for tests: the panel's state and the text its page shows.
      'pgdrift.phases.snapshot': () => panel.snapshot(),
      // Hidden, for tests: (action, phase?) clicks that button of the page.
      'pgdrift.phases.click': (action, phase) => panel.click(action, phase),
      // Hidden, for tests: the page made again through the serializer's path (false: without the page's saved state).
      'pgdrift.phases.revive': (fromPage) => panel.revive(fromPage),
    },
  };
}
