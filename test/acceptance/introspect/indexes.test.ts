import { strict as assert } from 'node:assert';
import type { Index } from '../../../src/core/model/types';
import { describeEachServer } from '../../support/servers';
import { ABSENT, byId, declareCases, modelAfter, type Case } from './support';

const T = 'CREATE TABLE t (id int, email text, tags text[], pt point, h text, ts timestamptz, active boolean, body jsonb, during int4range);';

describeEachServer('introspect: indexes', ({ server, db }) => {
  it('reads a plain index completely', async () => {
    const model = await modelAfter(db(), `${T} CREATE INDEX t_email ON t (email)`);
    assert.deepEqual(model.indexes, [{
      id: 'index:"public"."t_email"',
      table: 'table:"public"."t"',
      schema: 'public',
      name: 't_email',
      definition: 'CREATE INDEX t_email ON public.t USING btree (email)',
      method: 'btree',
      unique: false,
      keys: ['email'],
      valid: true,
    }]);
  });

  const cases: Case<Index>[] = [
    {
      title: 'a unique partial index on an expression',
      sql: `${T} CREATE UNIQUE INDEX t_email_lower ON t (lower(email)) WHERE active AND id > 0`,
      id: 'index:"public"."t_email_lower"',
      expected: {
        definition: 'CREATE UNIQUE INDEX t_email_lower ON public.t USING btree (lower(email)) WHERE (active AND (id > 0))',
        unique: true, keys: ['lower(email)'], predicate: 'active AND id > 0', constraint: ABSENT, include: ABSENT,
      },
    },
    {
      title: 'a gin index with an operator class',
      sql: `${T} CREATE INDEX t_body ON t USING gin (body jsonb_path_ops)`,
      id: 'index:"public"."t_body"',
      expected: { method: 'gin', keys: ['body'], definition: 'CREATE INDEX t_body ON public.t USING gin (body jsonb_path_ops)' },
    },
    {
      title: 'a gin index on an array',
      sql: `${T} CREATE INDEX t_tags ON t USING gin (tags)`,
      id: 'index:"public"."t_tags"',
      expected: { method: 'gin', keys: ['tags'] },
    },
    {
      title: 'a gist index on a range',
      sql: `${T} CREATE INDEX t_during ON t USING gist (during)`,
      id: 'index:"public"."t_during"',
      expected: { method: 'gist', keys: ['during'], unique: false },
    },
    {
      title: 'a hash index',
      sql: `${T} CREATE INDEX t_h ON t USING hash (h)`,
      id: 'index:"public"."t_h"',
      expected: { method: 'hash', definition: 'CREATE INDEX t_h ON public.t USING hash (h)' },
    },
    {
      title: 'a brin index with a storage parameter',
      sql: `${T} CREATE INDEX t_ts ON t USING brin (ts) WITH (pages_per_range = 32)`,
      id: 'index:"public"."t_ts"',
      expected: { method: 'brin', definition: "CREATE INDEX t_ts ON public.t USING brin (ts) WITH (pages_per_range='32')", options: ['pages_per_range=32'] },
    },
    {
      title: 'INCLUDE columns, sort order, collation and opclass',
      sql: `${T} CREATE INDEX t_cover ON t (id DESC NULLS LAST, email COLLATE "C" text_pattern_ops) INCLUDE (h, ts)`,
      id: 'index:"public"."t_cover"',
      expected: {
        definition: 'CREATE INDEX t_cover ON public.t USING btree (id DESC NULLS LAST, email COLLATE "C" text_pattern_ops) INCLUDE (h, ts)',
        keys: ['id', 'email'], include: ['h', 'ts'],
      },
    },
    {
      title: 'an index with a comment, in another schema',
      sql: `CREATE SCHEMA app; CREATE TABLE app."Job" (id int); CREATE INDEX "Job_id" ON app."Job" (id); COMMENT ON INDEX app."Job_id" IS 'by id'`,
      id: 'index:"app"."Job_id"',
      expected: { schema: 'app', table: 'table:"app"."Job"', comment: 'by id', definition: 'CREATE INDEX "Job_id" ON app."Job" USING btree (id)' },
    },
    {
      title: 'the index of a primary key names its constraint',
      sql: 'CREATE TABLE t (id int CONSTRAINT t_pk PRIMARY KEY)',
      id: 'index:"public"."t_pk"',
      expected: { unique: true, constraint: 't_pk', keys: ['id'], definition: ABSENT, options: ABSENT },
    },
    {
      title: "a primary key's index keeps its storage parameters as options",
      sql: 'CREATE TABLE t (id int CONSTRAINT t_pk PRIMARY KEY WITH (fillfactor = 70))',
      id: 'index:"public"."t_pk"',
      expected: { constraint: 't_pk', definition: ABSENT, options: ['fillfactor=70'] },
    },
    {
      title: 'the index of a unique constraint names its constraint',
      sql: 'CREATE TABLE t (a int, b int, CONSTRAINT t_ab UNIQUE (a, b))',
      id: 'index:"public"."t_ab"',
      expected: { unique: true, constraint: 't_ab', keys: ['a', 'b'] },
    },
    {
      title: 'the index of an exclusion constraint names its constraint',
      sql: 'CREATE TABLE t (during int4range, CONSTRAINT t_excl EXCLUDE USING gist (during WITH &&))',
      id: 'index:"public"."t_excl"',
      expected: { method: 'gist', unique: false, constraint: 't_excl', definition: ABSENT },
    },
    {
      title: 'a unique index without a constraint names none',
      sql: 'CREATE TABLE t (a int); CREATE UNIQUE INDEX t_a ON t (a)',
      id: 'index:"public"."t_a"',
      expected: { unique: true, constraint: ABSENT },
    },
    {
      title: 'the index on a partitioned table',
      sql: `CREATE TABLE p (id int, k int) PARTITION BY RANGE (k);
            CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
            CREATE INDEX p_id ON p (id);`,
      id: 'index:"public"."p_id"',
      expected: { table: 'table:"public"."p"', definition: 'CREATE INDEX p_id ON ONLY public.p USING btree (id)', parentIndex: ABSENT, valid: true },
    },
    {
      title: 'the index created on a partition points to its parent index',
      sql: `CREATE TABLE p (id int, k int) PARTITION BY RANGE (k);
            CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
            CREATE INDEX p_id ON p (id);`,
      id: 'index:"public"."p1_id_idx"',
      expected: { table: 'table:"public"."p1"', parentIndex: 'index:"public"."p_id"' },
    },
    {
      title: 'an index attached to a partitioned index points to it',
      sql: `CREATE TABLE p (id int, k int) PARTITION BY RANGE (k);
            CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
            CREATE INDEX p_id ON ONLY p (id);
            CREATE INDEX p1_own ON p1 (id);
            ALTER INDEX p_id ATTACH PARTITION p1_own;`,
      id: 'index:"public"."p1_own"',
      expected: { parentIndex: 'index:"public"."p_id"' },
    },
    {
      title: 'an index ON ONLY a partitioned table, not yet attached everywhere, is not valid',
      sql: `CREATE TABLE p (id int, k int) PARTITION BY RANGE (k);
            CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
            CREATE INDEX p_id ON ONLY p (id);`,
      id: 'index:"public"."p_id"',
      expected: { valid: false },
    },
    {
      title: 'the primary key index of a partition points to the parent\'s',
      sql: `CREATE TABLE p (id int, k int, PRIMARY KEY (id, k)) PARTITION BY RANGE (k);
            CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);`,
      id: 'index:"public"."p1_pkey"',
      expected: { constraint: 'p1_pkey', parentIndex: 'index:"public"."p_pkey"' },
    },
    {
      title: 'an index on a materialized view',
      sql: 'CREATE TABLE t (id int); CREATE MATERIALIZED VIEW mv AS SELECT id FROM t; CREATE UNIQUE INDEX mv_id ON mv (id)',
      id: 'index:"public"."mv_id"',
      expected: { table: 'materialized view:"public"."mv"', unique: true },
    },
  ];
  declareCases(db, (m) => m.indexes, cases);

  if (server.major >= 15) {
    declareCases<Index>(db, (m) => m.indexes, [
      {
        title: 'a unique index NULLS NOT DISTINCT (PostgreSQL 15+)',
        sql: 'CREATE TABLE t (a int); CREATE UNIQUE INDEX t_a ON t (a) NULLS NOT DISTINCT',
        id: 'index:"public"."t_a"',
        expected: { nullsNotDistinct: true, definition: 'CREATE UNIQUE INDEX t_a ON public.t USING btree (a) NULLS NOT DISTINCT' },
      },
      {
        title: 'the index of a unique constraint NULLS NOT DISTINCT (PostgreSQL 15+)',
        sql: 'CREATE TABLE t (a int, CONSTRAINT t_a UNIQUE NULLS NOT DISTINCT (a))',
        id: 'index:"public"."t_a"',
        expected: { nullsNotDistinct: true, constraint: 't_a' },
      },
    ]);
  }

  it('an index left invalid by a failed CREATE INDEX CONCURRENTLY', async () => {
    await db().exec('CREATE TABLE t (a int); INSERT INTO t VALUES (1), (1)');
    // CONCURRENTLY must run alone, outside a transaction block.
    await assert.rejects(db().exec('CREATE UNIQUE INDEX CONCURRENTLY t_a ON t (a)'), /could not create unique index/);
    const model = await modelAfter(db(), '');
    assert.equal(byId(model.indexes, 'index:"public"."t_a"').valid, false);
  });

  it('every index of a table, its constraints and its partitions, nothing else', async () => {
    const model = await modelAfter(db(), `
      CREATE TABLE p (id int PRIMARY KEY, k int, UNIQUE (k, id)) PARTITION BY LIST (id);
      CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);
      CREATE INDEX ON p (k);`);
    assert.deepEqual(model.indexes.map((i) => [i.name, i.parentIndex ?? null]), [
      ['p1_k_id_key', 'index:"public"."p_k_id_key"'],
      ['p1_k_idx', 'index:"public"."p_k_idx"'],
      ['p1_pkey', 'index:"public"."p_pkey"'],
      ['p_k_id_key', null],
      ['p_k_idx', null],
      ['p_pkey', null],
    ]);
  });
});
