/**
 * The sample run behind `npm start`: the two ERP fixture files (test/fixtures/erp), each loaded by
 * the built CLI into an embedded PostgreSQL (PGlite, in the CLI's own process: no server, no
 * Docker), inspected, then the differences as a tree and the migration plan from production to
 * local, with every hazard measured on the rows from.sql inserts, written to .cache/sample/. The
 * embedded databases live in memory and end with each CLI run. tools/start.ts runs it first.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const OUT_DIR = join(ROOT, '.cache', 'sample');

const DATABASES = [
  { name: 'erp_production', fixture: 'test/fixtures/erp/from.sql' },
  { name: 'erp_local', fixture: 'test/fixtures/erp/to.sql' },
] as const;

class ExitError extends Error {
  constructor(message: string, readonly code: number) {
    super(message);
  }
}

let child: ReturnType<typeof spawn> | undefined;
// If we are made to exit (e.g. SIGTERM sent to this process alone), do not leave the CLI behind.
process.on('exit', () => child?.kill());

/** Runs the built CLI; stdout goes to the terminal or, with outFile, to that file. */
function cli(args: string[], outFile?: string, okCodes: readonly number[] = [0]): Promise<void> {
  const fd = outFile === undefined ? undefined : openSync(outFile, 'w');
  return new Promise((resolvePromise, reject) => {
    child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', fd ?? 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      child = undefined;
      if (fd !== undefined) closeSync(fd);
      if (code !== null && okCodes.includes(code)) resolvePromise();
      else reject(new ExitError(`pgdrift ${args[0]} exited with ${signal ?? `code ${code}`}`, code ?? 1));
    });
  });
}

/**
 * The same plan with the remedies chosen: the id 'default' mapped to a new uuid (a cast policy in a
 * mapping file) and the dropped legacy columns accepted by name (the plan backs them up first).
 */
async function remedied(compare: string[]): Promise<void> {
  const mappingFile = join(OUT_DIR, 'pgdrift.mapping.json');
  writeFileSync(mappingFile, `${JSON.stringify({ casts: { 'public.OvertimeSettings.id': { invalid: 'map', map: { default: 'gen_random_uuid()' } } } }, null, 2)}\n`);
  const dropped = {
    OvertimeSettings: ['autoCalculateOvertime', 'dailyRegularHours', 'doubleTimeMultiplier', 'overtimeMode', 'overtimeMultiplier', 'payPeriodType', 'weekStartDay', 'weeklyRegularHours'],
    TimeTrackingSettings: ['allowgpstracking', 'autoclockoutafterhours', 'breakdeductionminutes', 'maxdailyhours', 'requirephotocheckin', 'roundtonearestminutes'],
  };
  const accepts = Object.entries(dropped).flatMap(([table, columns]) => columns.flatMap((c) => ['--accept', `DL-02:public.${table}.${c}`]));
  const planFile = join(OUT_DIR, 'plan-remedied.sql');
  console.log(`\n=== the same plan with ${relative(process.cwd(), mappingFile)} ('default' → a new uuid) and the ${accepts.length / 2} dropped columns accepted ===`);
  await cli(['plan', ...compare, '--mapping', mappingFile, ...accepts, '-o', planFile], undefined, [0, 2]);
  console.log(`The remedied plan, which nothing blocks: ${relative(process.cwd(), planFile)}`);
}

/** The whole sample run; throws an ExitError with the CLI's exit code when a step fails. */
export async function runSample(): Promise<void> {
  if (!existsSync(CLI)) throw new ExitError(`${relative(ROOT, CLI)} not found: run npm run build first`, 1);
  // Paths relative to the repository, as a user would type them: they name the sides in the output.
  process.chdir(ROOT);
  for (const db of DATABASES) {
    console.log(`\n=== ${db.name} (${db.fixture}) ===`);
    await cli(['inspect', '--url', db.fixture]);
  }
  mkdirSync(OUT_DIR, { recursive: true });
  const local = DATABASES[1];
  const jsonFile = join(OUT_DIR, `${local.name}.json`);
  await cli(['inspect', '--url', local.fixture, '--format', 'json'], jsonFile);
  console.log(`\n${local.name} as JSON: ${relative(process.cwd(), jsonFile)}`);
  // diff and plan exit 2 when the databases differ, which they do.
  const [production] = DATABASES;
  console.log(`\n=== what it takes to turn ${production.name} into ${local.name} ===`);
  const compare = ['--from', production.fixture, '--to', local.fixture];
  await cli(['diff', ...compare, '--format', 'tree'], undefined, [0, 2]);
  const planFile = join(OUT_DIR, 'plan.sql');
  await cli(['plan', ...compare, '-o', planFile], undefined, [0, 2, 3]);
  console.log(`The migration plan: ${relative(process.cwd(), planFile)}`);
  await remedied(compare);
}

if (require.main === module) {
  runSample().catch((error: unknown) => {
    console.error(`sample: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = error instanceof ExitError ? error.code : 1;
  });
}
