/**
 * Statements of a migration file, located by PostgreSQL's own parser: a semicolon inside a
 * dollar-quoted function body, a string literal (standard, E'' with backslash escapes, U&''), a
 * quoted identifier or a comment (nested block comments included) never ends a statement, exactly as when
 * the server reads the file. Each statement carries its parse tree and where its first token is
 * (comments and blank lines before it are not part of it).
 */
import type { Node, ScanToken } from 'libpg-query';
import { PgdriftError } from '../errors';
import { loadParser, syntaxErrorOf } from './parser';
import { SourceText } from './positions';

export interface LocatedStatement {
  /** 0-based position of the statement in the file. */
  index: number;
  /** Its parse tree: one node such as `{ AlterTableStmt: … }`. */
  node: Node;
  /** Its text, first token to last, without the semicolon. */
  sql: string;
  /** String indexes of its first character and just after its last. */
  start: number;
  end: number;
  /** UTF-8 byte offsets of its first token and just after its last: parse-tree locations are byte offsets too. */
  byteStart: number;
  byteEnd: number;
  /** 1-based line and column of its first token. */
  line: number;
  column: number;
}

export interface Comment {
  /** String indexes. */
  start: number;
  end: number;
  text: string;
  /** Line comments (two dashes); false for block comments. */
  line: boolean;
}

export interface SplitFile {
  source: SourceText;
  statements: LocatedStatement[];
  comments: Comment[];
  /** Every token but comments, in order, with UTF-8 byte offsets: for cutting clauses out of statements. */
  tokens: ScanToken[];
}

const COMMENT_TOKENS = new Set(['SQL_COMMENT', 'C_COMMENT']);

export async function splitStatements(text: string, file: string): Promise<SplitFile> {
  const source = new SourceText(text);
  const nul = text.indexOf('\0');
  if (nul >= 0) throw usageAt(file, source, nul, 'the file contains a NUL character');
  if (text.trim() === '') return { source, statements: [], comments: [], tokens: [] };
  const parser = await loadParser();
  let stmts;
  try {
    stmts = parser.parse(text).stmts ?? [];
  } catch (error) {
    const syntax = syntaxErrorOf(error);
    if (!syntax) throw error;
    throw usageAt(file, source, source.indexOfCodePoint(syntax.cursor), syntax.message);
  }
  const all = parser.scan(text).tokens;
  const tokens = all.filter((t) => !COMMENT_TOKENS.has(t.tokenName));
  const comments = all.filter((t) => COMMENT_TOKENS.has(t.tokenName)).map((t) => {
    const start = source.indexOfByte(t.start);
    const end = source.indexOfByte(t.end);
    return { start, end, text: text.slice(start, end), line: t.tokenName === 'SQL_COMMENT' };
  });
  const totalBytes = Buffer.byteLength(text, 'utf8');
  const statements: LocatedStatement[] = [];
  let k = 0;
  for (const raw of stmts) {
    if (!raw.stmt) continue;
    // stmt_location and stmt_len are byte offsets; a length of 0 (omitted) means "to the end".
    const from = raw.stmt_location ?? 0;
    const to = raw.stmt_len ? from + raw.stmt_len : totalBytes;
    while (k < tokens.length && (tokens[k]?.start ?? 0) < from) k += 1;
    const first = tokens[k];
    if (!first) break;
    let last = first;
    while (k < tokens.length && (tokens[k]?.end ?? 0) <= to) {
      last = tokens[k] ?? last;
      k += 1;
    }
    const start = source.indexOfByte(first.start);
    const end = source.indexOfByte(last.end);
    statements.push({ index: statements.length, node: raw.stmt, sql: text.slice(start, end), start, end, byteStart: first.start, byteEnd: last.end, ...source.position(start) });
  }
  return { source, statements, comments, tokens };
}

function usageAt(file: string, source: SourceText, index: number, message: string): PgdriftError {
  const { line, column } = source.position(index);
  return new PgdriftError('usage', `${file}:${line}:${column}: ${message}`);
}
