import { strict as assert } from 'node:assert';
import { CATALOG_OIDS } from '../../src/core/introspect/oidMap';
import { describeEachServer } from '../support/servers';

describeEachServer('catalog oids used to read pg_depend', ({ db }) => {
  it('match the server’s own regclass of each catalog', async () => {
    const names = Object.keys(CATALOG_OIDS);
    const rows = await db().query<{ name: string; oid: number }>(
      'SELECT name, to_regclass(name)::oid::int AS oid FROM unnest($1::text[]) AS name',
      [names],
    );
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.name, r.oid])), CATALOG_OIDS);
  });
});
