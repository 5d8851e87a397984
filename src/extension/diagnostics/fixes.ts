/**
 * Quick fixes on pgdrift's hazard diagnostics, each inserting what the core writes before the
 * statement: the backup the plan would take before a drop (from the target's schema and
 * fingerprint, so only once the target has been read), and always the `-- pgdrift:accept CODE
 * object` line that accepts the hazard by name; and rewrites of the statement itself where the
 * core writes a safer equivalent (statementRemedies.ts: RENAME instead of DROP + ADD, the copy into a
 * kept twin before its drop, the `null` cast policy, the two-step SET NOT NULL). After the edit the file is checked again.
 */
import * as vscode from 'vscode';
import type { LocatedHazard } from '../../core/check';
import { renderAcceptDirective } from '../../core/hazards/accept';
import type { Analysis, MigrationDiagnostics } from './controller';
import { SOURCE, diagnosticOf, objectName, statementRange } from './present';

export const CHECK_COMMAND = 'pgdrift.checkMigrationFile';
export const APPLY_FIX_COMMAND = 'pgdrift.applyMigrationFix';

export type FixKind = 'accept' | 'backup' | 'rename' | 'twin-copy' | 'cast-null' | 'online-not-null';

export interface Fix {
  kind: FixKind;
  title: string;
  edit: vscode.WorkspaceEdit;
}

/** Inserted at the start of the statement's first line, with that line's indentation. */
function insertBefore(document: vscode.TextDocument, h: LocatedHazard, text: string): vscode.WorkspaceEdit {
  const line = document.lineAt(statementRange(document, h).start.line);
  const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex);
  const body = text.replace(/\n$/, '').split('\n').map((l) => `${indent}${l}`).join('\n');
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, line.range.start, `${body}\n`);
  return edit;
}

export function fixesFor(document: vscode.TextDocument, h: LocatedHazard, analysis: Analysis, diagnostics: MigrationDiagnostics): Fix[] {
  if (h.accepted) return [];
  const out: Fix[] = [];
  const backup = analysis.schema && diagnostics.engine?.backupFor(h, analysis.schema, document.getText());
  if (backup) out.push({ kind: 'backup', title: `Back up ${objectName(h)} first (into pgdrift_backup)`, edit: insertBefore(document, h, backup) });
  if (diagnostics.engine && analysis.statements) {
    for (const r of diagnostics.engine.rewritesFor(h, document.getText(), analysis.statements, analysis.schema)) {
      const edit = new vscode.WorkspaceEdit();
      for (const e of r.edits) edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.text);
      out.push({ kind: r.kind, title: r.title, edit });
    }
  }
  if (h.severity === 'data-loss' || h.severity === 'failure') {
    out.push({ kind: 'accept', title: `Accept ${h.code} for ${objectName(h)}`, edit: insertBefore(document, h, renderAcceptDirective(h)) });
  }
  return out;
}

/** The hazard a diagnostic of this document's current analysis was made from. */
export function hazardOf(analysis: Analysis, document: vscode.TextDocument, d: vscode.Diagnostic): LocatedHazard | undefined {
  if (d.source !== SOURCE) return undefined;
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return analysis.hazards.find((h) => h.code === code && statementRange(document, h).isEqual(d.range) && diagnosticOf(document, h, analysis.mode).message === d.message);
}

export class HazardFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: MigrationDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const analysis = this.diagnostics.analysisOf(document);
    if (!analysis) return [];
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      const h = hazardOf(analysis, document, d);
      if (!h) continue;
      for (const fix of fixesFor(document, h, analysis, this.diagnostics)) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.edit = fix.edit;
        action.command = { command: CHECK_COMMAND, title: 'Check Migration File', arguments: [document.uri] };
        out.push(action);
      }
    }
    return out;
  }
}

/** The CodeLens buttons: the same fix as the quick fix, for the hazard at `index` of the analysis of `version`. */
export async function applyFix(diagnostics: MigrationDiagnostics, uri: unknown, version: unknown, index: unknown, kind: unknown): Promise<boolean> {
  if (typeof uri !== 'string' || typeof index !== 'number') return false;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const analysis = diagnostics.analysisOf(document);
  if (!analysis || analysis.version !== version) return false;
  const h = analysis.hazards[index];
  const fix = h ? fixesFor(document, h, analysis, diagnostics).find((f) => f.kind === kind) : undefined;
  if (!fix) return false;
  const applied = await vscode.workspace.applyEdit(fix.edit);
  if (applied) await diagnostics.check(document.uri);
  return applied;
}
