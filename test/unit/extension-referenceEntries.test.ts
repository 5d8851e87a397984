import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTableName } from '../../src/core/data/literal';
import {
  editorDataWording, entryFor, entryNames, MARKED_TABLE_CONTEXT, REFERENCE_TABLE_CONTEXT, syncSummary, TABLE_CONTEXT,
} from '../../src/extension/compare/referenceEntries';

interface MenuItem { command: string; when?: string }
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuItem[]> } };

/** Whether a `view == … && viewItem == …` or `viewItem =~ /…/` clause of the Schema Differences view lets `contextValue` through. */
function shownFor(item: MenuItem, contextValue: string): boolean {
  const when = item.when ?? '';
  if (!when.includes('view == pgdrift.differences')) return false;
  const equal = /viewItem == (\S+)/.exec(when);
  if (equal) return equal[1] === contextValue;
  const match = /viewItem =~ \/(.+)\/(?:\s|$)/.exec(when);
  return match ? new RegExp(match[1] ?? '').test(contextValue) : false;
}

describe('reference data in the editor: setting entries and wording', () => {
  it('writes a table id as the entry the engine reads back as the same table, quoting only names with dots, quotes or edge spaces', () => {
    const cases: [string, string][] = [
      ['table:"public"."Role"', 'public.Role'],
      ['table:"public"."status"', 'public.status'],
      ['table:"my.schema"."T"', '"my.schema".T'],
      ['table:"public"."say ""hi"""', 'public."say ""hi"""'],
      ['table:"public"." padded"', 'public." padded"'],
      ['table:"Sales"."Order Line"', 'Sales.Order Line'],
    ];
    for (const [id, entry] of cases) {
      assert.equal(entryFor(id), entry, id);
      assert.ok(entryNames(entry, id), `${entry} names ${id}`);
      const parsed = parseTableName(entry);
      assert.ok(parsed, entry);
    }
  });

  it('matches the entries a user writes by hand: bare, quoted, or without schema (public); names are not folded', () => {
    const role = 'table:"public"."Role"';
    for (const entry of ['public.Role', '"public"."Role"', 'Role', 'public."Role"']) assert.ok(entryNames(entry, role), entry);
    for (const entry of ['public.role', 'other.Role', 'public.Role.x', '', 'public.']) assert.ok(!entryNames(entry, role), entry);
  });

  it('says what the sync does to a table in a few words', () => {
    const base = { table: 'table:"public"."Role"', inserted: 0, updated: 0, deleted: 0, kept: 0, expected: 8 };
    assert.equal(syncSummary({ ...base, inserted: 8 }), '8 to insert');
    assert.equal(syncSummary({ ...base, inserted: 1, updated: 1 }), '1 to insert, 1 to update');
    assert.equal(syncSummary({ ...base, deleted: 2, kept: 0 }), '2 to delete');
    assert.equal(syncSummary({ ...base, kept: 3 }), '3 only in the target, kept');
    assert.equal(syncSummary(base), 'rows equal');
  });

  it('rewords the engine\'s --data errors with the sides\' names and the settings, and leaves other messages alone', () => {
    assert.equal(
      editorDataWording('--data "public"."big": 30 rows in --to, more than --data-max-rows 10: the data sync is for reference data (roles, permissions, lookup lists), written as literals into the plan; raise --data-max-rows if this table is one', 'production', 'local'),
      'reference data "public"."big": 30 rows in local, more than pgdrift.referenceDataMaxRows (10): the data sync is for reference data (roles, permissions, lookup lists), written as literals into the plan; raise pgdrift.referenceDataMaxRows if this table is one',
    );
    assert.equal(editorDataWording('--data "public"."big": 12,000 rows in the target (--from), more than --data-max-rows 10,000: …', 'production', 'local'),
      'reference data "public"."big": 12,000 rows in production, more than pgdrift.referenceDataMaxRows (10,000): …');
    assert.equal(editorDataWording('--data "public"."x": --to has no such table', 'production', 'local'), 'reference data "public"."x": local has no such table');
    assert.equal(editorDataWording('--to: connection refused', 'production', 'local'), '--to: connection refused');
    assert.equal(editorDataWording('database "dat" does not exist', 'production', 'local'), 'database "dat" does not exist');
  });

  it('offers Mark as Reference Data on a table that is not marked, Unmark on a marked one and on the reference data group\'s items (package.json menus)', () => {
    const items = manifest.contributes.menus['view/item/context'] ?? [];
    const menu = (contextValue: string) => items.filter((i) => shownFor(i, contextValue)).map((i) => i.command).sort();
    assert.deepEqual(menu(TABLE_CONTEXT), ['pgdrift.differences.markReferenceData']);
    assert.deepEqual(menu(MARKED_TABLE_CONTEXT), ['pgdrift.differences.unmarkReferenceData']);
    assert.deepEqual(menu(REFERENCE_TABLE_CONTEXT), ['pgdrift.differences.unmarkReferenceData']);
    assert.deepEqual(menu('pgdrift.table.other'), []);
  });
});
