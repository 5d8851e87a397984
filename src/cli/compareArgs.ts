/**
 * The options `diff` and `plan` share: the two databases, which schemas to read, and what the
 * comparison looks at.
 */
import type { ParseArgsConfig } from 'node:util';
import type { CompareArgs } from '../core/compare';
import { loadMapping } from '../core/diff/mapping';
import type { CastPolicy } from '../core/diff/options';
import { parseAcceptOption } from '../core/hazards/accept';
import { PgdriftError } from '../core/errors';

export const COMPARE_OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  schema: { type: 'string', multiple: true },
  'exclude-schema': { type: 'string', multiple: true },
  owners: { type: 'boolean', default: false },
  privileges: { type: 'boolean', default: false },
  'no-comments': { type: 'boolean', default: false },
  accept: { type: 'string', multiple: true },
  online: { type: 'boolean', default: false },
  cast: { type: 'string', multiple: true },
  mapping: { type: 'string' },
  exclude: { type: 'string', multiple: true },
  data: { type: 'string', multiple: true },
  'data-delete': { type: 'boolean', default: false },
  'data-max-rows': { type: 'string' },
  'sqlite-time-zone': { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const COMPARE_OPTIONS_USAGE = `  --from URL|PATH        the database to change (read only here)
  --to URL|PATH          the database whose schema it should have (read only); a PATH is a
                         .sql file or a folder whose .sql files run in name order, loaded
                         into an embedded PostgreSQL 18 (pg_dump --schema-only output works);
                         sqlite:PATH is a SQLite file: its schema translated, its rows copied;
                         profile:NAME is a profile of .vscode/settings.json (pgdrift.profiles),
                         its password from PGPASSWORD or ~/.pgpass
  --schema NAME          compare only this schema (repeatable)
  --exclude-schema NAME  leave this schema out (repeatable)
  --owners               compare owners too (off by default)
  --privileges           compare privileges (GRANT/REVOKE) too (off by default)
  --no-comments          do not compare comments (compared by default)
  --accept CODE:OBJECT   accept one data-loss or failure hazard by name, after reading its
                         evidence (repeatable), e.g. DL-02:public.OvertimeSettings.overtimeMode
  --cast COLUMN=POLICY   values a type change cannot cast: fail (default) or null, e.g.
                         public.OvertimeSettings.id=null (map values with a mapping file);
                         overrides the mapping file's policy for that column
  --mapping FILE         renames and cast policies to apply (pgdrift.mapping.json, see README)
  --exclude OBJECT       leave this change out of the plan (repeatable), named as pgdrift diff
                         shows it: public.Role, table:public.Role, public.TimeEntry.fk_role;
                         the changes that need it are left out too (named on stderr), and the
                         script lists everything left out in its header
  --online               NOT NULL via a validated CHECK, foreign keys and checks NOT VALID then
                         VALIDATE, indexes CONCURRENTLY
  --data SCHEMA.TABLE    reference data: make this table's rows those of --to, matched by primary
                         key, with INSERT … ON CONFLICT in the migrate-data phase, parents before
                         children, each table's row count checked (repeatable)
  --data-delete          also delete the rows of --data tables that --to does not have
  --data-max-rows N      refuse a --data table with more rows than N on either side (10000)
  --sqlite-time-zone Z   --to sqlite:PATH: the zone its DATETIME text was written in, an IANA
                         name such as Africa/Johannesburg (default UTC)`;


interface CompareValues {
  from?: string | undefined;
  to?: string | undefined;
  schema?: string[] | undefined;
  'exclude-schema'?: string[] | undefined;
  owners?: boolean | undefined;
  privileges?: boolean | undefined;
  'no-comments'?: boolean | undefined;
  accept?: string[] | undefined;
  online?: boolean | undefined;
  cast?: string[] | undefined;
  mapping?: string | undefined;
  exclude?: string[] | undefined;
  data?: string[] | undefined;
  'data-delete'?: boolean | undefined;
  'data-max-rows'?: string | undefined;
  'sqlite-time-zone'?: string | undefined;
}

export function compareArgsOf(command: string, values: CompareValues, usage: string): CompareArgs {
  const missing = (['from', 'to'] as const).filter((k) => !values[k]).map((k) => `--${k}`);
  if (!values.from || !values.to) throw new PgdriftError('usage', `${command} needs ${missing.join(' and ')}\n\n${usage}`);
  const mapping = values.mapping === undefined ? undefined : { path: values.mapping, file: loadMapping(values.mapping) };
  return {
    from: values.from,
    to: values.to,
    introspect: {
      ...(values.schema ? { schemas: values.schema } : {}),
      ...(values['exclude-schema'] ? { excludeSchemas: values['exclude-schema'] } : {}),
    },
    diff: {
      owners: values.owners === true,
      privileges: values.privileges === true,
      comments: values['no-comments'] !== true,
      online: values.online === true,
      casts: { ...mapping?.file.casts, ...Object.fromEntries((values.cast ?? []).map(parseCastOption)) },
      ...(mapping ? { mapping: mapping.file.mapping } : {}),
    },
    accepts: (values.accept ?? []).map(parseAcceptOption),
    ...(mapping ? { mapping } : {}),
    ...(values.exclude?.length ? { exclude: values.exclude } : {}),
    ...(values.data?.length ? { data: dataOptionsOf(values) } : {}),
    ...(values['sqlite-time-zone'] !== undefined ? { sqlite: { timeZone: values['sqlite-time-zone'] } } : {}),
  };
}

function dataOptionsOf(values: CompareValues): NonNullable<CompareArgs['data']> {
  const max = values['data-max-rows'];
  if (max !== undefined && !/^\d+$/.test(max)) throw new PgdriftError('usage', `--data-max-rows "${max}": expected a number of rows`);
  return {
    tables: values.data ?? [],
    deleteMissing: values['data-delete'] === true,
    ...(max !== undefined ? { maxRows: Number(max) } : {}),
  };
}

/** `public.OvertimeSettings.id=null` → the column and its policy. */
function parseCastOption(text: string): [string, CastPolicy] {
  const eq = text.lastIndexOf('=');
  const column = text.slice(0, eq);
  const policy = text.slice(eq + 1);
  if (eq < 1 || (policy !== 'fail' && policy !== 'null') || column.split('.').length !== 3) {
    throw new PgdriftError('usage', `--cast "${text}": expected schema.table.column=fail|null (to map values, use a mapping file)`);
  }
  return [column, { invalid: policy }];
}
