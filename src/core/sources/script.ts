/**
 * A SQL file made ready to load: psql meta-commands dealt with, then its statements located by
 * PostgreSQL's own parser (the splitter `pgdrift check` uses), each with its line and column. A
 * file that does not parse fails here, before anything is started, with the place of the error.
 */
import type { SplitFile } from '../check/split';
import { PgdriftError, isPgdriftError } from '../errors';
import { splitSkippingMetaCommands } from './psqlMeta';
import type { SqlFile } from './types';

export interface Script {
  file: SqlFile;
  split: SplitFile;
}

export async function parseScript(file: SqlFile): Promise<Script> {
  refuseCopyData(file);
  try {
    return { file, split: await splitSkippingMetaCommands(file.text, file.name) };
  } catch (error) {
    if (!isPgdriftError(error) || error.code !== 'usage') throw error;
    // splitStatements calls its errors usage errors (for `check`); here the file is a schema
    // source that does not load, which has a code of its own.
    throw new PgdriftError('source-failed', error.message, { cause: error });
  }
}

/**
 * A full pg_dump (not --schema-only) carries table rows as `COPY … FROM stdin;` followed by lines
 * that psql sends as data, ended by `\.`: they are not SQL. pg_dump writes the statement at the
 * start of a line.
 */
function refuseCopyData(file: SqlFile): void {
  const copy = /^COPY\s[^;]*\sFROM\s+stdin;/im.exec(file.text);
  if (!copy) return;
  const line = file.text.slice(0, copy.index).split(/\r\n|\r|\n/).length;
  throw new PgdriftError(
    'source-failed',
    `${file.name}:${line}:1: COPY … FROM stdin is followed by table rows (a full pg_dump), not SQL; dump with --schema-only, or with --inserts to keep rows`,
  );
}
