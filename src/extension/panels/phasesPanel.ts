/**
 * The Phases panel: one webview showing one migration (file or folder), its phases and what the
 * checks found after each. It runs nothing itself: Run phase, Run remaining and Rehearse all go
 * through the run service the "Run Migration File…" command uses (same profile choice, guards,
 * production confirmation, journal), and the runner's events become the panel's state
 * (phasesModel.ts), posted whole to the page.
 *
 * The state outlives the page: the page keeps it with setState (VS Code hands it to the serializer
 * after a reload), and the extension keeps the last one in workspaceState, so the panel comes back
 * showing the last run, and opening it without a file opens that run's migration.
 */
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import type { RunEvent } from '../../core/run/types';
import {
  PHASES_VIEW_TYPE, isPanelState, isWebviewMessage, type ExtensionMessage, type PanelAction, type PhasesPanelState, type WebviewMessage,
} from '../../protocol/phases';
import type { RunOptions, RunServiceOutcome } from '../run/runService';
import { phasesHtml, webviewRoot } from './phasesHtml';
import { applyEvent, endedWith, omit, stateOf, unreadableState } from './phasesModel';

export const OPEN_PHASES_COMMAND = 'pgdrift.openPhasesPanel';
const LAST_STATE = 'pgdrift.phases.lastState';

/** What the panel needs of the run service (src/extension/run/runService.ts). */
export interface PanelRuns {
  run(uri: vscode.Uri, options: RunOptions, onEvent: (event: RunEvent) => void, token: vscode.CancellationToken): Promise<RunServiceOutcome>;
}

/** How the panel is opened from a script or a test: the profile and desired state to run with, without asking. */
export interface OpenOptions {
  profile?: string;
  to?: string;
  interactive?: boolean;
}

/** What the tests read (pgdrift.phases.snapshot). */
export interface PanelSnapshot {
  state?: PhasesPanelState;
  /** The panel's text as the page shows it; absent when no page answered. */
  text?: string;
  visible: boolean;
  /** The page said it is listening. */
  ready: boolean;
  /** What the page reported it could not do (content security policy, script errors). */
  problems: string[];
}

/** Events that change what a reader sees at once; the rest (each statement) are posted at most every POST_MS. */
const PROMPT_EVENTS = new Set<RunEvent['type']>(['run-start', 'phase-start', 'phase-end', 'validation', 'run-end']);
const POST_MS = 100;

