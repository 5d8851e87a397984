import { isAbsolute, resolve } from 'node:path';
import * as vscode from 'vscode';
import { renderEventLines } from '../../core/run/renderEvent';
import type { Migration, RunFailure, RunMode, RunResult } from '../../core/run/types';
import type { PreparedRun, RunOptions, RunService, RunServiceOutcome } from './runService';

/**
 * "pgdrift: Run Migration File…": a SQL file (the editor's, or the explorer's file or folder),
 * the profile (the file's target first), Rehearse or Run, then the core's run behind a cancellable
 * notification. Every event goes to the "pgdrift Run" output channel as the CLI prints it; a
 * failing statement becomes an Error diagnostic on its text, revealed in its file, and stays until
 * that migration runs again.
 */
export interface RunSurfaces {
  service: RunService;
  channel: vscode.OutputChannel;
  diagnostics: vscode.DiagnosticCollection;
  /** Runs in progress, for "pgdrift: Cancel Run" (the notification's Cancel does the same). */
  active: Set<vscode.CancellationTokenSource>;
}

/** What the command returns: the outcome, and the lines it wrote to the output channel. */
export type RunCommandOutcome = RunServiceOutcome & { output?: string[] };

export async function runMigrationFile(surfaces: RunSurfaces, uriArg?: unknown, optionsArg?: unknown): Promise<RunCommandOutcome | undefined> {
  const uri = await migrationUri(uriArg);
  if (!uri) return undefined;
  const options = runOptions(optionsArg);
  const prepared = await surfaces.service.prepare(uri, options);
  if ('status' in prepared) {
    if (prepared.status === 'error') showError(surfaces.channel, `pgdrift: ${prepared.message}`);
    return prepared;
  }
  return runPrepared(surfaces, prepared);
}

/** Runs a prepared migration with its output, progress, diagnostics and closing message. */
export async function runPrepared(surfaces: RunSurfaces, prepared: PreparedRun): Promise<RunCommandOutcome> {
  const { diagnostics } = surfaces;
  const output: string[] = [];
  const channel = { appendLine: (line: string) => { output.push(line); surfaces.channel.appendLine(line); }, show: (preserveFocus: boolean) => surfaces.channel.show(preserveFocus) };
  const { migration, profile, mode } = prepared;
  const name = vscode.workspace.asRelativePath(prepared.uri);
  for (const file of migration.files) diagnostics.delete(vscode.Uri.file(absolute(file.path, migration)));

  channel.appendLine('');
  channel.appendLine(`━━ ${mode === 'run' ? 'Run' : 'Rehearsal'} of ${name} on "${profile.name}" (${profile.environment ?? 'development'}) · ${new Date().toLocaleString()} ━━`);
  if (prepared.toLabel) channel.appendLine(`Validated against ${prepared.toLabel}.`);
  channel.show(true);

  // The core names files by the absolute paths the command loads; the channel shows them relative to the workspace.
  const folder = vscode.workspace.getWorkspaceFolder(prepared.uri)?.uri.fsPath;
  const shorten = (line: string) => (folder ? line.split(`${folder}/`).join('') : line);
  const verb = mode === 'run' ? 'running' : 'rehearsing';
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `pgdrift: ${verb} ${name} on "${profile.name}"`, cancellable: true },
    async (progress, token) => {
      const cancel = new vscode.CancellationTokenSource();
      const linked = token.onCancellationRequested(() => cancel.cancel());
      surfaces.active.add(cancel);
      void vscode.commands.executeCommand('setContext', 'pgdrift.running', true);
      try {
        return await surfaces.service.execute(prepared, (event) => {
          for (const line of renderEventLines(event)) channel.appendLine(shorten(line));
          if (event.type === 'phase-start') progress.report({ message: `phase ${event.index + 1} of ${migration.phases.length}: ${event.phase}` });
        }, cancel.token);
      } finally {
        surfaces.active.delete(cancel);
        linked.dispose();
        cancel.dispose();
        void vscode.commands.executeCommand('setContext', 'pgdrift.running', surfaces.active.size > 0);
      }
    },
  );
  report(surfaces, prepared, outcome, name, channel, shorten);
  return { ...outcome, output };
}

