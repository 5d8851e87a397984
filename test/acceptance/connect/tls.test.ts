// TLS against a real server started with ssl=on and certificates made by openssl for the test:
// require, verify-full, verify-ca with the wrong CA, verify-full with a name that does not match,
// a client certificate demanded by pg_hba (clientcert=verify-full), a CA file that does not exist.
// After every failure no pgdrift session is left on the server.
import assert from 'node:assert/strict';
import type { Profile } from '../../../src/core/connect/profile';
import { ConnectionManager } from '../../../src/core/connect/pool';
import { isPgdriftError } from '../../../src/core/errors';
import { startCluster, withClient, type Cluster } from '../../../tools/cluster';
import { CLIENT_CERT_USER, makeCertificates, type TestCertificates } from '../../support/certificates';
import { servers } from '../../support/servers';
import { openPgdriftSessions } from '../../support/sessions';

const major = servers[0]?.major || 15;
const suite = process.env.PGDRIFT_TEST_URL ? describe.skip : describe;

// The suite starts its own server with ssl=on and certificates it makes; an external server
// (PGDRIFT_TEST_URL) cannot be given those, so the suite is skipped there and says why.
suite(process.env.PGDRIFT_TEST_URL
  ? 'TLS modes: SKIPPED with PGDRIFT_TEST_URL (the suite needs its own server started with ssl=on and its certificates)'
  : `TLS modes against a server with ssl=on (PostgreSQL ${major})`, function () {
  this.timeout(60_000);
  let certs: TestCertificates;
  let cluster: Cluster;
  let manager: ConnectionManager;

  before(async function () {
    this.timeout(180_000);
    certs = makeCertificates();
    cluster = await startCluster(major, {
      files: { 'server.crt': certs.pem(certs.serverCert), 'server.key': certs.pem(certs.serverKey), 'root.crt': certs.pem(certs.ca) },
      settings: { ssl: 'on', ssl_cert_file: 'server.crt', ssl_key_file: 'server.key', ssl_ca_file: 'root.crt' },
      // The certificate's CN must equal the role name (verify-full); no password is asked.
      hbaLines: [`hostssl all ${CLIENT_CERT_USER} 127.0.0.1/32 trust clientcert=verify-full`, `host all ${CLIENT_CERT_USER} 127.0.0.1/32 reject`],
    });
    await withClient(cluster.url(), (c) => c.query(`CREATE ROLE ${CLIENT_CERT_USER} LOGIN`));
  });
  after(async () => {
    await cluster?.stop();
    certs?.remove();
  });
  beforeEach(() => {
    manager = new ConnectionManager({ env: {} });
  });
  afterEach(async () => {
    await manager.dispose();
    assert.equal(await openPgdriftSessions(cluster.url()), 0, 'no pgdrift session stays open');
  });

  const profile = (tls: Profile['tls'], overrides: Partial<Profile> = {}): Profile => ({
    name: 'tls', host: 'localhost', port: cluster.port, database: 'postgres', user: 'postgres', ...(tls ? { tls } : {}), ...overrides,
  });
  const usesTls = async (p: Profile) => {
    const session = await manager.session(p, {});
    const { rows } = await session.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    return rows[0]?.ssl;
  };
  const rejects = (p: Profile, code: string, pattern: RegExp) =>
    assert.rejects(manager.session(p, {}), (e: unknown) => {
      assert.ok(isPgdriftError(e), String(e));
      assert.equal(e.code, code, e.message);
      assert.match(e.message, pattern);
      return true;
    });

  it('require encrypts without checking the certificate', async () => {
    assert.equal(await usesTls(profile({ mode: 'require' })), true);
  });

  it('disable connects in plain text to the same server', async () => {
    assert.equal(await usesTls(profile({ mode: 'disable' })), false);
  });

  it('verify-full accepts the certificate signed by the CA for the host name used', async () => {
    assert.equal(await usesTls(profile({ mode: 'verify-full', caFile: certs.ca })), true);
  });

  it('verify-ca with the wrong CA fails with the TLS message', async () => {
    await rejects(profile({ mode: 'verify-ca', caFile: certs.wrongCa }), 'tls-failed', /cannot connect to localhost:\d+\/postgres: TLS handshake failed: .*(self.signed|issuer|verify)/i);
  });

  it('verify-ca does not check the name: 127.0.0.1 is accepted with the right CA', async () => {
    assert.equal(await usesTls(profile({ mode: 'verify-ca', caFile: certs.ca }, { host: '127.0.0.1' })), true);
  });

  it('verify-full fails when the name does not match (127.0.0.1, certificate for localhost)', async () => {
    await rejects(profile({ mode: 'verify-full', caFile: certs.ca }, { host: '127.0.0.1' }), 'tls-failed', /TLS handshake failed: .*(127\.0\.0\.1|altnames|cert's list)/i);
  });

  it('a client certificate logs in where pg_hba demands one', async () => {
    const p = profile({ mode: 'verify-full', caFile: certs.ca, certFile: certs.clientCert, keyFile: certs.clientKey }, { user: CLIENT_CERT_USER });
    const session = await manager.session(p, {});
    const { rows } = await session.query<{ u: string }>('SELECT current_user AS u');
    assert.equal(rows[0]?.u, CLIENT_CERT_USER);
  });

  it('without the client certificate the same role is refused', async () => {
    await rejects(profile({ mode: 'verify-full', caFile: certs.ca }, { user: CLIENT_CERT_USER }), 'authentication-failed', /certuser|certificate/i);
  });

  it('a CA file that does not exist is an error naming the file and the profile, before connecting', async () => {
    const missing = `${certs.dir}/nope.crt`;
    await assert.rejects(manager.session(profile({ mode: 'verify-full', caFile: missing }), {}), (e: unknown) => {
      assert.ok(isPgdriftError(e));
      assert.equal(e.code, 'tls-failed');
      assert.equal(e.fix, 'edit-profile');
      assert.match(e.message, /^profile "tls" \(localhost:\d+\/postgres\): cannot read the CA certificate \(sslrootcert\) file ".*nope\.crt": no such file$/);
      return true;
    });
  });
});
