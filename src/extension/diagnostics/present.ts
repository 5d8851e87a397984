/**
 * Hazards of a checked migration as the editor shows them: a diagnostic per hazard on its
 * statement (the core's message, as `pgdrift check` prints it), the evidence in a hover, and a
 * one-line summary for the CodeLens above a risky statement. Severity follows what the hazard
 * means for the run: a failure or data loss that still blocks is an error or a warning; locks,
 * rewrites, compatibility notes, and whatever was accepted or proven harmless are information.
 */
import * as vscode from 'vscode';
import type { LocatedHazard } from '../../core/check';
import { acceptName, affected, isBlocking, renderAcceptDirective } from '../../core/hazards/accept';
import { plural, quote, show } from '../../core/hazards/measure/bounded';
import type { BoundedCount, Evidence } from '../../core/hazards/types';

export const SOURCE = 'pgdrift';

/** How the hazards were found: measured on the target, or from the parse trees alone (and why). */
export type Mode =
  | { kind: 'measured'; profile: string }
  | { kind: 'measuring'; profile: string }
  | { kind: 'unsaved'; profile: string }
  | { kind: 'unreachable'; profile: string }
  | { kind: 'no-target' };

export function statementRange(document: vscode.TextDocument, h: LocatedHazard): vscode.Range {
  return new vscode.Range(document.positionAt(h.statement.start), document.positionAt(h.statement.end));
}

export function severityOf(h: LocatedHazard): vscode.DiagnosticSeverity {
  if (h.accepted || !isBlocking(h)) return vscode.DiagnosticSeverity.Information;
  return h.severity === 'failure' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
}

/** Why a hazard that a probe could measure has no numbers, when the core did not say already. */
function unmeasured(h: LocatedHazard, mode: Mode): string {
  if (!h.target || h.evidence || /\(not measured/.test(h.message)) return '';
  switch (mode.kind) {
    case 'measuring': return ` (measuring on ${mode.profile}…)`;
    case 'unsaved': return ` (not measured: unsaved changes; save to measure on ${mode.profile})`;
    case 'unreachable': return ` (not measured: the check on ${mode.profile} failed, see its notification)`;
    case 'no-target': return ' (not measured: no target; add -- pgdrift:target <profile>)';
    default: return '';
  }
}

export function diagnosticOf(document: vscode.TextDocument, h: LocatedHazard, mode: Mode): vscode.Diagnostic {
  const measured = mode.kind === 'measured' && h.evidence !== undefined && !h.evidence.unknown;
  // "… (e.g. 'daily', 'weekly') — measured on production." keeps the core's sentence whole.
  const text = measured ? `${h.message.replace(/\.$/, '')} — measured on ${mode.profile}.` : h.message;
  const message = `${text}${unmeasured(h, mode)}${h.accepted ? ' (accepted)' : ''}`;
  const d = new vscode.Diagnostic(statementRange(document, h), message, severityOf(h));
  d.source = SOURCE;
  d.code = h.code;
  return d;
}

const COUNTS: [keyof Evidence, string][] = [
  ['rows', 'rows in the table'], ['values', 'non-null values lost'], ['nulls', 'rows holding NULL'], ['failing', 'rows concerned'],
  ['groups', 'duplicated keys'], ['toCopy', 'values to copy'], ['conflicts', 'values in conflict'],
];

/** The hover over a statement: each hazard with its evidence and how to accept it. */
export function hoverOf(hazards: readonly LocatedHazard[], mode: Mode): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  for (const [i, h] of hazards.entries()) {
    if (i > 0) md.appendMarkdown('\n\n---\n\n');
    const state = h.accepted ? 'accepted' : isBlocking(h) ? 'blocking' : 'not blocking';
    md.appendMarkdown(`**${h.code}** · ${h.severity} · ${state}\n\n`);
    md.appendText(h.message);
    const e = h.evidence;
    if (e && !e.unknown && mode.kind === 'measured') {
      md.appendMarkdown(`\n\nMeasured on **${escape(mode.profile)}**:\n`);
      for (const [key, label] of COUNTS) {
        const c = e[key] as BoundedCount | undefined;
        if (c) md.appendMarkdown(`\n- ${show(c)} ${label}`);
      }
      if (e.samples?.length) md.appendMarkdown(`\n\nSamples: ${e.samples.map((v) => inlineCode(quote(v))).join(', ')}`);
    } else if (e?.unknown) {
      md.appendMarkdown(`\n\nNot measured: ${escape(e.unknown)}.`);
    } else if (h.target) {
      md.appendText(unmeasured(h, mode).trim());
    }
    if (h.remedy) md.appendMarkdown(`\n\nRemedy: ${escape(h.remedy)}`);
    if (!h.accepted && (h.severity === 'data-loss' || h.severity === 'failure')) {
      md.appendMarkdown('\n\nTo accept it:');
      md.appendCodeblock(renderAcceptDirective(h), 'sql');
    }
  }
  return md;
}

/** "DL-02: 2 values lost", "FL-02: 3 NULLs", "DL-01: not measured", "DL-02 accepted". */
export function shortOf(h: LocatedHazard): string {
  if (h.accepted) return `${h.code} accepted`;
  const e = h.evidence;
  const n = affected(h);
  if (!e || e.unknown || n === undefined) return `${h.code}: ${h.target ? 'not measured' : h.severity}`;
  const c = countOf(h, e);
  if (n === 0) return `${h.code}: nothing affected`;
  switch (h.code) {
    case 'DL-02': case 'DL-04': return `${h.code}: ${show(c)} value${plural(c)} lost`;
    case 'DL-01': case 'DL-06': return `${h.code}: ${show(c)} row${plural(c)} lost`;
    case 'FL-01': return `${h.code}: ${show(c)} row${plural(c)}, fails`;
    case 'FL-02': return `${h.code}: ${show(c)} NULL${plural(c)}, fails`;
    default: return `${h.code}: ${show(c)} row${plural(c)} ${h.severity === 'failure' ? 'fail' : 'affected'}`;
  }
}

function countOf(h: LocatedHazard, e: Evidence): BoundedCount {
  const n = affected(h) ?? 0;
  return [e.values, e.rows, e.nulls, e.failing, e.conflicts].find((c) => c?.value === n) ?? { value: n, capped: false };
}

/** The hazards a CodeLens summarises: data loss and failures, the ones a run can be blocked by. */
export function isRisky(h: LocatedHazard): boolean {
  return h.severity === 'data-loss' || h.severity === 'failure';
}

export function objectName(h: LocatedHazard): string {
  return acceptName(h.object);
}

/** A sample as inline code; backticks inside it widen the fence, as Markdown allows. */
function inlineCode(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${text.replace(/\n/g, ' ')} ${fence}`;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
