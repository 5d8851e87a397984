/**
 * The sample run behind `npm start`: a private PostgreSQL 15 cluster holding the two ERP fixture
 * databases (test/fixtures/erp), each inspected with the built CLI, then the differences as a tree
 * and the migration plan from production to local, written to .cache/sample/. The cluster is stopped at the end, on failure and on Ctrl-C (tools/cluster.ts
 * stops it on any process exit, including the exit it makes on SIGINT/SIGTERM).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createDatabase, startCluster, withClient } from './cluster';

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

/** Creates the database and loads the fixture; returns how many tables it then holds. */
async function load(url: (db?: string) => string, name: string, fixture: string): Promise<number> {
  await createDatabase(url(), name);
  const sql = readFileSync(join(ROOT, fixture), 'utf8');
  return withClient(url(name), async (c) => {
    // The simple query protocol takes a whole script (many statements, BEGIN/COMMIT) at once.
    await c.query(sql);
    const r = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
    );
    return Number(r.rows[0]?.n);
  });
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

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new ExitError(`${relative(ROOT, CLI)} not found: run npm run build first`, 1);

  console.log('Starting a private PostgreSQL 15 cluster ...');
  const cluster = await startCluster(15);
  try {
    for (const db of DATABASES) {
      const tables = await load(cluster.url, db.name, db.fixture);
      console.log(`Loaded ${db.name} from ${db.fixture}: ${tables} tables`);
    }
    for (const db of DATABASES) {
      console.log(`\n=== ${db.name} (${cluster.url(db.name)}) ===`);
      await cli(['inspect', '--url', cluster.url(db.name)]);
    }
    mkdirSync(OUT_DIR, { recursive: true });
    const local = DATABASES[1];
    const jsonFile = join(OUT_DIR, `${local.name}.json`);
    await cli(['inspect', '--url', cluster.url(local.name), '--format', 'json'], jsonFile);
    console.log(`\n${local.name} as JSON: ${relative(process.cwd(), jsonFile)}`);
    // diff and plan exit 2 when the databases differ, which they do.
    const [production] = DATABASES;
    console.log(`\n=== what it takes to turn ${production.name} into ${local.name} ===`);
    const compare = ['--from', cluster.url(production.name), '--to', cluster.url(local.name)];
    await cli(['diff', ...compare, '--format', 'tree'], undefined, [0, 2]);
    const planFile = join(OUT_DIR, 'plan.sql');
    await cli(['plan', ...compare, '-o', planFile], undefined, [0, 2, 3]);
    console.log(`The migration plan: ${relative(process.cwd(), planFile)}`);
    await remedied(compare);
  } finally {
    await cluster.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`sample: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof ExitError ? error.code : 1;
});
