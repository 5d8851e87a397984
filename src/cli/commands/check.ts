import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { checkOnTarget, prepareFile } from '../../core/check';
import { renderCheckJson, renderCheckText } from '../../core/check/render';
import { decodeSource } from '../../core/check/source';
import { copyMisfits } from '../../core/run/copyGuard';
import { migrationOf } from '../../core/run/load';
import { connectTarget } from '../../core/connect/direct';
import { parseConnectionUrl } from '../../core/db/target';
import { PgdriftError, messageOf } from '../../core/errors';
import { parseAcceptOption } from '../../core/hazards/accept';
import { introspect, introspectTargetOf } from '../../core/introspect';
import { EXIT } from '../exitCodes';
import { withSide } from '../../core/compare/inspectBoth';
import type { CliIo } from '../io';
import { cliProfileResolver } from '../profiles';
import { PROFILE_PREFIX } from '../../core/sources';

export const CHECK_USAGE = `pgdrift check <file.sql> --target <URL|profile:NAME> [--format text|json] [--accept CODE:object]...

Analyses a hand-written migration file without running it: finds each statement with PostgreSQL's
parser, derives its hazards, and measures the data-loss and failure ones on --target (read only).
Exit code 0: nothing blocks; 3: a data-loss or failure hazard is neither accepted nor proven harmless,
or a value of a SQLite table the file copies (-- pgdrift:copy-from) would not fit its column.
  --target URL           the database the file is meant for (only read); profile:NAME is a
                         profile of .vscode/settings.json, password from PGPASSWORD or ~/.pgpass
  --format text|json     one line per hazard (default), or JSON
  --accept CODE:object   accept a hazard by name (repeatable), as "-- pgdrift:accept CODE object" in the file does`;

export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      target: { type: 'string' },
      format: { type: 'string', default: 'text' },
      accept: { type: 'string', multiple: true },
    },
    strict: true,
    allowPositionals: true,
  });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) throw new PgdriftError('usage', `check needs exactly one migration file\n\n${CHECK_USAGE}`);
  if (!values.target) throw new PgdriftError('usage', `check needs --target\n\n${CHECK_USAGE}`);
  const format = values.format;
  if (format !== 'text' && format !== 'json') throw new PgdriftError('usage', `unknown --format "${format}" (use text or json)`);
  const accepts = (values.accept ?? []).map(parseAcceptOption);
  const targetText = values.target;
  const { target, ssh } = (() => {
    try {
      if (targetText.startsWith(PROFILE_PREFIX)) return cliProfileResolver(io)(targetText.slice(PROFILE_PREFIX.length));
      return { target: parseConnectionUrl(targetText, io.env) };
    } catch (error) {
      throw withSide('--target', error);
    }
  })();
  // The file is read and parsed before connecting: its mistakes need no database.
  const bytes = await readMigration(file);
  const prepared = await prepareFile(bytes, file);
  // COPY statements fed from a SQLite file (-- pgdrift:copy-from): their values are probed as the
  // run would probe them; one that would not fit blocks like an unaccepted hazard.
  const text = decodeSource(bytes, file);
  const copies = text.includes('pgdrift:copy-from')
    ? await copyMisfits((await migrationOf(file, [{ path: file, text, sha256: '' }])).phases)
    : { total: 0, lines: [] };
  const connection = await connectTarget(target, ssh).catch((error: unknown) => {
    throw withSide('--target', error);
  });
  try {
    const inspection = await introspect(introspectTargetOf(connection));
    const result = await checkOnTarget(prepared, inspection, connection, accepts);
    for (const note of result.notes) io.stderr(`pgdrift: note: ${note}\n`);
    for (const a of result.unused) io.stderr(`pgdrift: ${a.source}: accept ${a.code} ${a.object} names no hazard of ${file}\n`);
    io.stdout(format === 'json'
      ? renderCheckJson(file, { database: inspection.source.database, serverVersion: inspection.source.serverVersion, fingerprint: inspection.fingerprint }, result)
      : renderCheckText(file, result));
    for (const line of copies.lines) io.stderr(`misfit: ${line}\n`);
    if (copies.total) io.stderr(`${copies.total} SQLite value${copies.total === 1 ? '' : 's'} would not fit ${copies.total === 1 ? 'its' : 'their'} PostgreSQL column: the COPY would fail, and pgdrift run refuses the file until the SQLite data is fixed\n`);
    return result.blocking > 0 || copies.total > 0 ? EXIT.unacceptedHazards : EXIT.ok;
  } catch (error) {
    throw withSide('--target', error);
  } finally {
    await connection.close();
  }
}

async function readMigration(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'permission denied' : messageOf(error);
    throw new PgdriftError('usage', `cannot read ${file}: ${why}`);
  }
}
