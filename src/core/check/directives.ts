/**
 * Directives in a migration file are line comments: `-- pgdrift:accept CODE object` accepts a
 * hazard by name; `-- pgdrift:phase …` and `-- pgdrift:expect …` belong to the runner and are
 * ignored here. Only real comments count: the same text inside a string literal or a function
 * body is SQL, not a directive.
 */
import { parseAcceptDirectives, type Accept } from '../hazards/accept';
import type { SplitFile } from './split';

export function acceptDirectives(file: SplitFile, name: string): Accept[] {
  const text = file.source.text;
  // Everything but line comments becomes spaces (line breaks kept), so line numbers stay right.
  let masked = text.replace(/[^\r\n]/g, ' ');
  for (const c of file.comments) {
    if (c.line) masked = masked.slice(0, c.start) + text.slice(c.start, c.end) + masked.slice(c.end);
  }
  return parseAcceptDirectives(masked.replace(/\r\n?/g, '\n'), name);
}
