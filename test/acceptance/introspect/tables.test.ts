import { strict as assert } from 'node:assert';
import type { Table } from '../../../src/core/model/types';
import { describeEachServer } from '../../support/servers';
import { ABSENT, byId, declareCases, modelAfter, useRoles, type Case } from './support';

describeEachServer('introspect: tables', ({ server, db }) => {
  const role = useRoles(server);

  it('reads a plain table with every optional field absent', async () => {
    const model = await modelAfter(db(), 'CREATE TABLE t (a int)');
    assert.deepEqual(model.tables, [{
      id: 'table:"public"."t"', schema: 'public', name: 't', kind: 'table',
      columns: [{ name: 'a', type: 'integer', notNull: false }],
      rowSecurity: false, forceRowSecurity: false, owner: 'postgres',
    }]);
  });

  const cases: Case<Table>[] = [
    {
      title: 'unlogged, with storage parameters sorted',
      sql: 'CREATE UNLOGGED TABLE u (a int) WITH (fillfactor = 70, autovacuum_enabled = false)',
      id: 'table:"public"."u"',
      expected: { kind: 'table', unlogged: true, options: ['autovacuum_enabled=false', 'fillfactor=70'] },
    },
    {
      title: 'storage parameters of the TOAST table are table options too',
      sql: 'CREATE TABLE t (a text) WITH (toast_tuple_target = 200, toast.autovacuum_enabled = false)',
      id: 'table:"public"."t"',
      expected: { options: ['toast.autovacuum_enabled=false', 'toast_tuple_target=200'] },
    },
    {
      title: 'a range-partitioned table with its key',
      sql: 'CREATE TABLE m (id int, at date, region text) PARTITION BY RANGE (at, id)',
      id: 'table:"public"."m"',
      expected: { kind: 'partitioned table', partitionKey: 'RANGE (at, id)', partitionOf: ABSENT, inherits: ABSENT, unlogged: ABSENT },
    },
    {
      title: 'a partition key with an expression and an opclass',
      sql: 'CREATE TABLE m (code text, n int) PARTITION BY LIST (lower(code) text_pattern_ops)',
      id: 'table:"public"."m"',
      expected: { partitionKey: 'LIST (lower(code) text_pattern_ops)' },
    },
    {
      title: 'a range partition with its bound',
      sql: `CREATE TABLE m (id int, at date) PARTITION BY RANGE (at);
            CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');`,
      id: 'table:"public"."m_2024"',
      expected: {
        kind: 'table', partitionKey: ABSENT, inherits: ABSENT,
        partitionOf: { parent: 'table:"public"."m"', bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')" },
      },
    },
    {
      title: 'a range partition open on one side',
      sql: `CREATE TABLE m (id int) PARTITION BY RANGE (id);
            CREATE TABLE m_low PARTITION OF m FOR VALUES FROM (MINVALUE) TO (0);`,
      id: 'table:"public"."m_low"',
      expected: { partitionOf: { parent: 'table:"public"."m"', bound: 'FOR VALUES FROM (MINVALUE) TO (0)' } },
    },
    {
      title: 'the DEFAULT partition',
      sql: `CREATE TABLE m (id int, at date) PARTITION BY RANGE (at);
            CREATE TABLE m_other PARTITION OF m DEFAULT;`,
      id: 'table:"public"."m_other"',
      expected: { partitionOf: { parent: 'table:"public"."m"', bound: 'DEFAULT' } },
    },
    {
      title: 'a list partition',
      sql: `CREATE TABLE l (k text) PARTITION BY LIST (k); CREATE TABLE l_ab PARTITION OF l FOR VALUES IN ('a', 'b', NULL);`,
      id: 'table:"public"."l_ab"',
      expected: { partitionOf: { parent: 'table:"public"."l"', bound: "FOR VALUES IN ('a', 'b', NULL)" } },
    },
    {
      title: 'a hash partition',
      sql: `CREATE TABLE h (k int) PARTITION BY HASH (k); CREATE TABLE h_1 PARTITION OF h FOR VALUES WITH (MODULUS 4, REMAINDER 1);`,
      id: 'table:"public"."h_1"',
      expected: { partitionOf: { parent: 'table:"public"."h"', bound: 'FOR VALUES WITH (modulus 4, remainder 1)' } },
    },
    {
      title: 'a sub-partitioned partition has both a key and a bound',
      sql: `CREATE TABLE m (id int, at date, region text) PARTITION BY LIST (region);
            CREATE TABLE m_eu PARTITION OF m FOR VALUES IN ('eu') PARTITION BY RANGE (at);
            CREATE TABLE m_eu_2024 PARTITION OF m_eu FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');`,
      id: 'table:"public"."m_eu"',
      expected: {
        kind: 'partitioned table', partitionKey: 'RANGE (at)',
        partitionOf: { parent: 'table:"public"."m"', bound: "FOR VALUES IN ('eu')" },
      },
    },
    {
      title: 'a table attached as a partition with ATTACH PARTITION',
      sql: `CREATE TABLE m (id int) PARTITION BY RANGE (id);
            CREATE TABLE m_1 (id int); ALTER TABLE m ATTACH PARTITION m_1 FOR VALUES FROM (1) TO (10);`,
      id: 'table:"public"."m_1"',
      expected: { partitionOf: { parent: 'table:"public"."m"', bound: 'FOR VALUES FROM (1) TO (10)' } },
    },
    {
      title: 'classic inheritance from two parents, in declaration order',
      sql: `CREATE TABLE zeta (a int); CREATE TABLE alpha (b int);
            CREATE TABLE child (c int) INHERITS (zeta, alpha);`,
      id: 'table:"public"."child"',
      expected: { kind: 'table', inherits: ['table:"public"."zeta"', 'table:"public"."alpha"'], partitionOf: ABSENT },
    },
    {
      title: 'row level security enabled, not forced',
      sql: 'CREATE TABLE t (a int); ALTER TABLE t ENABLE ROW LEVEL SECURITY',
      id: 'table:"public"."t"',
      expected: { rowSecurity: true, forceRowSecurity: false },
    },
    {
      title: 'row level security forced (also while disabled)',
      sql: 'CREATE TABLE t (a int); ALTER TABLE t FORCE ROW LEVEL SECURITY',
      id: 'table:"public"."t"',
      expected: { rowSecurity: false, forceRowSecurity: true },
    },
    {
      title: 'replica identity FULL',
      sql: 'CREATE TABLE t (a int); ALTER TABLE t REPLICA IDENTITY FULL',
      id: 'table:"public"."t"',
      expected: { replicaIdentity: 'full' },
    },
    {
      title: 'replica identity NOTHING',
      sql: 'CREATE TABLE t (a int); ALTER TABLE t REPLICA IDENTITY NOTHING',
      id: 'table:"public"."t"',
      expected: { replicaIdentity: 'nothing' },
    },
    {
      title: 'replica identity USING INDEX',
      sql: 'CREATE TABLE t (a int NOT NULL); CREATE UNIQUE INDEX t_a ON t (a); ALTER TABLE t REPLICA IDENTITY USING INDEX t_a',
      id: 'table:"public"."t"',
      expected: { replicaIdentity: 'index' },
    },
    {
      title: 'replica identity DEFAULT is left out',
      sql: 'CREATE TABLE t (a int PRIMARY KEY); ALTER TABLE t REPLICA IDENTITY FULL; ALTER TABLE t REPLICA IDENTITY DEFAULT',
      id: 'table:"public"."t"',
      expected: { replicaIdentity: ABSENT },
    },
    {
      title: 'a comment, in a schema outside public, with a quoted name',
      sql: `CREATE SCHEMA "Sales"; CREATE TABLE "Sales"."Order Line" (a int); COMMENT ON TABLE "Sales"."Order Line" IS 'lines of an order'`,
      id: 'table:"Sales"."Order Line"',
      expected: { schema: 'Sales', name: 'Order Line', comment: 'lines of an order' },
    },
    {
      title: 'a foreign table',
      sql: `CREATE FOREIGN DATA WRAPPER dummy; CREATE SERVER remote FOREIGN DATA WRAPPER dummy;
            CREATE FOREIGN TABLE ft (a int, b text) SERVER remote;`,
      id: 'table:"public"."ft"',
      expected: { kind: 'foreign table', columns: [{ name: 'a' }, { name: 'b' }] },
    },
  ];
  declareCases(db, (m) => m.tables, cases);

  it('lists partitions and inheritance children as tables of their own', async () => {
    const model = await modelAfter(db(), `
      CREATE TABLE m (id int) PARTITION BY RANGE (id);
      CREATE TABLE m_1 PARTITION OF m FOR VALUES FROM (1) TO (10);
      CREATE TABLE m_d PARTITION OF m DEFAULT;
      CREATE TABLE base (a int); CREATE TABLE derived () INHERITS (base);`);
    assert.deepEqual(model.tables.map((t) => [t.name, t.kind]), [
      ['base', 'table'], ['derived', 'table'], ['m', 'partitioned table'], ['m_1', 'table'], ['m_d', 'table'],
    ]);
  });

  it('reads owner and table privileges granted to created roles', async () => {
    const owner = await role(db(), 'owner');
    const reader = await role(db(), 'reader');
    const writer = await role(db(), 'writer');
    const model = await modelAfter(db(), `
      CREATE TABLE t (a int);
      ALTER TABLE t OWNER TO ${owner};
      GRANT SELECT ON t TO ${reader};
      GRANT INSERT, UPDATE, DELETE ON t TO ${writer} WITH GRANT OPTION;
      GRANT ALL ON t TO PUBLIC;
      REVOKE TRUNCATE ON t FROM PUBLIC;`);
    // ALL gained MAINTAIN (m) in PostgreSQL 17.
    const all = server.major >= 17 ? 'arwdDxtm' : 'arwdDxt';
    const allButTruncate = server.major >= 17 ? 'arwdxtm' : 'arwdxt';
    assert.deepEqual(
      (({ owner: o, acl }) => ({ owner: o, acl }))(byId(model.tables, 'table:"public"."t"')),
      { owner, acl: [`=${allButTruncate}/${owner}`, `${owner}=${all}/${owner}`, `${reader}=r/${owner}`, `${writer}=a*w*d*/${owner}`] },
    );
  });

  it('revoking every privilege leaves an empty ACL, which differs from the default', async () => {
    const model = await modelAfter(db(), 'CREATE TABLE t (a int); CREATE TABLE d (a int); REVOKE ALL ON t FROM postgres');
    assert.deepEqual(byId(model.tables, 'table:"public"."t"').acl, []);
    assert.equal('acl' in byId(model.tables, 'table:"public"."d"'), false);
  });
});
