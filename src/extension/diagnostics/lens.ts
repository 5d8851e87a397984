/**
 * Above each statement with a data-loss or failure hazard, a CodeLens sums it up ("⚠ DL-02: 2
 * values lost") with the fixes as buttons; hovering the statement shows each hazard's evidence.
 */
import * as vscode from 'vscode';
import type { LocatedHazard } from '../../core/check';
import type { MigrationDiagnostics } from './controller';
import { APPLY_FIX_COMMAND, fixesFor, type FixKind } from './fixes';
import { hoverOf, isRisky, shortOf, statementRange } from './present';

const LENS_TITLES: Record<Exclude<FixKind, 'accept'>, string> = { backup: 'back up first', rename: 'rename instead', 'twin-copy': 'copy into twin first', 'cast-null': 'invalid values to NULL', 'online-not-null': 'two-step NOT NULL' };

export class HazardLenses implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly diagnostics: MigrationDiagnostics) {
    this.onDidChangeCodeLenses = (listener, thisArg, disposables) => diagnostics.onDidChange(() => listener.call(thisArg), undefined, disposables);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const analysis = this.diagnostics.analysisOf(document);
    if (!analysis) return [];
    const byStatement = new Map<number, { h: LocatedHazard; index: number }[]>();
    analysis.hazards.forEach((h, index) => {
      if (!isRisky(h)) return;
      const list = byStatement.get(h.statement.index) ?? [];
      list.push({ h, index });
      byStatement.set(h.statement.index, list);
    });
    const out: vscode.CodeLens[] = [];
    for (const list of byStatement.values()) {
      const first = list[0];
      if (!first) continue;
      const start = statementRange(document, first.h).start;
      const range = new vscode.Range(start, start);
      const open = list.some(({ h }) => !h.accepted);
      out.push(new vscode.CodeLens(range, {
        title: `${open ? '⚠' : '✓'} ${list.map(({ h }) => shortOf(h)).join(' · ')}`,
        tooltip: list.map(({ h }) => `${h.code}: ${h.message}`).join('\n'),
        command: 'workbench.actions.view.problems',
      }));
      for (const { h, index } of list) {
        for (const fix of fixesFor(document, h, analysis, this.diagnostics)) {
          const title = fix.kind === 'accept' ? (list.length > 1 ? `accept ${h.code}` : 'accept') : LENS_TITLES[fix.kind];
          out.push(new vscode.CodeLens(range, { title, tooltip: fix.title, command: APPLY_FIX_COMMAND, arguments: [document.uri.toString(), analysis.version, index, fix.kind] }));
        }
      }
    }
    return out;
  }
}

export class HazardHover implements vscode.HoverProvider {
  constructor(private readonly diagnostics: MigrationDiagnostics) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const analysis = this.diagnostics.analysisOf(document);
    if (!analysis) return undefined;
    const here = analysis.hazards.filter((h) => statementRange(document, h).contains(position));
    const first = here[0];
    if (!first) return undefined;
    return new vscode.Hover(hoverOf(here, analysis.mode), statementRange(document, first));
  }
}
