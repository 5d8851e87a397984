import assert from 'node:assert/strict';
import { typeChangeRewrites } from '../../../src/core/hazards/rewrites';
import { planMigration } from '../../../src/core/plan';
import { inspectDatabase } from '../../support/fixtures';
import { databaseOn, describeEachServer } from '../../support/servers';

interface StaticCase {
  name: string;
  from: string;
  to: string;
  /** "CODE object" for every hazard of the plan, in plan order. */
  expected: string[];
}

const T = 'table:"public"."t"';
const CASES: StaticCase[] = [
  { name: 'dropping a table', from: 'CREATE TABLE t (id int)', to: '', expected: [`DL-01 ${T}`] },
  { name: 'dropping a column', from: 'CREATE TABLE t (id int, x text)', to: 'CREATE TABLE t (id int)', expected: ['DL-02 column:"public"."t"."x"'] },
  { name: 'a type change that rewrites', from: 'CREATE TABLE t (n int)', to: 'CREATE TABLE t (n bigint)', expected: [`LK-03 ${T}`] },
  { name: 'a type change that only changes metadata', from: 'CREATE TABLE t (s varchar(10))', to: 'CREATE TABLE t (s varchar(20))', expected: [] },
  { name: 'SET NOT NULL', from: 'CREATE TABLE t (n int)', to: 'CREATE TABLE t (n int NOT NULL)', expected: ['FL-02 column:"public"."t"."n"', `LK-04 ${T}`] },
  { name: 'a NOT NULL column without a default', from: 'CREATE TABLE t (n int)', to: 'CREATE TABLE t (n int, m int NOT NULL)', expected: [`FL-01 ${T}`] },
  { name: 'a NOT NULL column with a default', from: 'CREATE TABLE t (n int)', to: 'CREATE TABLE t (n int, m int NOT NULL DEFAULT 0)', expected: [] },
  { name: 'DROP NOT NULL', from: 'CREATE TABLE t (n int NOT NULL)', to: 'CREATE TABLE t (n int)', expected: ['CP-03 column:"public"."t"."n"'] },
  { name: 'a CHECK on an existing table', from: 'CREATE TABLE t (n int)', to: 'CREATE TABLE t (n int CONSTRAINT pos CHECK (n > 0))', expected: ['FL-07 constraint:"public"."t"."pos"', `LK-05 ${T}`] },
  { name: 'a CHECK added NOT VALID', from: 'CREATE TABLE t (n int)', to: 'CREATE TABLE t (n int); ALTER TABLE t ADD CONSTRAINT pos CHECK (n > 0) NOT VALID', expected: [] },
  { name: 'a CHECK on a new table', from: '', to: 'CREATE TABLE t (n int CONSTRAINT pos CHECK (n > 0))', expected: [] },
  {
    name: 'a foreign key added, and one dropped',
    from: 'CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (id int, p int, q int CONSTRAINT t_q_fkey REFERENCES p)',
    to: 'CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (id int, p int CONSTRAINT t_p_fkey REFERENCES p, q int)',
    expected: ['FL-06 constraint:"public"."t"."t_p_fkey"', `LK-06 ${T}`, 'LK-10 table:"public"."p"'],
  },
  { name: 'a unique key', from: 'CREATE TABLE t (n int)', to: 'CREATE TABLE t (n int UNIQUE)', expected: ['FL-05 constraint:"public"."t"."t_n_key"', `LK-07 ${T}`] },
  { name: 'an index on an existing table', from: 'CREATE TABLE t (n int)', to: 'CREATE TABLE t (n int); CREATE INDEX t_n ON t (n)', expected: [`LK-08 ${T}`] },
  { name: 'an index on a new table', from: '', to: 'CREATE TABLE t (n int); CREATE INDEX t_n ON t (n)', expected: [] },
  { name: 'dropping an index', from: 'CREATE TABLE t (n int); CREATE INDEX t_n ON t (n)', to: 'CREATE TABLE t (n int)', expected: [`LK-09 ${T}`] },
  { name: 'an identity column added', from: 'CREATE TABLE t (n int)', to: 'CREATE TABLE t (n int, id int GENERATED ALWAYS AS IDENTITY)', expected: [`LK-02 ${T}`] },
  {
    name: 'an exclusion constraint',
    from: 'CREATE TABLE t (r int4range)',
    to: 'CREATE TABLE t (r int4range, CONSTRAINT no_overlap EXCLUDE USING gist (r WITH &&))',
    expected: [`LK-13 ${T}`],
  },
  { name: 'an enum value added', from: "CREATE TYPE e AS ENUM ('a')", to: "CREATE TYPE e AS ENUM ('a', 'b')", expected: ['TX-01 enum:"public"."e"'] },
  { name: 'a sequence dropped', from: 'CREATE SEQUENCE s', to: '', expected: ['DL-10 sequence:"public"."s"'] },
  {
    name: 'a table attached as a partition',
    from: 'CREATE TABLE p (n int) PARTITION BY RANGE (n); CREATE TABLE t (n int)',
    to: 'CREATE TABLE p (n int) PARTITION BY RANGE (n); CREATE TABLE t PARTITION OF p FOR VALUES FROM (0) TO (10)',
    expected: [`LK-11 ${T}`],
  },
  {
    name: 'a check added to a domain in use',
    from: 'CREATE DOMAIN d AS int; CREATE TABLE t (n d)',
    to: 'CREATE DOMAIN d AS int CONSTRAINT pos CHECK (VALUE > 0); CREATE TABLE t (n d)',
    expected: ['FL-07 constraint:"public"."d"."pos"', 'LK-14 domain:"public"."d"'],
  },
  { name: 'a check added to a domain nothing uses', from: 'CREATE DOMAIN d AS int', to: 'CREATE DOMAIN d AS int CONSTRAINT pos CHECK (VALUE > 0)', expected: [] },
  { name: 'SET UNLOGGED', from: 'CREATE TABLE t (n int)', to: 'CREATE UNLOGGED TABLE t (n int)', expected: [`LK-15 ${T}`] },
  { name: 'row security enabled with no policy', from: 'CREATE TABLE t (n int)', to: 'CREATE TABLE t (n int); ALTER TABLE t ENABLE ROW LEVEL SECURITY', expected: [`LK-15 ${T}`, `CP-05 ${T}`] },
  { name: 'row security on a new table', from: '', to: 'CREATE TABLE t (n int); ALTER TABLE t ENABLE ROW LEVEL SECURITY', expected: [] },
  { name: 'an extension dropped', from: 'CREATE EXTENSION isn', to: '', expected: ['CP-07 extension:"isn"'] },
  { name: 'a json column added', from: 'CREATE TABLE t (n int)', to: 'CREATE TABLE t (n int, j json, k jsonb)', expected: ['CP-08 column:"public"."t"."j"'] },
  { name: 'a json column on a new table', from: '', to: 'CREATE TABLE t (n int, j json)', expected: [] },
];

