import { strict as assert } from 'node:assert';
import { describeTarget, parseConnectionUrl, redactUrl } from '../../src/core/db/target';
import { PgdriftError } from '../../src/core/errors';

describe('connection URLs', () => {
  it('reads every part of a full URL', () => {
    const t = parseConnectionUrl('postgresql://app%40corp:s%3Acret@db.example.com:6543/erp%20prod?sslmode=verify-full&sslrootcert=/etc/ca.pem&connect_timeout=3');
    assert.equal(t.host, 'db.example.com');
    assert.equal(t.port, 6543);
    assert.equal(t.user, 'app@corp');
    assert.equal(t.password, 's:cret');
    assert.equal(t.database, 'erp prod');
    assert.equal(t.sslmode, 'verify-full');
    assert.equal(t.sslrootcert, '/etc/ca.pem');
    assert.equal(t.connectTimeoutMs, 3000);
  });

  it("takes libpq's defaults and environment for missing parts", () => {
    const t = parseConnectionUrl('postgres://db.example.com', { PGUSER: 'alice', PGPASSWORD: 'pw', PGDATABASE: 'shop' });
    assert.deepEqual([t.port, t.user, t.password, t.database, t.sslmode], [5432, 'alice', 'pw', 'shop', 'prefer']);
    const bare = parseConnectionUrl('postgres://h');
    assert.equal(bare.user, 'postgres');
    assert.equal(bare.database, 'postgres');
    assert.equal('password' in bare, false);
  });

  it('rejects what is not a PostgreSQL URL, without echoing the password', () => {
    assert.throws(() => parseConnectionUrl('mysql://u:topsecret@h/db'), (e: unknown) =>
      e instanceof PgdriftError && e.code === 'usage' && !e.message.includes('topsecret'));
    assert.throws(() => parseConnectionUrl('postgres://h/db?sslmode=sometimes'), /unsupported sslmode "sometimes"/);
    assert.throws(() => parseConnectionUrl('not a url'), /not a connection URL/);
  });

  it('names a target as host:port/database and redacts passwords in URLs', () => {
    assert.equal(describeTarget({ host: 'h', port: 5, database: 'd' }), 'h:5/d');
    assert.equal(redactUrl('postgres://u:pw@h:5/d'), 'postgres://u:***@h:5/d');
    assert.equal(redactUrl('postgres://h/d?user=u&password=pw'), 'postgres://h/d?user=u&password=***');
    assert.equal(redactUrl('postgres://u@h/d'), 'postgres://u@h/d');
  });
});
