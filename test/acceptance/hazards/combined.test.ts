import assert from 'node:assert/strict';
import { connectPg } from '../../../src/core/db/pgConnection';
import type { QueryResult, Queryable } from '../../../src/core/db/queryable';
import { isBlocking } from '../../../src/core/hazards/accept';
import { measureHazards } from '../../../src/core/hazards/measure';
import { uuidRejectedSql } from '../../../src/core/hazards/measure/castTests';
import { DEFAULT_PROBE_LIMITS, type ProbeLimits } from '../../../src/core/hazards/probe';
import { hazard, type Evidence, type Hazard, type HazardCode } from '../../../src/core/hazards/types';
import { planMigration } from '../../../src/core/plan';
import { renderPlanSql } from '../../../src/core/plan/render';
import type { Plan } from '../../../src/core/plan/types';
import { inspectDatabase } from '../../support/fixtures';
import { databaseOn, describeEachServer, type TestDatabase } from '../../support/servers';

const n = (value: number) => ({ value, capped: false });
const atLeast = (value: number) => ({ value, capped: true });

/** A plan of one statement per hazard (the probes only read the targets). */
function planOf(hazards: Hazard[]): Plan {
  return { changes: [], statements: hazards.map((h) => ({ sql: '', object: h.object, action: 'alter' as const, phase: 'expand' as const, change: h.object, hazards: [h] })) };
}

const probed = (plan: Plan) => plan.statements.flatMap((s) => s.hazards ?? []).filter((h) => h.target);

async function measure(db: TestDatabase, plan: Plan, limits: ProbeLimits = DEFAULT_PROBE_LIMITS, connection?: Queryable, now?: () => number): Promise<Hazard[]> {
  const own = await connectPg(db.target);
  try {
    return probed(await measureHazards(plan, connection ?? own, limits, now));
  } finally {
    await own.close();
  }
}

/** Each hazard measured alone, over a plan holding only it: what a probe of its own answers. */
async function measureEachAlone(db: TestDatabase, plan: Plan, limits: ProbeLimits): Promise<Hazard[]> {
  const out: Hazard[] = [];
  for (const h of probed(plan)) out.push(...await measure(db, planOf([h]), limits));
  return out;
}

/** Sends every statement on, and tells `onQuery` first (the budget tests move a fake clock there). */
class Watching implements Queryable {
  constructor(private readonly inner: Queryable, private readonly onQuery: (sql: string) => void) {}
  query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    this.onQuery(sql);
    return this.inner.query<R>(sql, params);
  }
}

/**
 * One table carrying a hazard of every predicate kind, with the rare rows spread over it and the
 * last ones near its end, so each count needs the whole table; `email` repeats once (FL-05).
 */
const FROM = `
  CREATE TABLE parent (id int PRIMARY KEY);
  INSERT INTO parent SELECT generate_series(1, 10);
  CREATE TABLE r (id int PRIMARY KEY, note text, status text, ref text, code varchar(20), amount int, p_id int, email text);
  INSERT INTO r SELECT i,
    CASE WHEN i IN (5, 1500, 2999) THEN 'note ' || i END,
    CASE WHEN i IN (7, 2998) THEN NULL ELSE 'active' END,
    CASE i WHEN 11 THEN 'default' WHEN 2997 THEN 'x' ELSE md5(i::text)::uuid::text END,
    CASE WHEN i % 10 = 0 THEN 'LONG-' || i ELSE 'c' END,
    CASE WHEN i IN (13, 2996) THEN -1 ELSE i END,
    CASE WHEN i IN (17, 2995) THEN 100 + i ELSE 1 + i % 10 END,
    'u' || CASE WHEN i = 19 THEN 18 ELSE i END || '@x.com'
  FROM generate_series(1, 3000) i;
  CREATE TABLE gone (id int); INSERT INTO gone SELECT generate_series(1, 4);`;
const TO = `
  CREATE TABLE parent (id int PRIMARY KEY);
  CREATE TABLE r (id int PRIMARY KEY, status text NOT NULL, ref uuid, code varchar(5), amount int CONSTRAINT r_amount_check CHECK (amount >= 0),
    p_id int CONSTRAINT r_p_fkey REFERENCES parent, email text CONSTRAINT r_email_key UNIQUE);`;

