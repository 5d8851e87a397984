/**
 * `-- pgdrift:copy-from sqlite:"PATH" table "NAME" zone ZONE [checked sha256:…]`, on the line
 * before a `COPY … FROM STDIN` statement: the runner streams that table's rows from the SQLite file
 * into the COPY. PATH and NAME are JSON strings (any character, quotes escaped); a relative PATH is
 * read from the migration file's folder. `checked` is the file's hash when the plan found every
 * value of the table fitting (the runner then skips its own probe if the file is unchanged).
 */
import type { CopySource } from './types';

const DIRECTIVE = /^--\s*pgdrift:copy-from\s+sqlite:("(?:[^"\\]|\\.)*")\s+table\s+("(?:[^"\\]|\\.)*")\s+zone\s+(\S+)(?:\s+checked\s+(sha256:[0-9a-f]{64}))?\s*$/;

export function renderCopyDirective(source: CopySource): string {
  return `-- pgdrift:copy-from sqlite:${JSON.stringify(source.path)} table ${JSON.stringify(source.table)} zone ${source.zone}${source.checked ? ` checked ${source.checked}` : ''}`;
}

/** The source on a copy-from line; undefined when the line is not one; an Error when it is one written wrong. */
export function parseCopyDirective(line: string): CopySource | Error | undefined {
  if (!/^--\s*pgdrift:copy-from\b/.test(line)) return undefined;
  const m = DIRECTIVE.exec(line.trim());
  if (!m) return new Error('a pgdrift:copy-from line reads: -- pgdrift:copy-from sqlite:"PATH" table "NAME" zone ZONE');
  try {
    return {
      kind: 'sqlite', path: JSON.parse(m[1] ?? '""') as string, table: JSON.parse(m[2] ?? '""') as string, zone: m[3] ?? 'UTC',
      ...(m[4] ? { checked: m[4] } : {}),
    };
  } catch {
    return new Error(`a pgdrift:copy-from line has a badly quoted path or table name: ${line.trim()}`);
  }
}