export class PhasesPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private state: PhasesPanelState | undefined;
  private running: vscode.CancellationTokenSource | undefined;
  private interactive = true;
  private postTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, (message: WebviewMessage) => void>();
  private readonly problems: string[] = [];
  /** The run going now has sent its run-end event. */
  private runEnded = false;
  /** The current page said it is listening. */
  private ready = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly runs: PanelRuns,
    private readonly environmentOf: (profile: string) => string | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.state = this.lastState();
  }

  /** Brings panels back after a reload, with the state their page kept. */
  registerSerializer(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(PHASES_VIEW_TYPE, { deserializeWebviewPanel: (panel, saved: unknown) => this.deserialize(panel, saved) });
  }

  /** A page VS Code made again (after a reload) with what the old page kept (setState), if anything. */
  private async deserialize(panel: vscode.WebviewPanel, saved: unknown): Promise<void> {
    const kept = (saved as { state?: unknown } | undefined)?.state;
    const restored = isPanelState(kept) ? kept : this.lastState();
    if (this.panel) {
      // One panel at a time: a second restored page (an older layout) closes.
      panel.dispose();
      return;
    }
    if (restored) this.state = restored.running ? interrupted(restored) : restored;
    // A page restored by VS Code comes back with the options it had; setting them again would reload it.
    if (!panel.webview.options.enableScripts) panel.webview.options = this.webviewOptions();
    this.attach(panel);
    if (this.state) await this.load(vscode.Uri.parse(this.state.uri));
  }

  /**
   * pgdrift.phases.revive (hidden, for tests; the test harness cannot reload the window it runs
   * in): closes the page, forgets the state in memory, and makes a new page through the serializer's
   * own path, handing it what the old page kept (`fromPage`), or nothing, as VS Code does for a
   * page that never kept a state (then the workspace's last state serves).
   */
  async revive(fromPage: unknown): Promise<PhasesPanelState | undefined> {
    let saved: unknown;
    if (fromPage !== false && this.panel) {
      const answer = await this.ask({ type: 'describe', id: this.nextId++ }, 5_000);
      saved = answer?.type === 'description' ? answer.saved : undefined;
    }
    if (this.running) return this.state;
    if (this.panel) {
      this.panel.dispose();
      // VS Code for the Web loses the messages of a page of the same view type made while the old one's frame is still being torn down.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    this.state = undefined;
    const panel = this.createPanel();
    await this.deserialize(panel, saved);
    return this.state;
  }

  /**
   * pgdrift.openPhasesPanel: the migration given (a Uri from the editor title or the explorer, or a
   * path), else the active SQL editor's file, else the last run's migration, else a file picked.
   */
  async open(arg?: unknown, options?: unknown): Promise<PhasesPanelState | undefined> {
    const uri = await this.migrationUri(arg);
    if (!uri) return undefined;
    const opts = isOpenOptions(options) ? options : {};
    if (this.running && this.state && this.state.uri !== uri.toString()) {
      this.reveal();
      void vscode.window.showWarningMessage(`pgdrift: the Phases panel is running ${this.state.label}; stop it before opening another migration.`);
      return this.state;
    }
    if (this.state && this.state.uri !== uri.toString()) this.state = undefined;
    if (opts.interactive !== undefined) this.interactive = opts.interactive;
    this.reveal();
    await this.load(uri);
    if (this.state && (opts.profile !== undefined || opts.to !== undefined)) {
      this.state = { ...this.state, ...(opts.profile !== undefined ? withProfile(opts.profile, this.environmentOf(opts.profile)) : {}), ...(opts.to !== undefined ? { to: opts.to } : {}) };
      this.save();
      this.post();
    }
    return this.state;
  }

  /** pgdrift.phases.snapshot (hidden, for tests). */
  async snapshot(): Promise<PanelSnapshot> {
    const out: PanelSnapshot = { visible: this.panel?.visible === true, ready: this.ready, problems: [...this.problems] };
    if (this.state) out.state = this.state;
    // A page not yet listening would leave the question unanswered until the timeout.
    if (this.panel?.visible && this.ready) {
      const answer = await this.ask({ type: 'describe', id: this.nextId++ }, 3_000);
      if (answer?.type === 'description') out.text = answer.text;
    }
    return out;
  }

  /** pgdrift.phases.click (hidden, for tests): clicks a button of the page; resolves with whether it was there and enabled. */
  async click(action: unknown, phase?: unknown): Promise<{ found: boolean; disabled: boolean }> {
    if (!this.panel) return { found: false, disabled: false };
    const message: ExtensionMessage = { type: 'click', id: this.nextId++, action: String(action) as PanelAction, ...(typeof phase === 'string' ? { phase } : {}) };
    const answer = await this.ask(message, 5_000);
    return answer?.type === 'clicked' ? { found: answer.found, disabled: answer.disabled } : { found: false, disabled: false };
  }

  dispose(): void {
    this.running?.cancel();
    this.panel?.dispose();
    if (this.postTimer) clearTimeout(this.postTimer);
  }

  private reveal(): void {
    if (this.panel) {
      this.panel.reveal(undefined, false);
      return;
    }
    const panel = this.createPanel();
    this.attach(panel);
  }

  /** Scripts on, and nothing readable but dist/webview. */
  private webviewOptions(): vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [webviewRoot(this.context.extensionUri)] };
  }

  private createPanel(): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(PHASES_VIEW_TYPE, 'Phases', { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, this.webviewOptions());
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'pgdrift.svg');
    panel.webview.html = phasesHtml(panel.webview, this.context.extensionUri);
    this.retitle();
    // Each page's listeners go with it: a page closed while its successor opens must not take the new one's.
    const listeners: vscode.Disposable[] = [
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (this.panel === panel) this.receive(message);
      }),
      panel.onDidDispose(() => {
        for (const d of listeners) d.dispose();
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.ready = false;
        // A run keeps going without its page; reopening the panel shows it.
      }),
    ];
  }

  private retitle(): void {
    if (this.panel && this.state) this.panel.title = `Phases: ${this.state.label.slice(this.state.label.lastIndexOf('/') + 1)}`;
  }

  private receive(message: unknown): void {
    if (!isWebviewMessage(message)) return;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post();
        break;
      case 'run':
        if (this.running) this.log.warn('Phases panel: a run is going; the request to run was ignored');
        void this.run(message.mode, message.phases);
        break;
      case 'stop':
        this.running?.cancel();
        break;
      case 'reveal':
        void this.revealLocation(message.file, message.line, message.column);
        break;
      case 'reload':
        if (this.state && !this.running) void this.load(vscode.Uri.parse(this.state.uri));
        break;
      case 'description':
      case 'clicked':
        this.waiting.get(message.id)?.(message);
        this.waiting.delete(message.id);
        break;
      case 'problem':
        this.problems.push(message.text);
        this.log.warn(`Phases panel: ${message.text}`);
        break;
    }
  }

  private ask(message: Extract<ExtensionMessage, { id: number }>, timeoutMs: number): Promise<WebviewMessage | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(message.id);
        resolve(undefined);
      }, timeoutMs);
      this.waiting.set(message.id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      void this.panel?.webview.postMessage(message);
    });
  }

  /** Reads the migration again; phases that keep their names keep their last status and checks. */
  private async load(uri: vscode.Uri): Promise<void> {
    const label = vscode.workspace.asRelativePath(uri, false);
    try {
      const { loadMigration } = await import('../../core/run/load.js');
      this.state = stateOf(uri.toString(), label, await loadMigration(uri.fsPath), this.state);
    } catch (error) {
      this.state = unreadableState(uri.toString(), label, `${label} cannot be read: ${error instanceof Error ? error.message : String(error)}`, this.state);
    }
    this.retitle();
    this.save();
    this.post();
  }

  private async run(mode: 'run' | 'rehearse', phases: readonly string[] | undefined): Promise<void> {
    if (this.running || !this.state) return;
    const cancel = new vscode.CancellationTokenSource();
    this.running = cancel;
    this.runEnded = false;
    const uri = vscode.Uri.parse(this.state.uri);
    this.state = { ...omit(this.state, 'message'), running: true, mode };
    this.post();
    const options: RunOptions = { mode, interactive: this.interactive };
    if (phases) options.phases = phases;
    if (this.state.profile) options.profile = this.state.profile;
    if (this.state.to) options.to = this.state.to;
    this.log.info(`Phases panel: ${mode === 'rehearse' ? 'rehearsing' : 'running'} ${phases ? phases.join(', ') : 'every phase'} of ${this.state.label}${options.profile ? ` on "${options.profile}"` : ''}`);
    let outcome: RunServiceOutcome;
    try {
      outcome = await this.runs.run(uri, options, (event) => this.event(event), cancel.token);
    } catch (error) {
      outcome = { status: 'error', message: error instanceof Error ? error.message : String(error) };
    } finally {
      cancel.dispose();
      this.running = undefined;
    }
    this.finish(outcome);
  }

  private event(event: RunEvent): void {
    if (!this.state) return;
    this.state = applyEvent(this.state, event);
    // The service still writes the journal after the run's end: the buttons wait for it (finish).
    if (event.type === 'run-end') {
      this.runEnded = true;
      this.state = { ...this.state, running: true };
    }
    if (PROMPT_EVENTS.has(event.type)) {
      this.post();
      if (event.type !== 'run-start' && event.type !== 'phase-start') this.save();
    } else {
      this.postSoon();
    }
  }

  private finish(outcome: RunServiceOutcome): void {
    this.log.info(`Phases panel: ${outcome.status === 'finished' ? `${outcome.result.mode} ${outcome.result.outcome} in ${outcome.result.durationMs} ms` : outcome.status}${'message' in outcome ? `: ${outcome.message}` : ''}`);
    if (!this.state) return;
    if ('profile' in outcome && outcome.profile) this.state = { ...this.state, ...withProfile(outcome.profile, this.environmentOf(outcome.profile)) };
    switch (outcome.status) {
      case 'finished':
        // The run-end event has set everything but `running`; a run that ended without one is closed here.
        if (!this.runEnded) this.state = applyEvent(this.state, { type: 'run-end', result: outcome.result });
        this.state = { ...this.state, running: false };
        // The migration as it ran (the service read it again, saving its editors first).
        this.state = stateOf(this.state.uri, this.state.label, outcome.migration, this.state);
        break;
      case 'refused':
        this.state = { ...endedWith(this.state, 'error', [`Refused: ${outcome.message}`, ...outcome.details].join('\n')), outcome: 'refused' };
        break;
      case 'error':
        this.state = endedWith(this.state, 'error', outcome.message);
        break;
      case 'dismissed':
        this.state = endedWith(this.state, 'info', 'Nothing ran: a choice was dismissed.');
        break;
    }
    this.save();
    this.post();
  }

  private postSoon(): void {
    this.postTimer ??= setTimeout(() => this.post(), POST_MS);
  }

  private post(): void {
    if (this.postTimer) clearTimeout(this.postTimer);
    this.postTimer = undefined;
    if (this.panel && this.state) void this.panel.webview.postMessage({ type: 'state', state: this.state } satisfies ExtensionMessage);
  }

  private save(): void {
    if (this.state) void this.context.workspaceState.update(LAST_STATE, this.state);
  }

  private lastState(): PhasesPanelState | undefined {
    const kept = this.context.workspaceState.get<unknown>(LAST_STATE);
    return isPanelState(kept) ? kept : undefined;
  }

  private async migrationUri(arg: unknown): Promise<vscode.Uri | undefined> {
    if (arg instanceof vscode.Uri) return arg;
    if (typeof arg === 'string' && arg) return vscode.Uri.file(isAbsolute(arg) ? arg : join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '', arg));
    const editor = vscode.window.activeTextEditor?.document;
    if (editor?.languageId === 'sql' && editor.uri.scheme === 'file') return editor.uri;
    if (this.state) return vscode.Uri.parse(this.state.uri);
    const picked = await vscode.window.showOpenDialog({
      title: 'Open a migration in the Phases panel', canSelectFiles: true, canSelectFolders: true, canSelectMany: false, filters: { SQL: ['sql'] }, openLabel: 'Open',
    });
    return picked?.[0];
  }

  /** Opens a file of the migration at a position (as the migration names it: absolute, or relative to its folder). */
  private async revealLocation(file: string, line: number, column: number): Promise<void> {
    const base = this.state ? vscode.Uri.parse(this.state.uri).fsPath : '';
    const path = isAbsolute(file) ? file : join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? base, file);
    const position = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(position, position) });
  }
}

function withProfile(profile: string, environment: string | undefined): Pick<PhasesPanelState, 'profile' | 'environment'> {
  return environment === undefined ? { profile } : { profile, environment };
}

/** A state saved while a run was going: the window reloaded (or closed) in the middle of it. */
function interrupted(state: PhasesPanelState): PhasesPanelState {
  return endedWith(state, 'warning', 'The window reloaded during the run: the phase that was running ended with its connection, so PostgreSQL rolled it back. Statements that run outside a transaction may have completed.');
}

function isOpenOptions(value: unknown): value is OpenOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof vscode.Uri);
}
