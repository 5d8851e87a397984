import { strict as assert } from 'node:assert';
import { createServer, type Server, type Socket } from 'node:net';
import { ERROR_EXIT_CODES } from '../../src/cli/exitCodes';
import { freePort, startCluster, type Cluster } from '../../tools/cluster';
import { describeEachServer } from '../support/servers';
import { cli, type CliOutcome } from '../support/cli';

/** One line on stderr, naming host and database, never the password. */
function assertOneLineError(outcome: CliOutcome, code: number, hostAndDb: string, secret: string, pattern: RegExp): void {
  assert.equal(outcome.code, code, outcome.stderr);
  assert.equal(outcome.stdout, '');
  assert.equal(outcome.stderr.trimEnd().split('\n').length, 1, `one line expected: ${outcome.stderr}`);
  assert.ok(outcome.stderr.includes(hostAndDb), `names ${hostAndDb}: ${outcome.stderr}`);
  assert.ok(!outcome.stderr.includes(secret), 'the password never appears');
  assert.match(outcome.stderr, pattern);
}

const SECRET = 'pw-Xq7-never-shown';

describe('pgdrift inspect: bad input', () => {
  it('an unknown host: host-unreachable', async () => {
    const out = await cli(['inspect', '--url', `postgres://app:${SECRET}@no-such-host.invalid:5432/erp`]);
    assertOneLineError(out, ERROR_EXIT_CODES['host-unreachable'], 'no-such-host.invalid:5432/erp', SECRET, /not found/);
  });

  it('a host that accepts TCP but never answers: host-unreachable after the connect timeout', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const out = await cli(['inspect', '--url', `postgres://app:${SECRET}@127.0.0.1:${port}/erp?connect_timeout=1`]);
      assertOneLineError(out, ERROR_EXIT_CODES['host-unreachable'], `127.0.0.1:${port}/erp`, SECRET, /no answer within 1 s/);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('nothing listening on the port: connection-refused', async () => {
    const port = await freePort();
    const out = await cli(['inspect', '--url', `postgres://app:${SECRET}@127.0.0.1:${port}/erp`]);
    assertOneLineError(out, ERROR_EXIT_CODES['connection-refused'], `127.0.0.1:${port}/erp`, SECRET, /connection refused/);
  });

  it('usage errors: missing --url, unknown format, unknown option, unknown command', async () => {
    assert.equal((await cli(['inspect'])).code, ERROR_EXIT_CODES.usage);
    assert.match((await cli(['inspect', '--url', 'postgres://h/d', '--format', 'xml'])).stderr, /unknown --format "xml"/);
    assert.equal((await cli(['inspect', '--frobnicate'])).code, ERROR_EXIT_CODES.usage);
    assert.equal((await cli(['explode'])).code, ERROR_EXIT_CODES.usage);
    const bare = await cli([]);
    assert.equal(bare.code, ERROR_EXIT_CODES.usage);
    assert.equal(bare.stdout, '');
    assert.match(bare.stderr, /^usage: pgdrift <command>/);
    const help = await cli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /pgdrift inspect --url/);
  });

  describe('a server older than 13', function () {
    let old: Cluster | undefined;
    before(async function () {
      this.timeout(120_000);
      old = await startCluster(12);
    });
    after(async () => old?.stop());

    it('PostgreSQL 12: unsupported-version', async () => {
      if (!old) throw new Error('no PostgreSQL 12 cluster');
      const out = await cli(['inspect', '--url', old.url('postgres')]);
      assertOneLineError(out, ERROR_EXIT_CODES['unsupported-version'], `127.0.0.1:${old.port}/postgres`, SECRET, /PostgreSQL 12\.\d+; pgdrift supports PostgreSQL 13 to 18/);
    });
  });
});

describeEachServer('pgdrift inspect: bad input on a live server', ({ db }) => {
  function urlWith(parts: { user?: string; password?: string; database?: string; query?: string }): { url: string; where: string } {
    const base = new URL(db().url);
    if (parts.user) base.username = parts.user;
    if (parts.password) base.password = parts.password;
    if (parts.database) base.pathname = `/${parts.database}`;
    if (parts.query) base.search = parts.query;
    return { url: base.toString(), where: `${base.hostname}:${base.port}/${decodeURIComponent(base.pathname.slice(1))}` };
  }

  it('a wrong password: authentication-failed', async () => {
    const role = `${db().name}_login`;
    await db().exec(`CREATE ROLE ${role} LOGIN PASSWORD 'the-right-one'`);
    try {
      const { url, where } = urlWith({ user: role, password: SECRET });
      const out = await cli(['inspect', '--url', url]);
      assertOneLineError(out, ERROR_EXIT_CODES['authentication-failed'], where, SECRET, /password authentication failed/);
      const right = urlWith({ user: role, password: 'the-right-one' });
      assert.equal((await cli(['inspect', '--url', right.url])).code, 0);
    } finally {
      await db().exec(`DROP ROLE ${role}`);
    }
  });

  it('a password in PGPASSWORD is used and never shown', async () => {
    const role = `${db().name}_env`;
    await db().exec(`CREATE ROLE ${role} LOGIN PASSWORD 'from-env'`);
    try {
      const { url } = urlWith({ user: role });
      assert.equal((await cli(['inspect', '--url', url], { PGPASSWORD: 'from-env' })).code, 0);
      const wrong = await cli(['inspect', '--url', url], { PGPASSWORD: SECRET });
      assert.equal(wrong.code, ERROR_EXIT_CODES['authentication-failed']);
      assert.ok(!wrong.stderr.includes(SECRET));
    } finally {
      await db().exec(`DROP ROLE ${role}`);
    }
  });

  it('TLS required but the server does not offer it: tls-failed', async () => {
    const { url, where } = urlWith({ password: SECRET, query: '?sslmode=require' });
    const out = await cli(['inspect', '--url', url]);
    assertOneLineError(out, ERROR_EXIT_CODES['tls-failed'], where, SECRET, /TLS was required \(sslmode=require\) but the server does not offer it/);
  });

  it('a database that does not exist: database-missing', async () => {
    const { url, where } = urlWith({ password: SECRET, database: 'no_such_db' });
    const out = await cli(['inspect', '--url', url]);
    assertOneLineError(out, ERROR_EXIT_CODES['database-missing'], where, SECRET, /database "no_such_db" does not exist/);
  });

  it('a reachable database: a summary and exit 0', async () => {
    await db().exec('CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a)');
    const out = await cli(['inspect', '--url', db().url]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^2 tables, 3 columns, 2 indexes, 2 primary keys, 1 foreign key, 1 schema$/m);
    assert.match(out.stdout, /^fingerprint sha256:[0-9a-f]{64}$/m);
  });
});
