/**
 * Inline hazards in migration files. A migration with a target is checked on the target when it
 * is opened, saved or checked on demand: the same engine as `pgdrift check`, through the
 * profile's read-only pool, with the core's probe timeouts, shown in the status bar while it
 * runs. Any edit cancels a running check (its result is thrown away) and the file's diagnostics
 * then come from its parse trees and the target's schema as last read, without numbers, until the
 * next save. A file without a target gets those static hazards only. Results are kept per
 * document version: a diagnostic never describes text that has changed since.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LocatedHazard } from '../../core/check';
import type { LocatedStatement } from '../../core/check/split';
import type { Profile } from '../../core/connect/profile';
import { isPgdriftError, messageOf } from '../../core/errors';
import type { ConnectionService } from '../connections';
import type { ProfileStore } from '../profiles/profileStore';
import type { Checked, TargetSchema } from './engine';
import { SOURCE, diagnosticOf, type Mode } from './present';
import { inMigrationsFolder, migrationTarget, type MigrationTarget } from './targets';

type Engine = typeof import('./engine');

export interface Analysis {
  version: number;
  mode: Mode;
  hazards: LocatedHazard[];
  /** The target's schema the hazards were derived with, when one has been read (backups need its fingerprint). */
  schema?: TargetSchema;
  /** The statements the hazards were found in (remedies that rewrite the file read them). */
  statements?: LocatedStatement[];
}

/** What a check did; the command returns it (the integration tests read it). */
export type CheckOutcome =
  | { status: 'measured'; profile: string; hazards: number }
  | { status: 'static'; mode: Mode['kind']; hazards: number }
  | { status: 'syntax'; message: string }
  /** The file changed while it was being checked: the result was thrown away. */
  | { status: 'discarded' }
  | { status: 'failed'; profile: string; message: string }
  | { status: 'not-sql' };

interface DocState {
  analysis?: Analysis;
  run?: { cancelled: boolean } | undefined;
  timer?: ReturnType<typeof setTimeout> | undefined;
}

/** Typing pauses this long before the static check of the new text. */
const STATIC_DELAY_MS = 300;

