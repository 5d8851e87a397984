import { PgdriftError, isPgdriftError, messageOf } from '../core/errors';
import { CHECK_USAGE, checkCommand } from './commands/check';
import { DIFF_USAGE, diffCommand } from './commands/diff';
import { INSPECT_USAGE, inspectCommand } from './commands/inspect';
import { PLAN_USAGE, planCommand } from './commands/plan';
import { RUN_USAGE, runCommand } from './commands/run';
import { ERROR_EXIT_CODES } from './exitCodes';
import type { CliIo } from './io';

const USAGE = `usage: pgdrift <command> [options]

commands:
  inspect   read a database's schema and print a summary or the JSON model
  diff      compare two databases' schemas: a tree, the SQL or JSON; exit 2 when they differ
  plan      write the SQL script that brings one database in line with another
  check     analyse a hand-written migration file against its target; exit 3 when a hazard blocks
  run       run (or rehearse) a migration on its target phase by phase, guarded and validated

${INSPECT_USAGE}

${DIFF_USAGE}

${PLAN_USAGE}

${CHECK_USAGE}

${RUN_USAGE}
`;

const COMMANDS: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  inspect: inspectCommand,
  diff: diffCommand,
  plan: planCommand,
  check: checkCommand,
  run: runCommand,
};

/** The whole CLI as a function: arguments in, exit code out; errors become one line on stderr. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (!name) {
    io.stderr(USAGE);
    return ERROR_EXIT_CODES.usage;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`pgdrift: unknown command "${name}"\n\n${USAGE}`);
    return ERROR_EXIT_CODES.usage;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    const wrapped = isPgdriftError(error) ? error : asUsageOrInternal(error);
    io.stderr(`pgdrift: ${wrapped.message}\n`);
    return ERROR_EXIT_CODES[wrapped.code];
  }
}

function asUsageOrInternal(error: unknown): PgdriftError {
  // node:util parseArgs reports unknown or malformed options with these codes.
  const code = (error as { code?: string }).code ?? '';
  if (code.startsWith('ERR_PARSE_ARGS')) return new PgdriftError('usage', messageOf(error));
  return new PgdriftError('internal', `unexpected error: ${messageOf(error)}`, { cause: error });
}
