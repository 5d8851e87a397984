/**
 * psql meta-commands in a SQL file. A backslash outside a string, quoted name, comment or
 * dollar-quoted body starts a command that psql runs itself, up to the end of the line; the
 * server never sees it, and PostgreSQL's parser rejects it. pg_dump 18 (and the minor releases of
 * 13-17 from August 2025 on) frames its script with `\restrict KEY` and `\unrestrict KEY`: while
 * restricted, psql refuses every other meta-command, so a malicious server cannot smuggle a
 * `\!` shell command into the dump through an object name. Those two change nothing in the
 * database and are skipped here. Any other meta-command (`\connect`, which `pg_dump --create`
 * writes, `\set`, `\i`) would change what the script means, so it is an error naming its place.
 *
 * Where a backslash is "outside a string" is decided by PostgreSQL's own scanner (libpg_query), so
 * a backslash inside a function body or an E'' literal is left alone.
 */
import { loadParser } from '../check/parser';
import { SourceText } from '../check/positions';
import { PgdriftError } from '../errors';

/** Meta-commands that only guard psql itself and can be dropped without changing the schema. */
const HARMLESS = new Set(['restrict', 'unrestrict']);

/**
 * The text with every harmless meta-command replaced by spaces (line breaks kept, so every line
 * and column stays where the user sees it); an error for any other meta-command.
 */
export async function withoutPsqlMetaCommands(text: string, file: string): Promise<string> {
  if (!text.includes('\\')) return text;
  const parser = await loadParser();
  let tokens;
  try {
    tokens = parser.scan(text).tokens;
  } catch {
    // An unterminated literal: the parser reports it with its position when the file is split.
    return text;
  }
  const source = new SourceText(text);
  let out = text;
  for (const token of tokens) {
    const start = source.indexOfByte(token.start);
    if (token.tokenName !== 'UNKNOWN' || text[start] !== '\\') continue;
    const lineEnd = endOfLine(text, start);
    const command = /^\\([A-Za-z!?]*)/.exec(text.slice(start, lineEnd))?.[1] ?? '';
    if (!HARMLESS.has(command)) {
      const { line, column } = source.position(start);
      throw new PgdriftError(
        'source-failed',
        `${file}:${line}:${column}: psql meta-command \\${command} is not SQL and cannot be loaded`
          + ` (pgdrift skips only \\restrict and \\unrestrict${command === 'connect' || command === 'c' ? '; dump without --create' : ''})`,
      );
    }
    out = out.slice(0, start) + ' '.repeat(lineEnd - start) + out.slice(lineEnd);
  }
  return out;
}

function endOfLine(text: string, from: number): number {
  const n = text.indexOf('\n', from);
  const r = text.indexOf('\r', from);
  const ends = [n, r].filter((i) => i >= 0);
  return ends.length ? Math.min(...ends) : text.length;
}
