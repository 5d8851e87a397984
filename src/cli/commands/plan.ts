import { parseArgs } from 'node:util';
import { acceptName, blockingHazards } from '../../core/hazards/accept';
import { PHASES } from '../../core/plan/types';
import { profileTargetOf, renderPlanScript } from '../../core/render/planScript';
import { compareDatabases, describeForced, hasDifferences } from '../../core/compare';
import { COMPARE_OPTIONS, COMPARE_OPTIONS_USAGE, compareArgsOf } from '../compareArgs';
import { EXIT } from '../exitCodes';
import type { CliIo } from '../io';
import { cliProfileResolver } from '../profiles';
import { reportDataSync } from '../dataReport';
import { reportSqlite } from '../sqliteReport';
import { writeFileAtomic } from '../writeFileAtomic';

export const PLAN_USAGE = `pgdrift plan --from <URL|PATH> --to <URL|PATH> [-o FILE] [--schema NAME]... [--exclude-schema NAME]... [--owners] [--privileges] [--no-comments] [--exclude OBJECT]... [--data SCHEMA.TABLE]... [--data-delete]

Writes the SQL script that brings --from in line with --to, statements in the order PostgreSQL
accepts, grouped by phase, with what each would destroy or reject measured on --from. Exit code
0: nothing to do (the script says so); 2: there is a plan; 3: there is a plan, but a data-loss or
failure hazard in it is not accepted (each is printed on stderr with its evidence; the script is
still written, for review), or a value of a --to SQLite file does not fit its PostgreSQL column.
  -o, --output FILE      write the script to FILE (replaced whole, never half-written; the folder
                         must exist) and a one-line summary to stderr; default: the script to stdout
${COMPARE_OPTIONS_USAGE}`;

export async function planCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...COMPARE_OPTIONS, output: { type: 'string', short: 'o' } },
    strict: true,
    allowPositionals: false,
  });
  const args = compareArgsOf('plan', values, PLAN_USAGE);
  const comparison = await compareDatabases(args, io.env, cliProfileResolver(io));
  const { plan, from, to, unusedAccepts, excluded, forced } = comparison;
  reportDataSync(comparison, io);
  const misfits = reportSqlite(comparison, io);
  for (const a of unusedAccepts) io.stderr(`warning: --accept ${a.code}:${a.object} matches no hazard of this plan\n`);
  for (const f of forced) io.stderr(`excluded too: ${describeForced(f)}\n`);
  const differs = hasDifferences(plan);
  const script = renderPlanScript(plan, from, to, { target: profileTargetOf(args.from), excluded });
  if (values.output === undefined) {
    io.stdout(script);
  } else {
    await writeFileAtomic(values.output, script);
    io.stderr(`wrote ${values.output}: ${summaryOf(plan.changes.length, plan.statements.map((s) => s.phase))}\n`);
  }
  const blocking = blockingHazards(plan);
  for (const h of blocking) {
    io.stderr(`blocked: ${h.code} ${h.severity} ${acceptName(h.object)}: ${h.message}${h.evidence?.unknown ? ` (not measured: ${h.evidence.unknown})` : ''}\n`);
  }
  if (blocking.length) {
    io.stderr(`${blocking.length} hazard${blocking.length === 1 ? '' : 's'} not accepted: accept each by name with --accept CODE:OBJECT (or a cast policy), after reading the evidence\n`);
    return EXIT.unacceptedHazards;
  }
  if (misfits) return EXIT.unacceptedHazards;
  return differs ? EXIT.differences : EXIT.ok;
}

/** "5 changes, 7 statements (expand 5, contract 2)". */
function summaryOf(changes: number, phases: readonly string[]): string {
  if (changes === 0 && phases.length === 0) return 'no differences, nothing to do';
  const perPhase = PHASES.map((p) => [p, phases.filter((q) => q === p).length] as const)
    .filter(([, n]) => n > 0)
    .map(([p, n]) => `${p} ${n}`);
  return `${changes} ${changes === 1 ? 'change' : 'changes'}, ${phases.length} ${phases.length === 1 ? 'statement' : 'statements'}`
    + (perPhase.length ? ` (${perPhase.join(', ')})` : '');
}
