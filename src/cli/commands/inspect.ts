import { parseArgs } from 'node:util';
import { PgdriftError } from '../../core/errors';
import { introspect } from '../../core/introspect';
import { canonicalJson } from '../../core/model/canonicalJson';
import { renderInspectSummary } from '../../core/render/inspectSummary';
import { PROFILE_PREFIX, openSource } from '../../core/sources';
import { cacheDirOf } from '../../core/sources/cacheDir';
import { EXIT } from '../exitCodes';
import type { CliIo } from '../io';
import { cliProfileResolver } from '../profiles';

export const INSPECT_USAGE = `pgdrift inspect --url <URL or PATH> | --profile NAME [--format summary|json] [--schema NAME]... [--exclude-schema NAME]...

Reads the schema of a database (in a read-only transaction) and prints a summary of what it holds,
or the whole schema model as JSON. The password may come from the URL or from PGPASSWORD. A path
(a .sql file, or a folder whose .sql files run in name order) is loaded into an embedded
PostgreSQL 18 first. --profile NAME (or --url profile:NAME) connects with a profile of
.vscode/settings.json (pgdrift.profiles), its password from PGPASSWORD or ~/.pgpass.`;

export async function inspectCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      profile: { type: 'string' },
      format: { type: 'string', default: 'summary' },
      schema: { type: 'string', multiple: true },
      'exclude-schema': { type: 'string', multiple: true },
    },
    strict: true,
  });
  if (values.url !== undefined && values.profile !== undefined) throw new PgdriftError('usage', 'inspect takes --url or --profile, not both');
  const url = values.profile !== undefined ? `${PROFILE_PREFIX}${values.profile}` : values.url;
  if (!url) throw new PgdriftError('usage', `inspect needs --url or --profile\n\n${INSPECT_USAGE}`);
  const format = values.format;
  if (format !== 'summary' && format !== 'json') {
    throw new PgdriftError('usage', `unknown --format "${format}" (use summary or json)`);
  }
  const source = await openSource(url, { env: io.env, cacheDir: cacheDirOf(io.env), profiles: cliProfileResolver(io) });
  try {
    const inspection = await introspect(
      source,
      { ...(values.schema ? { schemas: values.schema } : {}), ...(values['exclude-schema'] ? { excludeSchemas: values['exclude-schema'] } : {}) },
    );
    io.stdout(format === 'json' ? `${canonicalJson(inspection, 2)}\n` : renderInspectSummary(inspection, source.where));
    return EXIT.ok;
  } finally {
    await source.close();
  }
}
