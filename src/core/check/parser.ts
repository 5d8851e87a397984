/**
 * The real PostgreSQL parser: libpg_query (PostgreSQL 18's grammar and scanner) compiled to
 * WebAssembly, from the libpg-query package. It is loaded on first use only, so commands that
 * never parse SQL do not pay for compiling the 1.7 MB module at start-up.
 */
import type { ParseResult, ScanResult } from 'libpg-query';

export interface PgParser {
  parse(sql: string): ParseResult;
  scan(sql: string): ScanResult;
}

let loading: Promise<PgParser> | undefined;

export function loadParser(): Promise<PgParser> {
  loading ??= (async () => {
    const lib = await import('libpg-query');
    await lib.loadModule();
    return { parse: (sql) => lib.parseSync(sql), scan: (sql) => lib.scanSync(sql) };
  })();
  return loading;
}

/** What libpg_query throws for a syntax error: the message and a 0-based character position. */
export function syntaxErrorOf(error: unknown): { message: string; cursor: number } | undefined {
  if (!(error instanceof Error) || error.name !== 'SqlError') return undefined;
  const details = (error as Error & { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
  return { message: error.message, cursor: details?.cursorPosition ?? 0 };
}
