/**
 * The hazard probes on an embedded source (SQL files holding rows, like the ERP from.sql). The
 * probe harness (src/core/hazards/probe.ts) runs unchanged on PGlite: READ ONLY transactions refuse
 * writes, pg_temp functions work and go with the ROLLBACK, and SET LOCAL statement_timeout and
 * lock_timeout are accepted but never fire (no timer signal in WebAssembly, no other session to
 * hold a lock): a probe on an embedded source runs to its end. Then the whole ERP comparison: the
 * two fixture files diffed as SQL files print the same tree, measured hazards included, as the
 * same files loaded on a real server.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PROBE_LIMITS, probe, probeWritable } from '../../../src/core/hazards/probe';
import { openSource, type Source } from '../../../src/core/sources';
import { cli } from '../../support/cli';
import { FIXTURES, fixtureSql } from '../../support/fixtures';
import { databaseOn, describeEachServer } from '../../support/servers';

const ERP = join(FIXTURES, 'erp');

describe('sources: the probe harness on the embedded database', () => {
  let dir: string;
  let source: Source;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgdrift-probes-'));
    const file = join(dir, 'data.sql');
    writeFileSync(file, "CREATE TABLE t (v text);\nINSERT INTO t VALUES ('1'), ('x'), (NULL);\n");
    source = await openSource(file, { env: {} });
  });
  after(async () => {
    await source.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a READ ONLY probe reads, and a write inside one is refused', async () => {
    assert.deepEqual(await probe(source.db, 'rows', 'SELECT count(*) AS n FROM public.t', DEFAULT_PROBE_LIMITS), { rows: [{ n: '3' }] });
    await assert.rejects(probe(source.db, 'a write', 'INSERT INTO public.t VALUES (\'y\') RETURNING v', DEFAULT_PROBE_LIMITS), /cannot execute INSERT in a read-only transaction/);
    assert.deepEqual((await source.db.query('SELECT count(*) AS n FROM public.t')).rows, [{ n: '3' }]);
  });

  it('a probe with a pg_temp function (the try-cast of 13-15) measures, and the function is rolled back', async () => {
    const tryInt = 'CREATE FUNCTION pg_temp.try_int(text) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN PERFORM $1::int; RETURN true; EXCEPTION WHEN others THEN RETURN false; END $$';
    const result = await probeWritable(source.db, 'casts', [tryInt], 'SELECT count(*) FILTER (WHERE v IS NOT NULL AND NOT pg_temp.try_int(v)) AS failing FROM public.t', DEFAULT_PROBE_LIMITS);
    assert.deepEqual(result, { rows: [{ failing: '1' }] });
    assert.deepEqual((await source.db.query("SELECT count(*) AS n FROM pg_catalog.pg_proc WHERE proname = 'try_int'")).rows, [{ n: '0' }]);
  });

  it('statement_timeout is accepted but never fires: a probe runs to its end', async () => {
    const result = await probe(source.db, 'sleep', 'SELECT pg_catalog.pg_sleep(0.3)::text AS slept', { ...DEFAULT_PROBE_LIMITS, statementMs: 50 });
    assert.deepEqual(result, { rows: [{ slept: '' }] });
  });
});

describeEachServer('sources: the ERP fixtures diffed as SQL files', ({ server, db }) => {
  it('print the same tree, with the same measured hazards, as the same files loaded on the server', async () => {
    await db().exec(fixtureSql('erp/from.sql'));
    const to = await databaseOn(server);
    try {
      await to.exec(fixtureSql('erp/to.sql'));
      const live = await cli(['diff', '--from', db().url, '--to', to.url]);
      const files = await cli(['diff', '--from', join(ERP, 'from.sql'), '--to', join(ERP, 'to.sql')]);
      assert.equal(files.code, 2, files.stderr);
      assert.equal(live.code, 2, live.stderr);
      // Backup tables are named after the from-schema's fingerprint, which differs with the server
      // version (views of 13-15 are printed with qualified columns).
      const unfingerprinted = (text: string) => text.replace(/@[0-9a-f]{8}"/g, '@…"').split('\n');
      const [filesHead, ...filesBody] = unfingerprinted(files.stdout);
      const [liveHead, ...liveBody] = unfingerprinted(live.stdout);
      assert.equal(filesHead?.replace(/^from\.sql ← to\.sql: /, ''), liveHead?.replace(/^\S+ ← \S+: /, ''));
      assert.equal(filesBody.join('\n'), liveBody.join('\n'));
      assert.match(files.stdout, /! FL-03 failure: "public"\."OvertimeSettings"\."id": 1 value cannot be cast to uuid \(e\.g\. 'default'\)/);
    } finally {
      await to.drop();
    }
  });
});
