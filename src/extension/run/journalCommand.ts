import { join } from 'node:path';
import * as vscode from 'vscode';
import { journalPath, readJournal } from '../../core/run/journal';
import type { JournalEntry, PhaseOutcome } from '../../core/run/types';

/**
 * "pgdrift: Show Run Journal": the runs and rehearsals of `.pgdrift/journal.jsonl`, newest first,
 * in a QuickPick (what, on which profile, when, how it ended); the one picked is written out in
 * full to the "pgdrift Run" output channel. The journal holds no secrets, so neither does this.
 * Argument (tests, scripts): the index of an entry, newest first, to print without asking.
 */
export async function showRunJournal(channel: vscode.OutputChannel, indexArg?: unknown): Promise<JournalEntry | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('pgdrift: open a folder: the run journal is its .pgdrift/journal.jsonl.');
    return undefined;
  }
  const dir = join(folder.uri.fsPath, '.pgdrift');
  const { entries, skipped } = await readJournal(dir);
  const newestFirst = [...entries].reverse();
  if (typeof indexArg === 'number') {
    const entry = newestFirst[indexArg];
    if (entry) print(channel, entry);
    return entry;
  }
  if (newestFirst.length === 0) {
    void vscode.window.showInformationMessage('pgdrift: no runs yet: "Run Migration File…" records every run and rehearsal in .pgdrift/journal.jsonl.');
    return undefined;
  }
  type Item = vscode.QuickPickItem & { entry?: JournalEntry; open?: true };
  const items: Item[] = newestFirst.map((entry) => ({
    label: `${icon(entry)} ${entry.mode === 'run' ? 'Run' : 'Rehearsal'} ${entry.outcome}: ${entry.file}`,
    description: `on ${entry.profile} (${entry.environment})`,
    detail: `${new Date(entry.time).toLocaleString()} · ${entry.phases.map((p) => `${p.name} ${mark(p.outcome)}`).join('  ')} · ${seconds(entry.durationMs)}${entry.failure ? ` · ${entry.failure.message}` : ''}`,
    entry,
  }));
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(json) Open journal.jsonl', description: skipped ? `${skipped} line${skipped === 1 ? '' : 's'} not readable` : '', open: true });
  const picked = await vscode.window.showQuickPick(items, {
    title: `Run journal: ${entries.length} run${entries.length === 1 ? '' : 's'} (newest first)`, placeHolder: 'Pick a run for its details', matchOnDescription: true, matchOnDetail: true,
  });
  if (!picked) return undefined;
  if (picked.open) {
    await vscode.window.showTextDocument(vscode.Uri.file(journalPath(dir)), { preview: true });
    return undefined;
  }
  if (picked.entry) print(channel, picked.entry);
  return picked.entry;
}

function print(channel: vscode.OutputChannel, entry: JournalEntry): void {
  channel.appendLine('');
  channel.appendLine(`━━ Journal: ${entry.mode === 'run' ? 'run' : 'rehearsal'} of ${entry.file} on "${entry.profile}" (${entry.environment}) · ${new Date(entry.time).toLocaleString()} ━━`);
  channel.appendLine(`Outcome: ${entry.outcome} in ${seconds(entry.durationMs)}`);
  channel.appendLine(`File: ${entry.file} (${entry.sha256})`);
  for (const p of entry.phases) channel.appendLine(`  ${mark(p.outcome)} ${p.name}: ${p.outcome}${p.outcome === 'pending' || p.outcome === 'skipped' ? '' : `, ${seconds(p.durationMs)}`}`);
  if (entry.failure) channel.appendLine(`Failed at ${entry.failure.file}:${entry.failure.line}:${entry.failure.column} in phase "${entry.failure.phase}": ${entry.failure.message}`);
  if (entry.fingerprintBefore) channel.appendLine(`Fingerprint before: ${entry.fingerprintBefore}`);
  if (entry.fingerprintAfter) channel.appendLine(`Fingerprint after:  ${entry.fingerprintAfter}`);
  const v = entry.validation;
  if (v) {
    // Without a desired state or backups there is nothing to differ: said as "no … differs", not as a match.
    channel.appendLine(`Checks: ${v.decreasedTables.length ? `rows decreased in ${v.decreasedTables.join(', ')}` : 'no kept table lost rows'}; ${v.objectsMatching ? 'no object count differs from the desired state' : 'object counts differ from the desired state'}; ${v.expectationsFailed} expectation${v.expectationsFailed === 1 ? '' : 's'} failed; ${v.backupsMatching ? 'no backup differs from its manifest' : 'backups differ from their manifest'}${v.remaining === undefined ? '' : `; ${v.remaining} difference${v.remaining === 1 ? '' : 's'} remain`}`);
  }
  channel.show(true);
}

function icon(entry: JournalEntry): string {
  if (entry.outcome === 'succeeded') return entry.mode === 'run' ? '$(pass)' : '$(beaker)';
  if (entry.outcome === 'cancelled') return '$(circle-slash)';
  return '$(error)';
}

function mark(outcome: PhaseOutcome): string {
  if (outcome === 'committed' || outcome === 'rehearsed') return '✓';
  if (outcome === 'failed') return '✗';
  if (outcome === 'rolled back' || outcome === 'cancelled') return '↺';
  return '·';
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
