import { strict as assert } from 'node:assert';
import type { Policy } from '../../../src/core/model/types';
import { describeEachServer } from '../../support/servers';
import { ABSENT, assertMatches, byId, modelAfter, useRoles, type Expect } from './support';

const DOC = 'CREATE TABLE doc (id int, owner name, body text); ALTER TABLE doc ENABLE ROW LEVEL SECURITY;';

describeEachServer('introspect: policies', ({ server, db }) => {
  const role = useRoles(server);

  it('reads a policy completely', async () => {
    const model = await modelAfter(db(), `${DOC}
      CREATE POLICY own_rows ON doc USING (owner = current_user);
      COMMENT ON POLICY own_rows ON doc IS 'only your rows';`);
    assert.deepEqual(model.policies, [{
      id: 'policy:"public"."doc"."own_rows"',
      table: 'table:"public"."doc"',
      name: 'own_rows',
      command: 'all',
      permissive: true,
      roles: ['public'],
      using: 'owner = CURRENT_USER',
      comment: 'only your rows',
    }]);
  });

  it('reads command, restrictive, roles (sorted, public) and USING / WITH CHECK', async () => {
    const a = await role(db(), 'a');
    const b = await role(db(), 'b');
    const model = await modelAfter(db(), `${DOC}
      CREATE POLICY p_sel ON doc AS RESTRICTIVE FOR SELECT TO ${b}, ${a} USING (body IS NOT NULL);
      CREATE POLICY p_ins ON doc FOR INSERT TO ${a} WITH CHECK (id > 0);
      CREATE POLICY p_upd ON doc FOR UPDATE TO CURRENT_USER USING (true) WITH CHECK (id < 100);
      CREATE POLICY p_del ON doc AS PERMISSIVE FOR DELETE TO PUBLIC USING (id = 1);
      CREATE POLICY p_all ON doc FOR ALL TO ${a}, PUBLIC USING (id <> 0);`);
    const expected: Record<string, Expect<Policy>> = {
      p_sel: { command: 'select', permissive: false, roles: [a, b], using: 'body IS NOT NULL', withCheck: ABSENT },
      p_ins: { command: 'insert', permissive: true, roles: [a], using: ABSENT, withCheck: 'id > 0' },
      p_upd: { command: 'update', permissive: true, roles: ['postgres'], using: 'true', withCheck: 'id < 100' },
      p_del: { command: 'delete', permissive: true, roles: ['public'], using: 'id = 1', withCheck: ABSENT, comment: ABSENT },
      // PostgreSQL keeps only PUBLIC when it is listed with other roles.
      p_all: { command: 'all', roles: ['public'], using: 'id <> 0' },
    };
    assert.deepEqual(model.policies.map((p) => p.name), ['p_all', 'p_del', 'p_ins', 'p_sel', 'p_upd']);
    for (const [name, e] of Object.entries(expected)) {
      assertMatches(byId(model.policies, `policy:"public"."doc"."${name}"`), e, name);
    }
  });

  it('policy expressions referring to other objects are qualified', async () => {
    const model = await modelAfter(db(), `${DOC}
      CREATE SCHEMA sec; CREATE TABLE sec.grants (doc_id int, who name);
      CREATE FUNCTION sec.allowed(int) RETURNS boolean LANGUAGE sql STABLE AS 'SELECT true';
      CREATE POLICY p ON doc USING (sec.allowed(id) AND EXISTS (SELECT 1 FROM sec.grants g WHERE g.doc_id = doc.id));`);
    assert.equal(
      byId(model.policies, 'policy:"public"."doc"."p"').using,
      'sec.allowed(id) AND (EXISTS ( SELECT 1\n   FROM sec.grants g\n  WHERE g.doc_id = doc.id))',
    );
  });

  it('a policy exists whether or not row level security is enabled', async () => {
    const model = await modelAfter(db(), `CREATE TABLE t (a int); CREATE POLICY p ON t USING (a > 0);`);
    assert.equal(byId(model.tables, 'table:"public"."t"').rowSecurity, false);
    assert.deepEqual(model.policies.map((p) => p.id), ['policy:"public"."t"."p"']);
  });
});
