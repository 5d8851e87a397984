import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confirmWrite, WriteConfirmation } from '../../src/core/connect/confirm';
import { expandProfile } from '../../src/core/connect/expand';
import { parseJsonc } from '../../src/core/connect/jsonc';
import { lookupPgpass, parsePgpass, readPgpassFile } from '../../src/core/connect/pgpass';
import type { Profile } from '../../src/core/connect/profile';
import { profilesFromSettings } from '../../src/core/connect/settings';
import { profileTarget } from '../../src/core/connect/target';
import { profileFromUrl, profileToUrl } from '../../src/core/connect/url';
import { validatePort, validateProfile, validateSsh, validateTls } from '../../src/core/connect/validate';
import { parseConnectionUrl } from '../../src/core/db/target';
import { PgdriftError } from '../../src/core/errors';

const base: Profile = { name: 'prod', host: 'db.example.com', port: 5432, database: 'erp', user: 'app' };

describe('connection profiles', () => {
  describe('${env:} expansion', () => {
    it('expands host, user and database', () => {
      const p = expandProfile({ ...base, host: '${env:H}', user: 'u_${env:U}', database: '${env:D}' }, { H: 'h1', U: 'x', D: 'erp_1' });
      assert.deepEqual([p.host, p.user, p.database], ['h1', 'u_x', 'erp_1']);
    });

    it('names the variable and the field when it is not set', () => {
      assert.throws(() => expandProfile({ ...base, host: '${env:PGHOST_PROD}' }, {}), (e: unknown) =>
        e instanceof PgdriftError && e.fix === 'edit-profile' && e.message === 'profile "prod": host uses ${env:PGHOST_PROD}, which is not set');
      assert.throws(() => expandProfile({ ...base, database: '${env:DB}' }, { DB: '' }), /database uses \$\{env:DB\}, which is empty/);
    });
  });

  describe('validation', () => {
    it('checks each field with a message', () => {
      assert.equal(validatePort(5432), undefined);
      assert.match(validatePort('0') ?? '', /1 to 65535/);
      assert.match(validatePort('65536') ?? '', /1 to 65535/);
      assert.match(validatePort('54x') ?? '', /whole number/);
      assert.match(validateTls({ mode: 'verify-full' }) ?? '', /needs the CA certificate file/);
      assert.equal(validateTls({ mode: 'verify-ca', caFile: '/ca.pem' }), undefined);
      assert.match(validateTls({ mode: 'require', certFile: '/c.pem' }) ?? '', /both the certificate file and its key file/);
      assert.match(validateTls({ mode: 'sometimes' as never }) ?? '', /unknown TLS mode/);
      assert.match(validateSsh({ host: 'bastion', user: '' }) ?? '', /SSH user/);
      assert.match(validateSsh({ host: '', user: 'me' }) ?? '', /SSH host/);
    });

    it('checks a whole profile from settings, names unique', () => {
      assert.equal(validateProfile(base), undefined);
      assert.match(validateProfile({ ...base, name: '' }) ?? '', /needs a name/);
      assert.match(validateProfile(base, ['prod']) ?? '', /profile "prod": a profile named "prod" exists already/);
      assert.match(validateProfile({ ...base, host: ' ' }) ?? '', /host must not be empty/);
      assert.match(validateProfile({ ...base, environment: 'qa' }) ?? '', /environment must be one of development, staging, production/);
      assert.match(validateProfile({ ...base, port: '5432' }) ?? '', /"port" must be a number/);
      assert.match(validateProfile({ name: 'x', host: 'h', user: 'u' }) ?? '', /"database" must be a string/);
    });
  });

  describe('URLs', () => {
    it('imports a URL: the password comes back separately', () => {
      const { profile, password } = profileFromUrl('postgres://app:p%40ss@db.example.com:6543/erp?sslmode=verify-full&sslrootcert=/ca.pem&sslcert=/c.pem&sslkey=/k.pem', 'imported');
      assert.equal(password, 'p@ss');
      assert.deepEqual(profile, {
        name: 'imported', host: 'db.example.com', port: 6543, database: 'erp', user: 'app',
        tls: { mode: 'verify-full', caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' },
      });
      assert.equal('password' in profileFromUrl('postgres://app@h/db', 'x'), false);
    });

    it('exports without a password and round-trips', () => {
      const profile: Profile = { ...base, port: 6543, tls: { mode: 'verify-ca', caFile: '/etc/ca.pem' }, connectTimeoutSeconds: 3 };
      const url = profileToUrl(profile);
      assert.equal(url, 'postgres://app@db.example.com:6543/erp?sslmode=verify-ca&sslrootcert=%2Fetc%2Fca.pem&connect_timeout=3');
      assert.deepEqual(profileFromUrl(url, 'prod').profile, profile);
      const imported = profileFromUrl('postgres://app:topsecret@db.example.com/erp', 'prod');
      assert.ok(!profileToUrl(imported.profile).includes('topsecret'));
    });

    it('keeps ${env:} references and odd names through the URL', () => {
      const profile: Profile = { ...base, host: '${env:PGHOST_PROD}', user: 'a@b', database: 'my db' };
      assert.deepEqual(profileFromUrl(profileToUrl(profile), 'prod').profile, profile);
    });

    it('parses sslcert and sslkey in connection URLs', () => {
      const t = parseConnectionUrl('postgres://h/db?sslmode=require&sslcert=/c.pem&sslkey=/k.pem');
      assert.deepEqual([t.sslcert, t.sslkey], ['/c.pem', '/k.pem']);
    });
  });

  it('a profile as a connection target', () => {
    const t = profileTarget({ ...base, port: undefined as never, tls: { mode: 'require' } }, { password: 'pw' }, {});
    assert.deepEqual(
      { host: t.host, port: t.port, sslmode: t.sslmode, password: t.password, profile: t.profile, timeout: t.connectTimeoutMs },
      { host: 'db.example.com', port: 5432, sslmode: 'require', password: 'pw', profile: 'prod', timeout: 10_000 },
    );
    assert.equal('password' in profileTarget(base, { password: '' }, {}), false);
  });

  describe('write confirmation', () => {
    const prod: Profile = { ...base, environment: 'production', database: '${env:DB}' };

    it('is issued only for the expanded database name', () => {
      assert.equal(confirmWrite(prod, 'erp', { DB: 'erp_live' }), undefined);
      assert.equal(confirmWrite(prod, 'ERP_LIVE', { DB: 'erp_live' }), undefined);
      assert.ok(confirmWrite(prod, 'erp_live', { DB: 'erp_live' }) instanceof WriteConfirmation);
    });

    it('is bound to its profile and spent once', () => {
      const token = confirmWrite(prod, 'erp_live', { DB: 'erp_live' });
      assert.equal(WriteConfirmation.redeem(token, 'other', 'erp_live'), false);
      assert.equal(WriteConfirmation.redeem(token, 'prod', 'erp_live'), true);
      assert.equal(WriteConfirmation.redeem(token, 'prod', 'erp_live'), false);
      assert.equal(WriteConfirmation.redeem('prod', 'prod', 'erp_live'), false);
      assert.equal(WriteConfirmation.redeem(Object.create(WriteConfirmation.prototype), 'prod', 'erp_live'), false);
    });
  });

  describe('.pgpass', () => {
    const text = [
      '# comment',
      'db.example.com:5432:erp:app:first',
      'db.example.com:*:*:app:second',
      'h\\:odd:5432:*:*:pa\\:ss\\\\word',
      '*:*:*:*:fallback:with:colons',
      'too:few:fields',
      '',
    ].join('\n');

    it('parses escapes and matches the first line, * as a wildcard', () => {
      const entries = parsePgpass(text);
      assert.equal(entries.length, 4);
      assert.equal(lookupPgpass(entries, { host: 'db.example.com', port: 5432, database: 'erp', user: 'app' }), 'first');
      assert.equal(lookupPgpass(entries, { host: 'db.example.com', port: 6543, database: 'crm', user: 'app' }), 'second');
      assert.equal(lookupPgpass(entries, { host: 'h:odd', port: 5432, database: 'x', user: 'y' }), 'pa:ss\\word');
      assert.equal(lookupPgpass(entries, { host: 'other', port: 1, database: 'x', user: 'y' }), 'fallback:with:colons');
      assert.equal(lookupPgpass(parsePgpass('a:1:b:c:d'), { host: 'a', port: 2, database: 'b', user: 'c' }), undefined);
    });

    it('reads PGPASSFILE, and ignores a file group or others can read, with a warning', () => {
      const dir = mkdtempSync(join(tmpdir(), 'pgdrift-pgpass-'));
      try {
        const file = join(dir, 'pass');
        writeFileSync(file, 'h:5432:db:u:pw\n');
        chmodSync(file, 0o600);
        const ok = readPgpassFile({ PGPASSFILE: file });
        assert.deepEqual([ok?.entries.length, ok?.warning], [1, undefined]);
        chmodSync(file, 0o644);
        const open = readPgpassFile({ PGPASSFILE: file });
        assert.equal(open?.entries.length, 0);
        assert.match(open?.warning ?? '', /has group or world access; permissions should be u=rw \(0600\) or less/);
        assert.equal(readPgpassFile({ PGPASSFILE: join(dir, 'none') }), undefined);
        writeFileSync(join(dir, '.pgpass'), 'x');
        chmodSync(join(dir, '.pgpass'), 0o600);
        assert.equal(readPgpassFile({ HOME: dir })?.path, join(dir, '.pgpass'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('settings.json', () => {
    it('reads JSONC: comments and trailing commas, strings left alone', () => {
      const value = parseJsonc('\uFEFF{\n // a comment\n "a": "http://x/* not a comment */", /* block\n */ "b": [1, 2,],\n}');
      assert.deepEqual(value, { a: 'http://x/* not a comment */', b: [1, 2] });
    });

    it('reads pgdrift.profiles and checks every profile', () => {
      const settings = `{
        "editor.tabSize": 2, // other settings are ignored
        "pgdrift.profiles": [
          { "name": "dev", "host": "localhost", "database": "erp", "user": "me", },
          { "name": "prod", "host": "\${env:PGHOST_PROD}", "database": "erp", "user": "app", "environment": "production" },
        ],
      }`;
      assert.deepEqual(profilesFromSettings(settings, 'settings.json').map((p) => p.name), ['dev', 'prod']);
      assert.deepEqual(profilesFromSettings('{}', 's'), []);
      assert.throws(() => profilesFromSettings('{"pgdrift.profiles": [{"name": "a", "host": "h", "database": "d", "user": "u"}, {"name": "a", "host": "h", "database": "d", "user": "u"}]}', 'settings.json'),
        /settings.json: "pgdrift.profiles"\[1\]: profile "a": a profile named "a" exists already/);
      assert.throws(() => profilesFromSettings('{ "pgdrift.profiles": ', 'settings.json'), /settings.json is not valid JSON/);
    });
  });
});