/** What the data holds, per hazard: the evidence count its message states. */
const EXACT: Partial<Record<HazardCode, [keyof Evidence, number]>> = {
  'DL-01': ['rows', 4], 'DL-02': ['values', 3], 'FL-02': ['nulls', 2], 'FL-03': ['failing', 2],
  'FL-04': ['failing', 300], 'FL-05': ['failing', 2], 'FL-06': ['failing', 2], 'FL-07': ['failing', 2],
};

describeEachServer('hazards measured together: one scan per table, one budget per plan', ({ server, db }) => {
  let to: TestDatabase;
  beforeEach(async () => {
    to = await databaseOn(server);
  });
  afterEach(async () => {
    await to.drop();
  });

  async function plan(): Promise<Plan> {
    await db().exec(FROM);
    await to.exec(TO);
    return planMigration((await inspectDatabase(db())).model, (await inspectDatabase(to)).model);
  }

  for (const cap of [10000, 100]) {
    it(`gives every hazard the evidence its own probe gives, exact below the cap (cap ${cap})`, async () => {
      const p = await plan();
      const limits = { ...DEFAULT_PROBE_LIMITS, countCap: cap };
      const together = await measure(db(), p, limits);
      assert.deepEqual(together.map((h) => h.code).sort(), ['DL-01', 'DL-02', 'FL-02', 'FL-03', 'FL-04', 'FL-05', 'FL-06', 'FL-07']);
      for (const h of together) {
        const [field, value] = EXACT[h.code] ?? ['rows', 0];
        assert.deepEqual(h.evidence?.[field], value > cap ? atLeast(cap) : n(value), `${h.code} ${String(field)}`);
        if (h.code !== 'DL-01') assert.deepEqual(h.evidence?.rows, 3000 > cap ? atLeast(cap) : n(3000), `${h.code} rows`);
      }
      assert.deepEqual(together, await measureEachAlone(db(), p, limits));
      const fl04 = together.find((h) => h.code === 'FL-04');
      assert.match(fl04?.message ?? '', cap === 100 ? /: 100\+ values do not fit character varying\(5\)/ : /: 300 values do not fit character varying\(5\)/);
    });
  }

  it('caps a question only when it matched more than the cap; a round that stopped early asks the others again', async () => {
    await db().exec('CREATE TABLE s (n int); INSERT INTO s SELECT generate_series(1, 1000)');
    const check = (name: string, expression: string) => hazard('FL-07', `constraint:"public"."s"."${name}"`, `Adding ${name} fails.`,
      { table: '"public"."s"', where: `NOT (${expression})`, sample: `'n=' || t.n` });
    const found = await measure(db(), planOf([
      check('everywhere', 'n <= 0'), check('last_two', 'n < 999'), check('last_three', 'n < 998'), check('nowhere', 'n < 5000'),
    ]), { ...DEFAULT_PROBE_LIMITS, countCap: 2 });
    assert.deepEqual(found.map((h) => [h.object.split('.').pop(), h.evidence?.failing, h.evidence?.rows]), [
      ['"everywhere"', atLeast(2), atLeast(2)],
      ['"last_two"', n(2), atLeast(2)],
      ['"last_three"', atLeast(2), atLeast(2)],
      ['"nowhere"', n(0), atLeast(2)],
    ]);
    assert.deepEqual(found[1]?.evidence?.samples, ['n=1000', 'n=999']);
    assert.equal(found[1]?.message, `"public"."s": 2 rows violate CHECK (n < 999) (e.g. n=1000, n=999); last_two fails.`);
    assert.equal(found[2]?.message, `"public"."s": 2+ rows violate CHECK (n < 998) (e.g. n=1000, n=998, n=999); last_three fails.`);
  });

  it('leaves the hazards the budget has no time for unmeasured and blocking', async () => {
    await db().exec(`CREATE TABLE a (id int PRIMARY KEY, x text); INSERT INTO a VALUES (1, 'kept'), (2, NULL);
      CREATE TABLE b (id int PRIMARY KEY, y text); INSERT INTO b VALUES (1, 'lost');`);
    await to.exec('CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY);');
    const p = planMigration((await inspectDatabase(db())).model, (await inspectDatabase(to)).model);
    // A fake clock: the scan of a takes a minute, so the 30 s budget is spent before b's turn.
    let clock = 0;
    const connection = await connectPg(db().target);
    try {
      const watching = new Watching(connection, (sql) => {
        if (sql.includes('FROM "public"."a"')) clock += 60_000;
      });
      const found = await measure(db(), p, DEFAULT_PROBE_LIMITS, watching, () => clock);
      assert.deepEqual(found.map((h) => [h.object, h.evidence]), [
        ['column:"public"."a"."x"', { rows: n(2), values: n(1), samples: ['kept'] }],
        ['column:"public"."b"."y"', { unknown: 'probe budget spent' }],
      ]);
      const b = found[1] as Hazard;
      assert.equal(b.message, probed(p)[1]?.message, 'the message stays as stated');
      assert.equal(isBlocking(b), true);
      const sql = renderPlanSql({ changes: [], statements: [{ sql: 'ALTER TABLE b DROP COLUMN y', object: b.object, action: 'alter', phase: 'contract', change: b.object, hazards: [b] }] });
      assert.match(sql, /-- {3}not measured: the plan's probes had spent their time budget; the hazard stands as stated/);
    } finally {
      await connection.close();
    }
    // No budget at all: nothing is probed, every measured hazard stays blocking.
    const none = await measure(db(), p, { ...DEFAULT_PROBE_LIMITS, budgetMs: 0 });
    assert.deepEqual(none.map((h) => [h.evidence, isBlocking(h)]), [[{ unknown: 'probe budget spent' }, true], [{ unknown: 'probe budget spent' }, true]]);
  });

  it('a statement timeout the budget cut short is the budget\'s; one that expired on its own falls back to the first match', async () => {
    await db().exec(`CREATE FUNCTION slow(x int) RETURNS boolean LANGUAGE sql AS 'SELECT pg_sleep(0.05) IS NOT NULL AND x >= 0';
      CREATE TABLE c (id int PRIMARY KEY, n int); INSERT INTO c VALUES (1, -1); INSERT INTO c SELECT i, i FROM generate_series(2, 40) i;`);
    const slow = hazard('FL-07', 'constraint:"public"."c"."c_slow"', 'Adding c_slow fails if rows violate CHECK (slow(n)).',
      { table: '"public"."c"', where: 'NOT (public.slow(n))', sample: `'id=' || t.id` });
    // 40 rows × 50 ms: the scan needs 2 s, the first violation is in the first row.
    const own = await measure(db(), planOf([slow]), { ...DEFAULT_PROBE_LIMITS, statementMs: 400 });
    assert.deepEqual(own[0]?.evidence, { rows: n(40), failing: atLeast(1), samples: ['id=1'] });
    assert.equal(own[0]?.message, `"public"."c": 1+ rows violate CHECK (public.slow(n)) (e.g. id=1); c_slow fails.`);
    assert.equal(isBlocking(own[0] as Hazard), true);
    // 400 ms of budget left: the same probe stops at the budget, not at its own 3 s.
    const cut = await measure(db(), planOf([slow]), { ...DEFAULT_PROBE_LIMITS, budgetMs: 400 }, undefined, () => 0);
    assert.deepEqual(cut[0]?.evidence, { unknown: 'probe budget spent' });
  });

  it('FL-05 does not start a duplicate search the planner expects to read more rows than allowed; the estimate shown never clears it', async () => {
    await db().exec(`CREATE TABLE users (id int PRIMARY KEY, email text);
      INSERT INTO users SELECT i, 'u' || i || '@x.com' FROM generate_series(1, 500) i; ANALYZE users;`);
    await to.exec('CREATE TABLE users (id int PRIMARY KEY, email text CONSTRAINT users_email_key UNIQUE)');
    const p = planMigration((await inspectDatabase(db())).model, (await inspectDatabase(to)).model);
    const [h] = (await measure(db(), p, { ...DEFAULT_PROBE_LIMITS, groupRowsMax: 100 })).filter((x) => x.code === 'FL-05');
    assert.deepEqual(h?.evidence, { unknown: 'too many rows' });
    assert.match(h?.message ?? '', /^Adding the unique constraint users_email_key fails if "public"."users" holds duplicates in \("email"\)\. Not measured: the planner expects 500 keys to compare, more than the 100 an exact duplicate search may group; the statistics of the last ANALYZE estimate 500 distinct values in 500 rows \(an estimate from a sample, not a proof either way\)\.$/);
    assert.equal(isBlocking(h as Hazard), true);
    const [exact] = (await measure(db(), p)).filter((x) => x.code === 'FL-05');
    assert.deepEqual(exact?.evidence, { rows: n(500), groups: n(0), failing: n(0), samples: [] });
  });

  it('FL-03 without a pattern casts the whole column first: when every value casts, the try-cast never runs', async () => {
    await db().exec(`CREATE TABLE n (id int PRIMARY KEY, v text); INSERT INTO n SELECT i, (i * 7)::text FROM generate_series(1, 5000) i`);
    await to.exec('CREATE TABLE n (id int PRIMARY KEY, v integer)');
    const p = planMigration((await inspectDatabase(db())).model, (await inspectDatabase(to)).model);
    const sent: string[] = [];
    const connection = await connectPg(db().target);
    try {
      const found = (await measure(db(), p, DEFAULT_PROBE_LIMITS, new Watching(connection, (sql) => sent.push(sql)))).filter((h) => h.code === 'FL-03');
      assert.deepEqual(found.map((h) => [h.evidence, h.message]), [[{ rows: n(5000), failing: n(0), samples: [] }, '"public"."n"."v": all 5,000 values cast to integer.']]);
      assert.equal(sent.some((sql) => sql.includes('pgdrift_castable')), false);
      // One value that does not cast: the try-cast counts (before 16; pg_input_is_valid from 16).
      await db().exec(`UPDATE n SET v = 'seven' WHERE id = 4000`);
      sent.length = 0;
      const [bad] = (await measure(db(), p, DEFAULT_PROBE_LIMITS, new Watching(connection, (sql) => sent.push(sql)))).filter((h) => h.code === 'FL-03');
      assert.deepEqual(bad?.evidence, { rows: n(5000), failing: n(1), samples: ['seven'] });
      assert.equal(sent.some((sql) => sql.includes('pgdrift_castable')), server.major < 16);
    } finally {
      await connection.close();
    }
  });

  it('the uuid test before PostgreSQL 16 rejects exactly what uuid_in rejects', async () => {
    const values = ['7a9d6c1e-2f3b-4a5c-9d8e-1f2a3b4c5d6e', '7A9D6C1E-2F3B-4A5C-9D8E-1F2A3B4C5D6E', '{7a9d6c1e2f3b4a5c9d8e1f2a3b4c5d6f}',
      '7a9d6c1e2f3b4a5c9d8e1f2a3b4c5d6e', '7a9d-6c1e-2f3b-4a5c-9d8e-1f2a-3b4c-5d6e',
      'ga9d6c1e-2f3b-4a5c-9d8e-1f2a3b4c5d6e', '7a9d6c1e-2f3b-4a5c-9d8e-1f2a3b4c5d6', '7a9d6c1e-2f3b-4a5c-9d8e-1f2a3b4c5d6e0',
      '7a9d6c1-e2f3b-4a5c-9d8e-1f2a3b4c5d6e', '7a9d6c1e-2f3b-4a5c-9d8e-1f2a3b4c5d-e', '7a9d6c1e-2f3b-4a5c-9d8e-1f2a3b4c5dé', '', 'default',
      ' 7a9d6c1e-2f3b-4a5c-9d8e-1f2a3b4c5d6e', '7a9d6c1e-2f3b-4a5c-9d8e-1f2a3b4c5d6e ', '{7a9d6c1e-2f3b-4a5c-9d8e-1f2a3b4c5d6e', '7a9d6c1e--2f3b-4a5c-9d8e-1f2a3b4c5d6'];
    const rejected: string[] = [];
    for (const v of values) {
      try {
        await db().query('SELECT $1::uuid', [v]);
      } catch {
        rejected.push(v);
      }
    }
    const rows = await db().query<{ v: string }>(`SELECT v FROM unnest($1::text[]) v WHERE ${uuidRejectedSql('v')}`, [values]);
    assert.deepEqual(rows.map((r) => r.v).sort(), rejected.sort());
    assert.ok(rejected.length > 10 && rejected.length < values.length - 2);
  });
});
