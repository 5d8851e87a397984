import assert from 'node:assert/strict';
import { antiJoinOf, hasSubquery } from '../../src/core/hazards/measure/antiJoin';

// The orphan predicates are the ones diff/constraints.ts writes for a new foreign key.
describe('antiJoinOf: a foreign key\'s orphan predicate, taken apart for the combined scan', () => {
  it('reads the MATCH SIMPLE shape, one column or several', () => {
    assert.deepEqual(antiJoinOf('t."p_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "public"."p" p WHERE p."id" = t."p_id")'), {
      filter: 't."p_id" IS NOT NULL', parent: '"public"."p"', pairs: [{ parent: '"id"', child: 't."p_id"' }],
    });
    assert.deepEqual(antiJoinOf('t."a" IS NOT NULL AND t."B ""x""" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "s"."Parent" p WHERE p."x" = t."a" AND p."y" = t."B ""x""")'), {
      filter: 't."a" IS NOT NULL AND t."B ""x""" IS NOT NULL',
      parent: '"s"."Parent"',
      pairs: [{ parent: '"x"', child: 't."a"' }, { parent: '"y"', child: 't."B ""x"""' }],
    });
  });

  it('leaves anything else to a scan of its own', () => {
    // MATCH FULL: the NOT EXISTS sits inside an OR.
    assert.equal(antiJoinOf('NOT (t."a" IS NULL AND t."b" IS NULL) AND (t."a" IS NULL OR t."b" IS NULL OR NOT EXISTS (SELECT 1 FROM "public"."q" p WHERE p."a" = t."a" AND p."b" = t."b"))'), undefined);
    // A name holding " AND " cannot be split safely.
    assert.equal(antiJoinOf('t."x" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "public"."p" p WHERE p."a AND b" = t."x")'), undefined);
    assert.equal(antiJoinOf('t."x" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "public"."p" p WHERE p."a" = NULL)'), undefined);
    assert.equal(antiJoinOf('NOT (t.n > 0)'), undefined);
    assert.equal(hasSubquery('NOT (t.n > 0)'), false);
    assert.equal(hasSubquery('t."x" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "public"."p" p WHERE p."a" = t."x")'), true);
  });
});
