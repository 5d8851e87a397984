/** What each statement's hazard rules read: the file's view of the target, and the file's tokens. */
import type { RangeVar } from 'libpg-query';
import type { FileCatalog, TableEntry } from './catalog';
import type { ScanToken } from 'libpg-query';
import type { LocatedStatement, SplitFile } from './split';

export interface StatementContext {
  catalog: FileCatalog;
  file: SplitFile;
  /** Inside a BEGIN … COMMIT the file opened itself. */
  inTransactionBlock?: boolean;
  /** The statement being read. */
  statement?: LocatedStatement;
}

/** The tokens of the statement being read, with their paren depth. */
function statementTokens(ctx: StatementContext): { token: ScanToken; depth: number }[] {
  const s = ctx.statement;
  if (!s) return [];
  let depth = 0;
  const out: { token: ScanToken; depth: number }[] = [];
  for (const token of ctx.file.tokens) {
    if (token.start < s.byteStart || token.end > s.byteEnd) continue;
    if (token.text === ')') depth -= 1;
    out.push({ token, depth });
    if (token.text === '(') depth += 1;
  }
  return out;
}

function textOf(ctx: StatementContext, first: ScanToken, last: ScanToken): string {
  const { source } = ctx.file;
  return source.text.slice(source.indexOfByte(first.start), source.indexOfByte(last.end));
}

/** The text after the statement's last top-level WHERE (a partial index's predicate). */
export function trailingWhere(ctx: StatementContext): string | undefined {
  const tokens = statementTokens(ctx);
  const at = tokens.map((t) => t.depth === 0 && t.token.text.toUpperCase() === 'WHERE').lastIndexOf(true);
  const first = tokens[at + 1]?.token;
  const last = tokens[tokens.length - 1]?.token;
  return at >= 0 && first && last ? textOf(ctx, first, last) : undefined;
}

/**
 * The text of each element of the first parenthesised list at or after a byte location: an
 * index's key columns and expressions, after `ON table [USING method]`.
 */
export function listElementsAt(ctx: StatementContext, byteLocation: number): string[] | undefined {
  const tokens = statementTokens(ctx);
  const open = tokens.findIndex((t) => t.token.start >= byteLocation && t.token.text === '(');
  if (open < 0) return undefined;
  const depth = (tokens[open]?.depth ?? 0) + 1;
  const out: string[] = [];
  let first: ScanToken | undefined;
  let last: ScanToken | undefined;
  for (const { token, depth: d } of tokens.slice(open + 1)) {
    if (d < depth || (d === depth && token.text === ',')) {
      if (!first || !last) return undefined;
      out.push(textOf(ctx, first, last));
      first = undefined;
      if (d < depth) return out;
      continue;
    }
    first ??= token;
    last = token;
  }
  return undefined;
}

/** The table a RangeVar names, as the file sees it at this statement. */
export function tableOf(ctx: StatementContext, relation: RangeVar | undefined): TableEntry | undefined {
  if (!relation?.relname) return undefined;
  return ctx.catalog.table(relation.schemaname, relation.relname);
}

/** A table the target has today (not created by the file): what can hold data and be locked. */
export function existing(entry: TableEntry | undefined): entry is TableEntry & { target: NonNullable<TableEntry['target']> } {
  return entry?.target !== undefined;
}

/**
 * The source text of the parenthesised clause that starts at the first "(" at or after a
 * parse-tree location (a byte offset): a CHECK's expression, with its parentheses. The scanner's
 * tokens decide, so parentheses inside strings or quoted names do not count.
 */
export function parenthesizedAt(ctx: StatementContext, byteLocation: number): string | undefined {
  const { tokens, source } = ctx.file;
  let i = tokens.findIndex((t) => t.start >= byteLocation && t.text === '(');
  if (i < 0) return undefined;
  const open = tokens[i];
  let depth = 0;
  for (; i < tokens.length; i += 1) {
    const t = tokens[i];
    if (!t) break;
    if (t.text === '(') depth += 1;
    else if (t.text === ')') depth -= 1;
    if (depth === 0) return source.text.slice(source.indexOfByte(open?.start ?? 0), source.indexOfByte(t.end));
  }
  return undefined;
}
