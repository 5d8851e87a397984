/** What each statement's hazard rules read: the file's view of the target, and the file's tokens. */
import type { RangeVar } from 'libpg-query';
import type { FileCatalog, TableEntry } from './catalog';
import type { SplitFile } from './split';

export interface StatementContext {
  catalog: FileCatalog;
  file: SplitFile;
  /** Inside a BEGIN … COMMIT the file opened itself. */
  inTransactionBlock?: boolean;
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