interface Channel {
  appendLine(line: string): void;
  show(preserveFocus: boolean): void;
}

function report(surfaces: RunSurfaces, prepared: PreparedRun, outcome: RunServiceOutcome, name: string, channel: Channel, shorten: (text: string) => string): void {
  const on = `on "${prepared.profile.name}"`;
  if (outcome.status === 'error') {
    channel.appendLine(`Error: ${shorten(outcome.message)}`);
    showError(channel, `pgdrift: ${name} ${on}: ${shorten(outcome.message)}`);
    return;
  }
  if (outcome.status === 'refused') {
    channel.appendLine(`Refused: ${shorten(outcome.message)}`);
    for (const detail of outcome.details) channel.appendLine(`  ${shorten(detail)}`);
    // Values that do not fit are the fix to make: the first is named, not only counted.
    const first = outcome.refusal === 'misfits' && outcome.details[0]
      ? ` (${outcome.details.length > 1 ? 'the first: ' : ''}${shorten(outcome.details[0])}${outcome.details.length > 1 ? '; the others in the output' : ''})` : '';
    showError(channel, `pgdrift: refused to ${prepared.mode === 'run' ? 'run' : 'rehearse'} ${name} ${on}: ${shorten(outcome.message)}${first}`);
    return;
  }
  if (outcome.status !== 'finished') return;
  const { result } = outcome;
  const seconds = `${(result.durationMs / 1000).toFixed(1)} s`;
  if (result.outcome === 'succeeded') {
    const phases = countOf(result.phases.filter((p) => p.outcome === 'committed' || p.outcome === 'rehearsed').length, 'phase');
    const skipped = result.notRehearsed.length ? ` ${countOf(result.notRehearsed.length, 'statement')} not rehearsed (they cannot run in a transaction).` : '';
    void vscode.window.showInformationMessage(result.mode === 'run'
      ? `pgdrift: ${name} ran ${on}: ${phases} committed in ${seconds}.`
      : `pgdrift: rehearsal of ${name} ${on} passed: ${phases} in ${seconds}, rolled back.${skipped}`);
    return;
  }
  const failure = result.failure;
  if (result.outcome === 'cancelled' || failure?.kind === 'cancelled') {
    const phase = failure?.phase ?? result.phases.find((p) => p.outcome === 'cancelled')?.name;
    void vscode.window.showWarningMessage(`pgdrift: ${result.mode === 'run' ? 'run' : 'rehearsal'} of ${name} cancelled${phase ? `; phase "${phase}" rolled back` : ''}.${committedNote(result)}`);
    return;
  }
  if (failure) {
    const at = `${vscode.workspace.asRelativePath(absolute(failure.file, prepared.migration))}:${failure.line}`;
    showError(channel, `pgdrift: ${name} failed in phase "${failure.phase}" at ${at}: ${failure.message}${failure.sqlstate ? ` (SQLSTATE ${failure.sqlstate})` : ''}.${committedNote(result)}`);
    void revealFailure(surfaces.diagnostics, failure, prepared.migration);
    return;
  }
  showError(channel, `pgdrift: ${name} ${result.outcome} ${on}.`);
}

/** In a run, the phases committed before the failure stay committed: said so. */
function committedNote(result: RunResult): string {
  if (result.mode !== 'run') return ' Nothing changed (rehearsal).';
  const committed = result.phases.filter((p) => p.outcome === 'committed').map((p) => `"${p.name}"`);
  return committed.length ? ` Committed before: ${committed.join(', ')}.` : ' Nothing was committed.';
}