export class MigrationDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(SOURCE);
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a document's analysis changes (CodeLens and hover follow it). */
  readonly onDidChange = this.changed.event;
  private readonly states = new Map<string, DocState>();
  /** The schema each profile had at its last check, for static checks of unsaved text. */
  private readonly schemas = new Map<string, TargetSchema>();
  /** Files checked on demand, checked from then on even outside a migrations folder. */
  private readonly forced = new Set<string>();
  /** Connection errors already shown, by profile and message: one notification, not one per save. */
  private readonly shownErrors = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private engineLoad: Promise<Engine> | undefined;
  /** The engine once loaded (code actions compute backups with it synchronously). */
  engine: Engine | undefined;

  constructor(private readonly store: ProfileStore, private readonly connections: ConnectionService, private readonly log: vscode.LogOutputChannel) {
    this.subscriptions.push(
      this.collection,
      this.changed,
      vscode.workspace.onDidOpenTextDocument((d) => void this.opened(d)),
      vscode.workspace.onDidSaveTextDocument((d) => void (this.isMigration(d) ? this.measure(d) : undefined)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.edited(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('pgdrift.migrationTargets') || e.affectsConfiguration('pgdrift.migrationsFolder')) this.recheckAll();
      }),
      // An edited profile (password, host) deserves a new attempt and, if it fails, a new message.
      store.onDidChange(() => {
        this.shownErrors.clear();
        this.schemas.clear();
        this.recheckAll();
      }),
    );
    for (const d of vscode.workspace.textDocuments) void this.opened(d);
  }

  /** The analysis of the document's current text, if there is one. */
  analysisOf(document: vscode.TextDocument): Analysis | undefined {
    const a = this.states.get(document.uri.toString())?.analysis;
    return a && a.version === document.version ? a : undefined;
  }

  /** "pgdrift: Check Migration File": the active SQL editor's file (or `uri`), measured now. */
  async check(uri?: unknown): Promise<CheckOutcome> {
    const document = uri instanceof vscode.Uri || typeof uri === 'string'
      ? await vscode.workspace.openTextDocument(typeof uri === 'string' ? vscode.Uri.parse(uri) : uri)
      : vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'sql') {
      void vscode.window.showInformationMessage('pgdrift: open a SQL migration file to check it.');
      return { status: 'not-sql' };
    }
    this.forced.add(document.uri.toString());
    return this.measure(document);
  }

  dispose(): void {
    for (const s of this.states.values()) this.cancel(s);
    for (const d of this.subscriptions) d.dispose();
  }

  private isMigration(d: vscode.TextDocument): boolean {
    if (d.languageId !== 'sql' || d.isClosed) return false;
    if (this.forced.has(d.uri.toString())) return true;
    // Files on disk only: an unsaved plan Compare opens already carries its hazards as comments.
    return d.uri.scheme === 'file' && (migrationTarget(d) !== undefined || inMigrationsFolder(d));
  }

  private state(d: vscode.TextDocument): DocState {
    const key = d.uri.toString();
    let s = this.states.get(key);
    if (!s) this.states.set(key, (s = {}));
    return s;
  }

  private async opened(d: vscode.TextDocument): Promise<void> {
    if (!this.isMigration(d)) return;
    await (d.isDirty ? this.checkStatic(d) : this.measure(d));
  }

  private edited(d: vscode.TextDocument): void {
    const s = this.states.get(d.uri.toString());
    if (!this.isMigration(d)) {
      // A target line removed from a file not in a migrations folder: nothing to show any more.
      if (s) this.forget(d);
      return;
    }
    const state = s ?? this.state(d);
    this.cancel(state);
    state.timer = setTimeout(() => void this.checkStatic(d), STATIC_DELAY_MS);
  }

  private cancel(s: DocState): void {
    if (s.run) s.run.cancelled = true;
    s.run = undefined;
    if (s.timer) clearTimeout(s.timer);
    s.timer = undefined;
  }

  private forget(d: vscode.TextDocument): void {
    const key = d.uri.toString();
    const s = this.states.get(key);
    if (s) this.cancel(s);
    this.states.delete(key);
    this.collection.delete(d.uri);
    this.changed.fire(d.uri);
  }

  private recheckAll(): void {
    for (const d of vscode.workspace.textDocuments) {
      if (this.isMigration(d)) void (d.isDirty ? this.checkStatic(d) : this.measure(d));
      else if (this.states.has(d.uri.toString())) this.forget(d);
    }
  }

  private loadEngine(): Promise<Engine> {
    this.engineLoad ??= import('./engine.js').then((engine) => (this.engine = engine));
    return this.engineLoad;
  }

  /** The hazards of the current text without measuring: with the target's schema as last read, else presumed. */
  private async checkStatic(d: vscode.TextDocument, mode?: Mode, extra: vscode.Diagnostic[] = []): Promise<CheckOutcome> {
    const version = d.version;
    const target = migrationTarget(d);
    const schema = target ? this.schemas.get(target.profile) : undefined;
    const engine = await this.loadEngine();
    const checked = await engine.checkText(d.getText(), schema);
    if (d.isClosed || d.version !== version) return { status: 'discarded' };
    const m = mode ?? (target ? { kind: 'unsaved', profile: target.profile } : { kind: 'no-target' });
    return this.publish(d, version, checked, m, schema, extra);
  }

  /** The check on the target (static when there is none), replacing the document's diagnostics. */
  private async measure(d: vscode.TextDocument): Promise<CheckOutcome> {
    const target = migrationTarget(d);
    const state = this.state(d);
    this.cancel(state);
    if (!target) return this.checkStatic(d, { kind: 'no-target' });
    const stored = this.store.get(target.profile);
    if (!stored) return this.checkStatic(d, { kind: 'no-target' }, [unknownProfile(d, target)]);
    const profile = stored.profile;
    const run = { cancelled: false };
    state.run = run;
    const version = d.version;
    const text = d.getText();
    const stale = () => run.cancelled || d.isClosed || d.version !== version;
    // Something to read at once, from the schema as last read; the numbers follow.
    await this.checkStatic(d, { kind: 'measuring', profile: profile.name });
    if (stale()) return { status: 'discarded' };
    const title = `pgdrift: checking ${path.basename(d.uri.fsPath || d.uri.path)} on ${profile.name}`;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, async (): Promise<CheckOutcome> => {
      const engine = await this.loadEngine();
      try {
        const session = await this.connections.session(profile);
        const { checked, schema } = await engine.checkOnSession(text, session, stale);
        this.schemas.set(profile.name, schema);
        if (stale()) return { status: 'discarded' };
        for (const key of [...this.shownErrors]) if (key.startsWith(`${profile.name}\0`)) this.shownErrors.delete(key);
        return this.publish(d, version, checked, { kind: 'measured', profile: profile.name }, schema);
      } catch (error) {
        if (stale()) return { status: 'discarded' };
        const message = this.failed(profile, error);
        await this.checkStatic(d, { kind: 'unreachable', profile: profile.name });
        return { status: 'failed', profile: profile.name, message };
      } finally {
        if (state.run === run) state.run = undefined;
      }
    });
  }

  /** Shows a connection or introspection failure once per profile and message; later ones go to the log. */
  private failed(profile: Profile, error: unknown): string {
    const message = isPgdriftError(error) ? error.message : messageOf(error);
    const key = `${profile.name}\0${message}`;
    if (this.shownErrors.has(key)) {
      this.log.warn(`check on "${profile.name}": ${message}`);
      return message;
    }
    this.shownErrors.add(key);
    const failure: Parameters<ConnectionService['showError']>[1] = { status: 'failed', code: isPgdriftError(error) ? error.code : 'internal', message };
    if (isPgdriftError(error) && error.fix) failure.fix = error.fix;
    this.connections.showError(profile, failure);
    return message;
  }

  private publish(d: vscode.TextDocument, version: number, checked: Checked, mode: Mode, schema: TargetSchema | undefined, extra: vscode.Diagnostic[] = []): CheckOutcome {
    const state = this.state(d);
    if (checked.status === 'syntax') {
      const at = new vscode.Position(checked.line - 1, Math.max(0, checked.column - 1));
      const diagnostic = new vscode.Diagnostic(d.validateRange(new vscode.Range(at, at.translate(0, 1))), `PostgreSQL cannot parse this file, so pgdrift cannot check it: ${checked.message}`, vscode.DiagnosticSeverity.Error);
      diagnostic.source = SOURCE;
      diagnostic.code = 'syntax';
      state.analysis = { version, mode, hazards: [], ...(schema ? { schema } : {}) };
      this.collection.set(d.uri, [diagnostic, ...extra]);
      this.changed.fire(d.uri);
      return { status: 'syntax', message: checked.message };
    }
    const hazards = checked.result.hazards;
    state.analysis = { version, mode, hazards, statements: checked.statements, ...(schema ? { schema } : {}) };
    this.collection.set(d.uri, [...hazards.map((h) => diagnosticOf(d, h, mode)), ...extra]);
    this.changed.fire(d.uri);
    return mode.kind === 'measured' ? { status: 'measured', profile: mode.profile, hazards: hazards.length } : { status: 'static', mode: mode.kind, hazards: hazards.length };
  }
}

function unknownProfile(d: vscode.TextDocument, target: MigrationTarget): vscode.Diagnostic {
  const range = target.from === 'header' ? d.lineAt(target.line).range : new vscode.Range(0, 0, 0, 0);
  const where = target.from === 'header' ? 'this -- pgdrift:target line' : `pgdrift.migrationTargets ("${target.folder}")`;
  const diagnostic = new vscode.Diagnostic(range, `No connection profile is named "${target.profile}" (named by ${where}): add it in the Databases view, or name another profile. The hazards below are not measured.`, vscode.DiagnosticSeverity.Error);
  diagnostic.source = SOURCE;
  diagnostic.code = 'target';
  return diagnostic;
}
