/**
 * Which PostgreSQL servers the acceptance tests run against.
 *
 *   PGDRIFT_TEST_PG=13,15,18   majors to start as private clusters (default: 13,15,18)
 *   PGDRIFT_TEST_URL=postgres://user:pw@host:port/postgres
 *                              use this external server instead (a superuser or a role with
 *                              CREATEDB); no cluster is started
 *
 * Clusters are started once per test run by the root hooks (hooks.ts) and always stopped.
 */
import { Client } from 'pg';
import { createDatabase as createDatabaseOn, startCluster, type Cluster } from '../../tools/cluster';
import { parseConnectionUrl, type ConnectionTarget } from '../../src/core/db/target';

export const DEFAULT_TEST_MAJORS = [13, 15, 18];

export interface TestServer {
  /** "PostgreSQL 15", or "external server" for PGDRIFT_TEST_URL. */
  readonly label: string;
  /** Major version asked for; for an external server, known once started. */
  major: number;
  /** Admin URL of a database on this server, usable once started. */
  adminUrl(database?: string): string;
}

export interface ManagedServer extends TestServer {
  start(): Promise<void>;
  stop(): Promise<void>;
}

function externalServer(url: string): ManagedServer {
  const base = new URL(url);
  return {
    label: 'external server',
    major: 0,
    adminUrl(database = base.pathname.slice(1) || 'postgres') {
      const u = new URL(url);
      u.pathname = `/${encodeURIComponent(database)}`;
      return u.toString();
    },
    async start() {
      const client = new Client({ connectionString: url });
      await client.connect();
      const r = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
      this.major = Math.floor(Number(r.rows[0]?.v) / 10000);
      await client.end();
    },
    async stop() {},
  };
}

function clusterServer(major: number): ManagedServer {
  let cluster: Cluster | undefined;
  return {
    label: `PostgreSQL ${major}`,
    major,
    adminUrl(database = 'postgres') {
      if (!cluster) throw new Error(`PostgreSQL ${major} cluster is not running`);
      return cluster.url(database);
    },
    async start() {
      cluster = await startCluster(major);
    },
    async stop() {
      await cluster?.stop();
      cluster = undefined;
    },
  };
}

function configuredServers(): ManagedServer[] {
  const external = process.env.PGDRIFT_TEST_URL;
  if (external) return [externalServer(external)];
  const majors = (process.env.PGDRIFT_TEST_PG ?? DEFAULT_TEST_MAJORS.join(','))
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  if (majors.length === 0) throw new Error('PGDRIFT_TEST_PG names no PostgreSQL major version');
  return majors.map(clusterServer);
}

export const servers: readonly ManagedServer[] = configuredServers();

const started = new Map<ManagedServer, Promise<void>>();

/** Starts a server on first use, so a run of unit tests alone starts none. */
function ensureStarted(server: ManagedServer): Promise<void> {
  let p = started.get(server);
  if (!p) {
    p = server.start();
    started.set(server, p);
  }
  return p;
}

export async function stopServers(): Promise<void> {
  await Promise.all([...started.keys()].map((s) => s.stop()));
  started.clear();
}

let counter = 0;

/** A database created for one test case, dropped afterwards. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  readonly target: ConnectionTarget;
  /** Runs SQL (may hold many statements) as the admin user. */
  exec(sql: string): Promise<void>;
  /** Runs one query as the admin user. */
  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

export async function createDatabase(server: ManagedServer): Promise<TestDatabase> {
  counter += 1;
  const name = `pgdrift_t${process.pid}_${counter}`;
  await createDatabaseOn(server.adminUrl(), name);
  const url = server.adminUrl(name);
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return {
    name,
    url,
    target: parseConnectionUrl(url),
    async exec(sql) {
      await client.query(sql);
    },
    async query(sql, params) {
      return (await client.query(sql, params)).rows;
    },
    async drop() {
      await client.end();
      const a = new Client({ connectionString: server.adminUrl() });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await a.end();
      }
    },
  };
}

/** A database on a started server, for tests that declare their own suites. */
export async function databaseOn(server: ManagedServer): Promise<TestDatabase> {
  await ensureStarted(server);
  return createDatabase(server);
}

/**
 * Declares a suite once per configured server; inside, `db()` is a fresh database for each test.
 */
export function describeEachServer(title: string, body: (ctx: { server: ManagedServer; db: () => TestDatabase }) => void): void {
  for (const server of servers) {
    describe(`${title} (${server.label})`, function () {
      before(async function () {
        this.timeout(180_000);
        await ensureStarted(server);
      });
      body({ server, db: freshDatabaseEachTest(server) });
    });
  }
}

/**
 * In the calling `describe`: a new database on `server` before each test, dropped after it; the
 * function returns the current one (for a second database beside `db()`, as a diff needs two).
 */
export function freshDatabaseEachTest(server: ManagedServer): () => TestDatabase {
  let current: TestDatabase | undefined;
  beforeEach(async function () {
    current = await createDatabase(server);
  });
  afterEach(async function () {
    await current?.drop();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('no test database: it is for use inside a test');
    return current;
  };
}