/**
 * The failing statement as an Error diagnostic: from the server's error position (or the
 * statement's first token) to the end of the statement; the file opens with the range selected.
 */
async function revealFailure(diagnostics: vscode.DiagnosticCollection, failure: RunFailure, migration: Migration): Promise<void> {
  const path = absolute(failure.file, migration);
  const uri = vscode.Uri.file(path);
  const text = migration.files.find((f) => absolute(f.path, migration) === path)?.text;
  const start = new vscode.Position(Math.max(0, failure.line - 1), Math.max(0, failure.column - 1));
  let end: vscode.Position | undefined;
  if (text !== undefined && failure.step?.kind === 'statement') end = positionAt(text, failure.step.end);
  if (text !== undefined && (!end || end.isBeforeOrEqual(start))) end = new vscode.Position(start.line, lineLength(text, start.line));
  const range = new vscode.Range(start, end ?? start.translate(0, 1));
  const lines = [`${failure.message}${failure.sqlstate ? ` (SQLSTATE ${failure.sqlstate})` : ''}`];
  if (failure.detail) lines.push(`Detail: ${failure.detail}`);
  if (failure.hint) lines.push(`Hint: ${failure.hint}`);
  lines.push(`Phase "${failure.phase}" was rolled back${failure.kind === 'expect' ? ': the expectation did not hold' : ''}.`);
  const diagnostic = new vscode.Diagnostic(range, lines.join('\n'), vscode.DiagnosticSeverity.Error);
  diagnostic.source = 'pgdrift run';
  diagnostics.set(uri, [diagnostic]);
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  // Selected with the cursor at its start: the statement's first line stays in view, and a hover opens above it.
  editor.selection = new vscode.Selection(range.end, range.start);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** The uri argument (editor title, explorer), else the active SQL editor's file, else an open dialog. */
async function migrationUri(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '') return vscode.Uri.file(arg);
  const document = vscode.window.activeTextEditor?.document;
  if (document?.languageId === 'sql') {
    if (document.uri.scheme === 'file') return document.uri;
    void vscode.window.showWarningMessage('pgdrift: save the migration to a file first: a run reads its file and records it in the journal.');
    return undefined;
  }
  const picked = await vscode.window.showOpenDialog({
    title: 'Run which migration?', canSelectFiles: true, canSelectFolders: true, canSelectMany: false, filters: { SQL: ['sql'] }, openLabel: 'Run…',
  });
  return picked?.[0];
}

/** Options given as the command's second argument (scripts, tests); the production confirmation is still asked. */
function runOptions(arg: unknown): RunOptions {
  if (typeof arg !== 'object' || arg === null) return {};
  const given = arg as Record<string, unknown>;
  const options: RunOptions = {};
  if (given.mode === 'run' || given.mode === 'rehearse') options.mode = given.mode as RunMode;
  if (typeof given.profile === 'string') options.profile = given.profile;
  if (typeof given.to === 'string') options.to = given.to;
  if (Array.isArray(given.phases)) options.phases = given.phases.map(String);
  // Given as arguments, the options are all there is to ask: what they leave open takes its default.
  options.interactive = typeof given.interactive === 'boolean' ? given.interactive : false;
  return options;
}

function showError(channel: Channel, message: string): void {
  void vscode.window.showErrorMessage(message, 'Show Output').then((choice) => {
    if (choice) channel.show(false);
  });
}

/** A file as the migration names it, made absolute (the command loads migrations by absolute path). */
function absolute(file: string, migration: Migration): string {
  return isAbsolute(file) ? file : resolve(isAbsolute(migration.path) ? resolve(migration.path, '..') : '.', file);
}

function positionAt(text: string, offset: number): vscode.Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return new vscode.Position(line, offset - (before.lastIndexOf('\n') + 1));
}

function lineLength(text: string, line: number): number {
  return (text.split('\n')[line] ?? '').replace(/\r$/, '').length;
}

function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
