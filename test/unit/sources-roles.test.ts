import { strict as assert } from 'node:assert';
import { alignMaintainPrivilege, withoutM } from '../../src/core/diff/privilegeSpelling';
import type { SchemaModel } from '../../src/core/model/types';
import { rolesNamed } from '../../src/core/sources/roles';
import { parseScript } from '../../src/core/sources/script';

describe('roles and privileges of SQL files', () => {
  it('every role the files name (owners, grants, policies, schema authorization) but do not create', async () => {
    const script = await parseScript({
      name: 'dump.sql',
      text: [
        'CREATE ROLE app_admin;',
        'CREATE SCHEMA billing AUTHORIZATION "Billing Owner";',
        'ALTER TABLE public.t OWNER TO app_owner;',
        'ALTER FUNCTION public.f() OWNER TO app_admin;',
        'GRANT SELECT ON TABLE public.t TO reporting, PUBLIC;',
        'REVOKE ALL ON TABLE public.t FROM CURRENT_USER;',
        'ALTER DEFAULT PRIVILEGES FOR ROLE app_owner IN SCHEMA public GRANT SELECT ON TABLES TO auditor;',
        'CREATE POLICY p ON public.t TO tenant USING (true);',
        "SELECT 'GRANT x TO not_a_role';",
      ].join('\n'),
    });
    assert.deepEqual(rolesNamed([script]), ['Billing Owner', 'app_owner', 'auditor', 'reporting', 'tenant']);
  });

  it('MAINTAIN (m, PostgreSQL 17) is left out of the newer side\'s table privileges when the sides straddle 17', () => {
    assert.equal(withoutM('app=arwdDxtm/app'), 'app=arwdDxt/app');
    assert.equal(withoutM('ops=m*r/app'), 'ops=r/app');
    assert.equal(withoutM('"m=user"=arwdDxtm/"m=user"'), '"m=user"=arwdDxt/"m=user"');
    const model = (acl: string[]) => ({ tables: [{ id: 't', acl }], views: [] }) as unknown as SchemaModel;
    const old = model(['app=arwdDxt/app']);
    const current = model(['app=arwdDxtm/app']);
    const aligned = alignMaintainPrivilege({ model: old, serverVersionNum: 150018 }, { model: current, serverVersionNum: 180007 });
    assert.equal(aligned.from, old);
    assert.deepEqual(aligned.to.tables[0]?.acl, ['app=arwdDxt/app']);
    assert.equal(alignMaintainPrivilege({ model: current, serverVersionNum: 170000 }, { model: current, serverVersionNum: 180007 }).to, current);
  });
});
