/**
 * psql meta-commands in a SQL file. A backslash outside a string, quoted name, comment or
 * dollar-quoted body starts a command that psql runs itself, up to the end of the line; the server
 * never sees it, and PostgreSQL's parser rejects it. pg_dump 18 (and the minor releases of 13-17
 * from August 2025 on) frames its script with `\restrict KEY` and `\unrestrict KEY`: while
 * restricted, psql refuses every other meta-command, so a malicious server cannot smuggle a `\!`
 * shell command into the dump through an object name. Those two change nothing in the database
 * and are skipped here. Any other meta-command (`\connect`, which `pg_dump --create` writes,
 * `\set`, `\i`) would change what the script means, so it is an error naming its place.
 *
 * The `\restrict` lines are blanked first (spaces, line breaks kept, so every line and column
 * stays where the user sees it): their random key can start with digits and letters, which
 * PostgreSQL's scanner rejects as a malformed number. Then the scanner finds any other backslash
 * outside a string, quoted name, comment or body, and the parser splits the file. A blanked line
 * that lies inside a statement (a function body that happens to hold such a line) is put back: it
 * holds no quote that could change where the statement ends.
 */
import { loadParser } from '../check/parser';
import { SourceText } from '../check/positions';
import { splitStatements, type SplitFile } from '../check/split';
import { PgdriftError } from '../errors';

/** `\restrict KEY` and `\unrestrict KEY` alone on a line, as pg_dump writes them. */
const RESTRICT_LINE = /^[ \t]*\\(?:un)?restrict(?:[ \t]+[A-Za-z0-9]*)?[ \t]*$/gm;

interface Line {
  start: number;
  end: number;
}

export async function splitSkippingMetaCommands(text: string, file: string): Promise<SplitFile> {
  const restrict = [...text.matchAll(RESTRICT_LINE)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const withoutRestrict = blanked(text, restrict);
  await refuseOtherMetaCommands(withoutRestrict, file);
  const split = await splitStatements(withoutRestrict, file);
  const skipped = restrict.filter((l) => !split.statements.some((s) => s.start <= l.start && l.start < s.end));
  return skipped.length === restrict.length ? split : splitStatements(blanked(text, skipped), file);
}

async function refuseOtherMetaCommands(text: string, file: string): Promise<void> {
  if (!text.includes('\\')) return;
  let tokens;
  try {
    tokens = (await loadParser()).scan(text).tokens;
  } catch {
    // Text the scanner rejects is reported by the parser, with its position, when the file is split.
    return;
  }
  const source = new SourceText(text);
  for (const token of tokens) {
    const start = source.indexOfByte(token.start);
    if (token.tokenName !== 'UNKNOWN' || text[start] !== '\\') continue;
    const name = /^\\([A-Za-z!?]*)/.exec(text.slice(start, start + 40))?.[1] ?? '';
    const { line, column } = source.position(start);
    throw new PgdriftError(
      'source-failed',
      `${file}:${line}:${column}: psql meta-command \\${name} is not SQL and cannot be loaded`
        + ` (pgdrift skips only \\restrict and \\unrestrict${name === 'connect' || name === 'c' ? '; dump without --create' : ''})`,
    );
  }
}

function blanked(text: string, lines: readonly Line[]): string {
  let out = '';
  let at = 0;
  for (const l of lines) {
    out += text.slice(at, l.start) + ' '.repeat(l.end - l.start);
    at = l.end;
  }
  return out + text.slice(at);
}
