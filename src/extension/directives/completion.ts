/**
 * Completion for `-- pgdrift:` directives in SQL files: the directive names right after a line's
 * `--`, then the argument each takes: profile names after `pgdrift:target`, phase names after
 * `pgdrift:phase`, hazard codes after `pgdrift:accept`. Only light modules are imported here (the
 * phase list and the hazard catalogue are plain constants): activation stays free of the engine.
 */
import * as vscode from 'vscode';
import { SEVERITY, type HazardCode } from '../../core/hazards/types';
import { PHASES } from '../../core/plan/types';

export interface Directive {
  name: string;
  /** What follows the name, as shown in the completion's detail. */
  syntax: string;
  documentation: string;
}

/** The directives src/core reads or writes, in the order a plan script shows them. */
export const DIRECTIVES: readonly Directive[] = [
  {
    name: 'fingerprint',
    syntax: '<sha256>',
    documentation: 'The schema of the database the script was written for (written by `pgdrift plan`). `pgdrift apply` refuses to run the script on a database whose schema has changed since.',
  },
  {
    name: 'target',
    syntax: '<profile>',
    documentation: 'The connection profile this migration is meant for. The editor checks the file against it: hazards measured on that database appear as diagnostics.',
  },
  {
    name: 'phase',
    syntax: '<phase>',
    documentation: `Starts a phase of the plan (${PHASES.join(', ')}). A phase runs as one unit, in one transaction unless a statement cannot run in one.`,
  },
  {
    name: 'expect',
    syntax: '<query> <op> <number>',
    documentation: 'An expectation: the query returns one number, compared with `>=`, `<=` or `=`. The run stops if the database no longer looks like that.',
  },
  {
    name: 'accept',
    syntax: '<CODE> <object>',
    documentation: 'Accepts a hazard by name, e.g. `-- pgdrift:accept DL-02 public.OvertimeSettings.overtimeMode`: it no longer blocks the migration.',
  },
  {
    name: 'no-transaction',
    syntax: '',
    documentation: 'The next statement runs outside the transaction (e.g. CREATE INDEX CONCURRENTLY): it is not rolled back if a later statement fails.',
  },
];

export const HAZARD_CODES = Object.keys(SEVERITY) as HazardCode[];

/** What the text before the cursor on its line asks for, or undefined outside a directive. */
export type DirectiveContext =
  | { kind: 'directive'; start: number; typed: string; space: boolean }
  | { kind: 'target' | 'phase' | 'accept'; start: number; typed: string };

export function directiveContext(linePrefix: string): DirectiveContext | undefined {
  const name = /^(\s*--)(\s*)([\w:-]*)$/.exec(linePrefix);
  if (name) {
    const typed = name[3] ?? '';
    // `--` followed by anything but the start of `pgdrift:` is an ordinary comment.
    if (!'pgdrift:'.startsWith(typed.slice(0, 8).toLowerCase())) return undefined;
    return { kind: 'directive', start: (name[1] ?? '').length + (name[2] ?? '').length, typed, space: (name[2] ?? '') !== '' };
  }
  const arg = /^\s*--\s*pgdrift:(target|phase|accept)\s+(\S*)$/.exec(linePrefix);
  if (arg) {
    const typed = arg[2] ?? '';
    return { kind: arg[1] as 'target' | 'phase' | 'accept', start: linePrefix.length - typed.length, typed };
  }
  return undefined;
}

export class DirectiveCompletion implements vscode.CompletionItemProvider {
  /** `profiles` lists the connection profile names (read from settings, no connection made). */
  constructor(private readonly profiles: () => string[]) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    const prefix = document.lineAt(position.line).text.slice(0, position.character);
    const context = directiveContext(prefix);
    if (!context) return undefined;
    const range = new vscode.Range(position.line, context.start, position.line, position.character);
    switch (context.kind) {
      case 'directive':
        return DIRECTIVES.map((d, i) => {
          const label = `pgdrift:${d.name}`;
          const item = new vscode.CompletionItem(d.syntax ? { label, detail: ` ${d.syntax}` } : label, vscode.CompletionItemKind.Keyword);
          item.documentation = new vscode.MarkdownString(d.documentation);
          item.insertText = `${context.space ? '' : ' '}${label}${d.syntax ? ' ' : ''}`;
          item.filterText = label;
          item.range = range;
          item.sortText = String(i).padStart(2, '0');
          // The argument's own completion follows right away.
          if (d.syntax) item.command = { command: 'editor.action.triggerSuggest', title: 'Suggest' };
          return item;
        });
      case 'target':
        return this.profiles().map((name) => {
          const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Reference);
          item.detail = 'connection profile';
          item.range = range;
          return item;
        });
      case 'phase':
        return PHASES.map((phase, i) => {
          const item = new vscode.CompletionItem(phase, vscode.CompletionItemKind.EnumMember);
          item.detail = 'phase';
          item.range = range;
          item.sortText = String(i).padStart(2, '0');
          return item;
        });
      case 'accept':
        return HAZARD_CODES.map((code) => {
          const item = new vscode.CompletionItem(code, vscode.CompletionItemKind.Constant);
          item.detail = SEVERITY[code];
          item.insertText = `${code} `;
          item.range = range;
          return item;
        });
    }
  }
}

/** Completion in every SQL document, triggered on the characters a directive is typed with. */
export function registerDirectiveCompletion(profiles: () => string[]): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider({ language: 'sql' }, new DirectiveCompletion(profiles), '-', ':', ' ');
}
