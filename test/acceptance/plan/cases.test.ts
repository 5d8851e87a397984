// Convergence on hand-written cases, one table per object kind (cases/), each in both directions on
// every configured server: the plan applies, the migrated database then equals the target, and
// seeded rows survive.
import { strict as assert } from 'node:assert';
import { servers } from '../../support/servers';
import { CASES } from './cases';
import { declareCase } from './declare';

export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

describe('plan convergence: case tables are well-formed', () => {
  it('every case has a unique key', () => {
    const keys = Object.entries(CASES).flatMap(([kind, cases]) => cases.map((c) => `${kind}/${slug(c.name)}`));
    assert.deepEqual(keys.filter((k, i) => keys.indexOf(k) !== i), []);
    assert.ok(keys.length >= 150, `only ${keys.length} cases`);
  });
});

for (const server of servers) {
  describe(`plan convergence: cases (${server.label})`, () => {
    for (const [kind, cases] of Object.entries(CASES)) {
      describe(kind, () => {
        for (const c of cases) {
          declareCase(server, { key: `case:${kind}/${slug(c.name)}`, title: c.name, labels: ['from→to', 'to→from'], load: () => c });
        }
      });
    }
  });
}