describeEachServer('static hazards on plan statements', ({ server, db }) => {
  for (const c of CASES) {
    it(c.name, async () => {
      const to = await databaseOn(server);
      try {
        if (c.from) await db().exec(c.from);
        if (c.to) await to.exec(c.to);
        const plan = planMigration((await inspectDatabase(db())).model, (await inspectDatabase(to)).model);
        const found = plan.statements.flatMap((s) => (s.hazards ?? []).map((h) => `${h.code} ${h.object}`));
        assert.deepEqual(found, c.expected, plan.statements.map((s) => s.sql).join('\n'));
        for (const h of plan.statements.flatMap((s) => s.hazards ?? [])) assert.ok(h.message.length > 10, h.message);
      } finally {
        await to.drop();
      }
    });
  }
});

// Which type changes rewrite the table is checked against the server itself: a rewrite gives the
// table a new relfilenode.
const TYPE_CHANGES: [string, string][] = [
  ['varchar(10)', 'varchar(20)'], ['varchar(10)', 'text'], ['text', 'varchar'], ['varchar(20)', 'varchar(10)'],
  ['text', 'varchar(50)'], ['numeric(10,2)', 'numeric(12,2)'], ['numeric(10,2)', 'numeric'], ['numeric(10,2)', 'numeric(10,3)'],
  ['numeric', 'numeric(10,2)'], ['int', 'bigint'], ['bigint', 'int'], ['timestamp(3)', 'timestamp(6)'], ['timestamp(6)', 'timestamp(3)'],
  ['cidr', 'inet'], ['inet', 'cidr'], ['int', 'text'], ['json', 'jsonb'], ['varbit(5)', 'varbit(10)'],
];

describeEachServer('which type changes rewrite the table', ({ db }) => {
  it('matches what PostgreSQL does for each listed change', async () => {
    const wrong: string[] = [];
    const typeOf = async () => (await db().query<{ a: string }>(
      `SELECT format_type(atttypid, atttypmod) AS a FROM pg_attribute WHERE attrelid = 'r'::regclass AND attname = 'c'`,
    ))[0]?.a ?? '?';
    const fileOf = async () => (await db().query<{ f: string }>(`SELECT pg_relation_filenode('r')::text AS f`))[0]?.f;
    for (const [from, to] of TYPE_CHANGES) {
      await db().exec(`DROP TABLE IF EXISTS r; CREATE TABLE r (c ${from}); INSERT INTO r VALUES (NULL)`);
      const [before, fromText] = [await fileOf(), await typeOf()];
      await db().exec(`ALTER TABLE r ALTER COLUMN c TYPE ${to} USING c::${to}`);
      const [after, toText] = [await fileOf(), await typeOf()];
      const rewrote = before !== after;
      if (typeChangeRewrites(fromText, toText) !== rewrote) wrong.push(`${fromText} → ${toText}: the server ${rewrote ? 'rewrote' : 'did not rewrite'}`);
    }
    assert.deepEqual(wrong, []);
  });
});
