import { parseArgs } from 'node:util';
import { connectPg } from '../../core/db/pgConnection';
import { describeTarget, parseConnectionUrl } from '../../core/db/target';
import { PgdriftError } from '../../core/errors';
import { introspect, introspectTargetOf } from '../../core/introspect';
import { canonicalJson } from '../../core/model/canonicalJson';
import { renderInspectSummary } from '../../core/render/inspectSummary';
import { EXIT } from '../exitCodes';
import type { CliIo } from '../io';

export const INSPECT_USAGE = `pgdrift inspect --url <postgres URL> [--format summary|json] [--schema NAME]... [--exclude-schema NAME]...

Reads the schema of a database (in a read-only transaction) and prints a summary of what it holds,
or the whole schema model as JSON. The password may come from the URL or from PGPASSWORD.`;

export async function inspectCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      format: { type: 'string', default: 'summary' },
      schema: { type: 'string', multiple: true },
      'exclude-schema': { type: 'string', multiple: true },
    },
    strict: true,
  });
  if (!values.url) throw new PgdriftError('usage', `inspect needs --url\n\n${INSPECT_USAGE}`);
  const format = values.format;
  if (format !== 'summary' && format !== 'json') {
    throw new PgdriftError('usage', `unknown --format "${format}" (use summary or json)`);
  }
  const target = parseConnectionUrl(values.url, io.env);
  const connection = await connectPg(target);
  try {
    const inspection = await introspect(
      introspectTargetOf(connection),
      { ...(values.schema ? { schemas: values.schema } : {}), ...(values['exclude-schema'] ? { excludeSchemas: values['exclude-schema'] } : {}) },
    );
    io.stdout(format === 'json' ? `${canonicalJson(inspection, 2)}\n` : renderInspectSummary(inspection, describeTarget(target)));
    return EXIT.ok;
  } finally {
    await connection.close();
  }
}
