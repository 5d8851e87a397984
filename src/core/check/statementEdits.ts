/**
 * What the remedies that rewrite a checked migration's statements share: the edit they return
 * (string indexes into the file's text, so any editor can apply them) and readers of the
 * statements' parse trees and text spans.
 */
import type { AlterTableCmd, AlterTableStmt, RangeVar } from 'libpg-query';
import type { LocatedStatement } from './split';
import type { KnownSchema } from './static';

export interface TextEdit {
  /** String indexes into the file's text; the text between them is replaced. */
  start: number;
  end: number;
  text: string;
}

export interface StatementRemedy {
  kind: 'rename' | 'twin-copy' | 'cast-null' | 'online-not-null';
  title: string;
  edits: TextEdit[];
}

export interface CheckedText {
  text: string;
  statements: readonly LocatedStatement[];
}

/** The target's schema as last read; its fingerprint names backups, its version picks the cast test. */
export interface RemedySchema extends KnownSchema {
  fingerprint?: string;
  serverVersionNum?: number;
}

export function alterOf(s: LocatedStatement): AlterTableStmt | undefined {
  return 'AlterTableStmt' in s.node && s.node.AlterTableStmt.objtype === 'OBJECT_TABLE' ? s.node.AlterTableStmt : undefined;
}

export function commands(s: AlterTableStmt): AlterTableCmd[] {
  return (s.cmds ?? []).flatMap((c) => ('AlterTableCmd' in c ? [c.AlterTableCmd] : []));
}

export function sameRelation(a: RangeVar | undefined, b: RangeVar | undefined): boolean {
  return a?.relname !== undefined && a.relname === b?.relname && a.schemaname === b.schemaname;
}

/** The column a column id names, unquoted. */
export function columnOfId(id: string): string {
  const quoted = id.slice(id.lastIndexOf('."') + 1);
  return quoted.slice(1, -1).replace(/""/g, '"');
}

export function tableIdOf(columnId: string): string {
  return `table:${columnId.slice('column:'.length, columnId.lastIndexOf('."'))}`;
}

/** The statement's text span with its semicolon, when one follows. */
export function withSemicolon(text: string, s: LocatedStatement): { start: number; end: number } {
  const m = /^\s*;/.exec(text.slice(s.end));
  return { start: s.start, end: m ? s.end + m[0].length : s.end };
}

/** Its whole lines, when nothing else is on them: what deleting a statement removes. */
export function wholeLines(text: string, s: LocatedStatement): { start: number; end: number } {
  const span = withSemicolon(text, s);
  const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
  const after = /^[ \t]*(\r?\n|$)/.exec(text.slice(span.end));
  if (/^[ \t]*$/.test(text.slice(lineStart, span.start)) && after) return { start: lineStart, end: span.end + after[0].length };
  return span;
}

export function indentOf(text: string, s: LocatedStatement): string {
  const before = text.slice(text.lastIndexOf('\n', s.start - 1) + 1, s.start);
  return /^[ \t]*$/.test(before) ? before : '';
}
