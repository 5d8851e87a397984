import { strict as assert } from 'node:assert';
import type { View } from '../../../src/core/model/types';
import { describeEachServer } from '../../support/servers';
import { ABSENT, byId, declareCases, modelAfter, useRoles, type Case } from './support';

const T = 'CREATE TABLE t (id int PRIMARY KEY, name text, price numeric(10,2));';

describeEachServer('introspect: views', ({ server, db }) => {
  const role = useRoles(server);
  // From PostgreSQL 16 pg_get_viewdef no longer qualifies columns when one relation is read.
  const q = (column: string, relation = 't') => (server.major >= 16 ? column : `${relation}.${column}`);

  it('reads a view completely', async () => {
    const model = await modelAfter(db(), `${T}
      CREATE VIEW expensive AS SELECT id, upper(name) AS uname, price FROM t WHERE price > 10;
      COMMENT ON VIEW expensive IS 'over ten'; COMMENT ON COLUMN expensive.uname IS 'upper-case name';`);
    assert.deepEqual(byId(model.views, 'view:"public"."expensive"'), {
      id: 'view:"public"."expensive"',
      schema: 'public',
      name: 'expensive',
      materialized: false,
      definition: ` SELECT ${q('id')},\n    upper(${q('name')}) AS uname,\n    ${q('price')}\n   FROM public.t\n  WHERE ${q('price')} > 10::numeric;`,
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'uname', type: 'text', comment: 'upper-case name' },
        { name: 'price', type: 'numeric(10,2)' },
      ],
      owner: 'postgres',
      comment: 'over ten',
    });
  });

  const cases: Case<View>[] = [
    {
      title: 'security_barrier',
      sql: `${T} CREATE VIEW v WITH (security_barrier) AS SELECT id FROM t`,
      id: 'view:"public"."v"',
      expected: { options: ['security_barrier=true'], populated: ABSENT },
    },
    {
      title: 'WITH CASCADED CHECK OPTION',
      sql: `${T} CREATE VIEW v AS SELECT id, name FROM t WHERE id > 0 WITH CASCADED CHECK OPTION`,
      id: 'view:"public"."v"',
      expected: { options: ['check_option=cascaded'], definition: ` SELECT ${q('id')},\n    ${q('name')}\n   FROM public.t\n  WHERE ${q('id')} > 0;` },
    },
    {
      title: 'check_option=local and security_barrier as options, sorted',
      sql: `${T} CREATE VIEW v WITH (check_option = local, security_barrier = true) AS SELECT id FROM t`,
      id: 'view:"public"."v"',
      expected: { options: ['check_option=local', 'security_barrier=true'] },
    },
    {
      title: 'a view without options has none',
      sql: `${T} CREATE VIEW v AS SELECT id FROM t`,
      id: 'view:"public"."v"',
      expected: { options: ABSENT, materialized: false, acl: ABSENT, comment: ABSENT },
    },
    {
      title: 'a view over a view in another schema, calling a user function, all qualified',
      sql: `${T} CREATE SCHEMA rpt; CREATE FUNCTION public.twice(numeric) RETURNS numeric LANGUAGE sql AS 'SELECT $1 * 2';
            CREATE VIEW base AS SELECT id, price FROM t;
            CREATE VIEW rpt.doubled AS SELECT b.id, twice(b.price) AS p2 FROM base b;`,
      id: 'view:"rpt"."doubled"',
      expected: {
        schema: 'rpt',
        definition: ` SELECT ${q('id', 'b')},\n    public.twice(${q('price', 'b')}) AS p2\n   FROM public.base b;`,
        columns: [{ name: 'id', type: 'integer' }, { name: 'p2', type: 'numeric' }],
      },
    },
    {
      title: 'a materialized view created WITH NO DATA is not populated',
      sql: `${T} CREATE MATERIALIZED VIEW mv AS SELECT id, count(*) AS n FROM t GROUP BY id WITH NO DATA`,
      id: 'materialized view:"public"."mv"',
      expected: {
        materialized: true, populated: false,
        definition: ` SELECT ${q('id')},\n    count(*) AS n\n   FROM public.t\n  GROUP BY ${q('id')};`,
        columns: [{ name: 'id', type: 'integer' }, { name: 'n', type: 'bigint' }],
      },
    },
    {
      title: 'a materialized view refreshed after WITH NO DATA is populated',
      sql: `${T} CREATE MATERIALIZED VIEW mv AS SELECT id FROM t WITH NO DATA; REFRESH MATERIALIZED VIEW mv;`,
      id: 'materialized view:"public"."mv"',
      expected: { populated: true },
    },
    {
      title: 'a materialized view with a storage parameter and a comment',
      sql: `${T} CREATE MATERIALIZED VIEW mv WITH (fillfactor = 50) AS SELECT id FROM t; COMMENT ON MATERIALIZED VIEW mv IS 'snapshot'`,
      id: 'materialized view:"public"."mv"',
      expected: { populated: true, options: ['fillfactor=50'], comment: 'snapshot' },
    },
  ];
  declareCases(db, (m) => m.views, cases);

  if (server.major >= 15) {
    declareCases<View>(db, (m) => m.views, [{
      title: 'security_invoker (PostgreSQL 15+)',
      sql: `${T} CREATE VIEW v WITH (security_invoker = true) AS SELECT id FROM t`,
      id: 'view:"public"."v"',
      expected: { options: ['security_invoker=true'] },
    }]);
  }

  it('a view and a materialized view of the same name in two schemas have distinct ids', async () => {
    const model = await modelAfter(db(), `${T} CREATE SCHEMA s;
      CREATE VIEW report AS SELECT id FROM t; CREATE MATERIALIZED VIEW s.report AS SELECT id FROM t;`);
    assert.deepEqual(model.views.map((v) => v.id), ['materialized view:"s"."report"', 'view:"public"."report"']);
    assert.deepEqual(model.tables.map((t) => t.id), ['table:"public"."t"'], 'views are not tables');
  });

  it('reads owner and privileges of a view', async () => {
    const owner = await role(db(), 'owner');
    const reader = await role(db(), 'reader');
    const model = await modelAfter(db(), `${T}
      CREATE VIEW v AS SELECT id FROM t; ALTER VIEW v OWNER TO ${owner}; GRANT SELECT ON v TO ${reader};`);
    const v = byId(model.views, 'view:"public"."v"');
    const all = server.major >= 17 ? 'arwdDxtm' : 'arwdDxt';
    assert.deepEqual({ owner: v.owner, acl: v.acl }, { owner, acl: [`${owner}=${all}/${owner}`, `${reader}=r/${owner}`] });
  });

  it('a recursive view', async () => {
    const model = await modelAfter(db(), 'CREATE RECURSIVE VIEW nums (n) AS VALUES (1) UNION ALL SELECT n + 1 FROM nums WHERE n < 5');
    const v = byId(model.views, 'view:"public"."nums"');
    assert.deepEqual(v.columns, [{ name: 'n', type: 'integer' }]);
    assert.match(v.definition, /^ WITH RECURSIVE nums\(n\) AS \(\n/);
    assert.match(v.definition, /SELECT nums_1\.n \+ 1\n\s+FROM nums nums_1\n\s+WHERE nums_1\.n < 5\n/);
  });
});
