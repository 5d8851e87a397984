// The CLI with connection profiles: profile:NAME and --profile NAME read .vscode/settings.json of
// the current directory (JSONC), the password from PGPASSWORD or the password file; an unknown
// profile is a usage error listing the known ones. No pgdrift session stays open afterwards.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_EXIT_CODES } from '../../src/cli/exitCodes';
import { withClient } from '../../tools/cluster';
import { cli } from '../support/cli';
import { describeEachServer } from '../support/servers';
import { openPgdriftSessions } from '../support/sessions';

const PASSWORD = 'cli-Pw-9never';
let counter = 0;

describeEachServer('pgdrift CLI with --profile', ({ server, db }) => {
  describe('profiles from .vscode/settings.json', () => {
    let dir: string;
    let role: string;

    beforeEach(async () => {
      role = `pgdrift_cli_${process.pid}_${++counter}`;
      await withClient(server.adminUrl(), (c) => c.query(`CREATE ROLE ${role} LOGIN PASSWORD '${PASSWORD}'`));
      await db().exec('CREATE TABLE public.items (id int PRIMARY KEY, name text)');
      dir = mkdtempSync(join(tmpdir(), 'pgdrift-cli-profile-'));
      mkdirSync(join(dir, '.vscode'));
      writeFileSync(join(dir, '.vscode', 'settings.json'), `{
        // team profiles, shared in the repository
        "pgdrift.profiles": [
          { "name": "dev", "host": "${db().target.host}", "port": ${db().target.port}, "database": "\${env:APP_DB}", "user": "${role}", "tls": { "mode": "disable" }, },
          { "name": "admin", "host": "${db().target.host}", "port": ${db().target.port}, "database": "${db().name}", "user": "postgres" },
        ],
      }`);
    });
    afterEach(async () => {
      rmSync(dir, { recursive: true, force: true });
      assert.equal(await openPgdriftSessions(server.adminUrl()), 0, 'no pgdrift session stays open');
      await withClient(server.adminUrl(), (c) => c.query(`DROP ROLE ${role}`));
    });

    const env = (extra: NodeJS.ProcessEnv = {}) => ({ APP_DB: db().name, PGPASSFILE: join(dir, 'none'), ...extra });

    it('inspect --profile with PGPASSWORD', async () => {
      const out = await cli(['inspect', '--profile', 'dev'], env({ PGPASSWORD: PASSWORD }), { cwd: dir });
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, /1 table/);
    });

    it('inspect --url profile:NAME with the password from the password file', async () => {
      const pgpass = join(dir, 'pgpass');
      writeFileSync(pgpass, `# host:port:database:user:password\n${db().target.host}:*:${db().name}:${role}:${PASSWORD}\n`);
      chmodSync(pgpass, 0o600);
      const out = await cli(['inspect', '--url', 'profile:dev'], env({ PGPASSFILE: pgpass }), { cwd: dir });
      assert.equal(out.code, 0, out.stderr);
      assert.equal(out.stderr, '');
    });

    it('a password file others can read is ignored with a warning, as libpq does', async () => {
      const pgpass = join(dir, 'pgpass');
      writeFileSync(pgpass, `*:*:*:*:${PASSWORD}\n`);
      chmodSync(pgpass, 0o644);
      const out = await cli(['inspect', '--profile', 'dev'], env({ PGPASSFILE: pgpass }), { cwd: dir });
      assert.equal(out.code, ERROR_EXIT_CODES['authentication-failed'], out.stderr);
      assert.match(out.stderr, /warning: password file ".*pgpass" has group or world access/);
      assert.match(out.stderr, /no password stored for profile "dev"/);
      assert.ok(!out.stderr.includes(PASSWORD));
    });

    it('diff --from profile:NAME --to profile:NAME', async () => {
      const out = await cli(['diff', '--from', 'profile:dev', '--to', 'profile:admin'], env({ PGPASSWORD: PASSWORD }), { cwd: dir });
      assert.equal(out.code, 0, out.stderr);
    });

    it('plan --from profile:NAME writes the target profile as a directive; a URL --from writes none', async () => {
      const out = await cli(['plan', '--from', 'profile:dev', '--to', 'profile:admin'], env({ PGPASSWORD: PASSWORD }), { cwd: dir });
      assert.equal(out.code, 0, out.stderr);
      assert.deepEqual(out.stdout.split('\n').slice(2, 4).map((l) => l.replace(/sha256:\w+/, 'sha256:…')), ['-- pgdrift:fingerprint sha256:…', '-- pgdrift:target dev']);
      const sql = await cli(['diff', '--format', 'sql', '--from', 'profile:dev', '--to', 'profile:admin'], env({ PGPASSWORD: PASSWORD }), { cwd: dir });
      assert.equal(sql.stdout, out.stdout, 'diff --format sql prints what plan prints');
      const byUrl = await cli(['plan', '--from', db().url, '--to', 'profile:admin'], env({ PGPASSWORD: PASSWORD }), { cwd: dir });
      assert.doesNotMatch(byUrl.stdout, /pgdrift:target/);
    });

    it('a wrong password is an authentication error naming host and database', async () => {
      const out = await cli(['diff', '--from', 'profile:dev', '--to', 'profile:admin'], env({ PGPASSWORD: 'wrong' }), { cwd: dir });
      assert.equal(out.code, ERROR_EXIT_CODES['authentication-failed'], out.stderr);
      assert.match(out.stderr, new RegExp(`--from: cannot connect to ${db().target.host}:${db().target.port}/${db().name}: password authentication failed`));
    });

    it('an unset variable in the profile names it', async () => {
      const out = await cli(['inspect', '--profile', 'dev'], { PGPASSWORD: PASSWORD }, { cwd: dir });
      assert.equal(out.code, ERROR_EXIT_CODES.usage, out.stderr);
      assert.equal(out.stderr, 'pgdrift: profile "dev": database uses ${env:APP_DB}, which is not set\n');
    });

    it('an unknown profile is a usage error listing the known ones', async () => {
      const out = await cli(['plan', '--from', 'profile:prod', '--to', 'profile:dev'], env(), { cwd: dir });
      assert.equal(out.code, ERROR_EXIT_CODES.usage);
      assert.equal(out.stderr, 'pgdrift: --from: no profile named "prod" (known profiles: dev, admin)\n');
    });

    it('no settings file: the profile is unknown', async () => {
      const out = await cli(['inspect', '--profile', 'dev'], env(), { cwd: tmpdir() });
      assert.equal(out.code, ERROR_EXIT_CODES.usage);
      assert.match(out.stderr, /no profile named "dev" \(\.vscode\/settings\.json defines none under "pgdrift\.profiles"\)/);
    });

    it('check --target profile:NAME', async () => {
      const file = join(dir, 'm.sql');
      writeFileSync(file, 'ALTER TABLE public.items ADD COLUMN note text;\n');
      const out = await cli(['check', file, '--target', 'profile:dev'], env({ PGPASSWORD: PASSWORD }), { cwd: dir });
      assert.equal(out.code, 0, out.stderr);
    });
  });
});
