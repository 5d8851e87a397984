import { parseArgs } from 'node:util';
import { PgdriftError } from '../../core/errors';
import { renderDiffJson } from '../../core/render/diffJson';
import { renderDiffTree } from '../../core/render/diffTree';
import { profileTargetOf, renderPlanScript } from '../../core/render/planScript';
import { compareDatabases, describeForced, hasDifferences, sideLabels } from '../../core/compare';
import { COMPARE_OPTIONS, COMPARE_OPTIONS_USAGE, compareArgsOf } from '../compareArgs';
import { EXIT } from '../exitCodes';
import type { CliIo } from '../io';
import { cliProfileResolver } from '../profiles';
import { reportDataSync } from '../dataReport';
import { reportSqlite } from '../sqliteReport';

export const DIFF_USAGE = `pgdrift diff --from <URL|PATH> --to <URL|PATH> [--format tree|sql|json] [--schema NAME]... [--exclude-schema NAME]... [--owners] [--privileges] [--no-comments] [--exclude OBJECT]... [--data SCHEMA.TABLE]... [--data-delete]

Compares the schemas of two databases (both read in read-only transactions) and prints what would
have to change in --from for it to match --to. Exit code 0: no differences; 2: differences found.
  --format tree          objects grouped by kind, members under their table (default)
  --format sql           the migration script, as \`pgdrift plan\` writes it
  --format json          the changes and statements as JSON (format "pgdrift.diff/1")
${COMPARE_OPTIONS_USAGE}`;

const FORMATS = ['tree', 'sql', 'json'] as const;
type Format = (typeof FORMATS)[number];

export async function diffCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...COMPARE_OPTIONS, format: { type: 'string', default: 'tree' } },
    strict: true,
    allowPositionals: false,
  });
  const format = values.format as Format;
  if (!FORMATS.includes(format)) {
    throw new PgdriftError('usage', `unknown --format "${values.format}" (use tree, sql or json)`);
  }
  const args = compareArgsOf('diff', values, DIFF_USAGE);
  const comparison = await compareDatabases(args, io.env, cliProfileResolver(io));
  const { plan, from, to, excluded, forced } = comparison;
  for (const f of forced) io.stderr(`excluded too: ${describeForced(f)}\n`);
  reportDataSync(comparison, io);
  reportSqlite(comparison, io);
  switch (format) {
    case 'tree':
      io.stdout(renderDiffTree(plan, sideLabels(comparison)));
      break;
    case 'sql':
      io.stdout(renderPlanScript(plan, from, to, { target: profileTargetOf(args.from), excluded }));
      break;
    case 'json':
      io.stdout(renderDiffJson(plan, from.inspection, to.inspection));
      break;
  }
  return hasDifferences(plan) ? EXIT.differences : EXIT.ok;
}
