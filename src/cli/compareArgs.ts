/**
 * The options `diff` and `plan` share: the two databases, which schemas to read, and what the
 * comparison looks at.
 */
import type { ParseArgsConfig } from 'node:util';
import type { DiffOptions } from '../core/diff/options';
import type { IntrospectOptions } from '../core/introspect';
import { PgdriftError } from '../core/errors';

export const COMPARE_OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  schema: { type: 'string', multiple: true },
  'exclude-schema': { type: 'string', multiple: true },
  owners: { type: 'boolean', default: false },
  privileges: { type: 'boolean', default: false },
  'no-comments': { type: 'boolean', default: false },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const COMPARE_OPTIONS_USAGE = `  --from URL             the database to change (read only here)
  --to URL               the database whose schema it should have (read only)
  --schema NAME          compare only this schema (repeatable)
  --exclude-schema NAME  leave this schema out (repeatable)
  --owners               compare owners too (off by default)
  --privileges           compare privileges (GRANT/REVOKE) too (off by default)
  --no-comments          do not compare comments (compared by default)`;

export interface CompareArgs {
  from: string;
  to: string;
  introspect: Partial<IntrospectOptions>;
  diff: Partial<DiffOptions>;
}

interface CompareValues {
  from?: string | undefined;
  to?: string | undefined;
  schema?: string[] | undefined;
  'exclude-schema'?: string[] | undefined;
  owners?: boolean | undefined;
  privileges?: boolean | undefined;
  'no-comments'?: boolean | undefined;
}

export function compareArgsOf(command: string, values: CompareValues, usage: string): CompareArgs {
  const missing = (['from', 'to'] as const).filter((k) => !values[k]).map((k) => `--${k}`);
  if (!values.from || !values.to) throw new PgdriftError('usage', `${command} needs ${missing.join(' and ')}\n\n${usage}`);
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
    },
  };
}
