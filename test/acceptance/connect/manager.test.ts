// ConnectionManager against a real server: password roles, read-only sessions, the read-only and
// production guards, testConnection, and the errors a profile can meet (wrong password, unknown
// host, unset variable, deleted secret). After each test no pgdrift session is left open.
import assert from 'node:assert/strict';
import { confirmWrite } from '../../../src/core/connect/confirm';
import type { Profile } from '../../../src/core/connect/profile';
import { ConnectionManager } from '../../../src/core/connect/pool';
import { isPgdriftError, type ErrorCode, type ErrorFix } from '../../../src/core/errors';
import { withClient } from '../../../tools/cluster';
import { describeEachServer } from '../../support/servers';
import { openPgdriftSessions } from '../../support/sessions';

const PASSWORD = 's3cret-Pa55';
let roleCounter = 0;

describeEachServer('connection manager', ({ server, db }) => {
  // A suite of its own, so its afterEach (dispose, count sessions) runs before the database is dropped.
  describe('profiles', () => body({ server, db }));
});

function body({ server, db }: Parameters<Parameters<typeof describeEachServer>[1]>[0]): void {
  let manager: ConnectionManager;
  let role: string;

  beforeEach(async () => {
    role = `pgdrift_app_${process.pid}_${++roleCounter}`;
    await withClient(server.adminUrl(), (c) => c.query(`CREATE ROLE ${role} LOGIN PASSWORD '${PASSWORD}'`));
    await db().exec(`GRANT ALL ON SCHEMA public TO ${role}; CREATE TABLE public.t (id int); GRANT ALL ON public.t TO ${role}`);
    manager = new ConnectionManager({ env: { PGDRIFT_TEST_DB: db().name } });
  });
  afterEach(async () => {
    await manager.dispose();
    assert.equal(await openPgdriftSessions(server.adminUrl()), 0, 'no pgdrift session stays open');
    await db().exec(`DROP TABLE IF EXISTS public.t; REVOKE ALL ON SCHEMA public FROM ${role}`);
    await withClient(server.adminUrl(), (c) => c.query(`DROP ROLE ${role}`));
  });

  const profile = (overrides: Partial<Profile> = {}): Profile => ({
    name: 'app', host: db().target.host, port: db().target.port, database: db().name, user: role, tls: { mode: 'disable' }, ...overrides,
  });
  const failsWith = (attempt: Promise<unknown>, code: ErrorCode, pattern: RegExp, fix?: ErrorFix) =>
    assert.rejects(attempt, (e: unknown) => {
      assert.ok(isPgdriftError(e), String(e));
      assert.equal(e.code, code, e.message);
      assert.match(e.message, pattern);
      assert.equal(e.fix, fix);
      assert.ok(!e.message.includes(PASSWORD) && !e.message.includes('wrong-pw'), 'no password in the message');
      return true;
    });

  it('testConnection reports the server version and a round-trip time', async () => {
    const result = await manager.testConnection(profile(), { password: PASSWORD });
    assert.match(result.serverVersion, /^\d+(\.\d+)?/);
    assert.equal(Math.floor(result.serverVersionNum / 10000), server.major || Math.floor(result.serverVersionNum / 10000));
    assert.ok(result.roundTripMs > 0 && result.roundTripMs < 5000, `round trip ${result.roundTripMs} ms`);
  });

  it('a session is read-only: a write fails with PostgreSQL\'s read-only error', async () => {
    const session = await manager.session(profile(), { password: PASSWORD });
    await assert.rejects(session.query('INSERT INTO public.t VALUES (1)'), /cannot execute INSERT in a read-only transaction/);
    const pinned = await session.connect();
    try {
      await assert.rejects(pinned.query('CREATE TABLE public.u (id int)'), /read-only transaction/);
      const { rows } = await pinned.query<{ ro: string; app: string }>("SELECT current_setting('default_transaction_read_only') AS ro, current_setting('application_name') AS app");
      assert.deepEqual(rows[0], { ro: 'on', app: 'pgdrift' });
    } finally {
      await pinned.close();
    }
    assert.equal((await db().query('SELECT count(*)::int AS n FROM public.t'))[0]?.n, 0);
  });

  it('one pool per profile, reused; ${env:} expanded in the database name', async () => {
    const p = profile({ database: '${env:PGDRIFT_TEST_DB}' });
    const a = await manager.session(p, { password: PASSWORD });
    const b = await manager.session(p, { password: PASSWORD });
    assert.equal(a, b);
    assert.equal(a.where, `${db().target.host}:${db().target.port}/${db().name}`);
  });

  it('openForWrite on a development profile writes', async () => {
    const connection = await manager.openForWrite(profile(), { password: PASSWORD });
    try {
      await connection.query('INSERT INTO public.t VALUES (1)');
    } finally {
      await connection.close();
    }
    assert.equal((await db().query('SELECT count(*)::int AS n FROM public.t'))[0]?.n, 1);
  });

  it('a read-only profile refuses openForWrite, even with a confirmation', async () => {
    const p = profile({ readOnly: true, environment: 'production' });
    await failsWith(manager.openForWrite(p, { password: PASSWORD }, confirmWrite(p, db().name, {})), 'write-refused', /profile "app" is read-only/, 'edit-profile');
  });

  it('a production profile refuses without a confirmation and with one for a wrong typed name', async () => {
    const p = profile({ environment: 'production' });
    await failsWith(manager.openForWrite(p, { password: PASSWORD }), 'write-refused', /profile "app" is production: .*type the database name/);
    assert.equal(confirmWrite(p, 'postgres', {}), undefined, 'a wrong name gives no token');
    const forged = Object.create(Object.getPrototypeOf(confirmWrite(p, db().name, {}))) as never;
    await failsWith(manager.openForWrite(p, { password: PASSWORD }, forged), 'write-refused', /production/);
    const other = confirmWrite({ ...p, name: 'other' }, db().name, {});
    await failsWith(manager.openForWrite(p, { password: PASSWORD }, other), 'write-refused', /production/, undefined);
  });

  it('a production profile accepts the token from the right typed name, once', async () => {
    const p = profile({ environment: 'production' });
    const token = confirmWrite(p, ` ${db().name} `, {});
    assert.ok(token);
    const connection = await manager.openForWrite(p, { password: PASSWORD }, token);
    try {
      await connection.query('INSERT INTO public.t VALUES (2)');
    } finally {
      await connection.close();
    }
    await failsWith(manager.openForWrite(p, { password: PASSWORD }, token), 'write-refused', /production/);
  });

  it('a wrong password names host and database, never the password', async () => {
    await failsWith(manager.session(profile(), { password: 'wrong-pw' }), 'authentication-failed',
      new RegExp(`cannot connect to ${db().target.host}:${db().target.port}/${db().name}: password authentication failed for user "${role}"`), 'edit-profile');
  });

  it('a deleted secret says which profile needs a password', async () => {
    await failsWith(manager.session(profile(), {}), 'authentication-failed', /^no password stored for profile "app": use Edit profile to set it/, 'edit-profile');
  });

  it('an unknown host', async () => {
    await failsWith(manager.session(profile({ host: 'no-such-host.invalid' }), { password: PASSWORD }), 'host-unreachable', /host "no-such-host\.invalid" not found/, 'edit-profile');
  });

  it('an unset environment variable is named with the field, before connecting', async () => {
    await failsWith(manager.session(profile({ host: '${env:PGHOST_PROD}' }), { password: PASSWORD }), 'usage',
      /^profile "app": host uses \$\{env:PGHOST_PROD\}, which is not set$/, 'edit-profile');
  });

  it('a failed attempt is not cached: the next one with the right password connects', async () => {
    await assert.rejects(manager.session(profile(), { password: 'wrong-pw' }));
    const session = await manager.session(profile(), { password: PASSWORD });
    assert.equal((await session.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one, 1);
  });
}
