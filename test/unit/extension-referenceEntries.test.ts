import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTableName } from '../../src/core/data/literal';
import { syncTables } from '../../src/core/data/tables';
import type { SchemaModel } from '../../src/core/model/types';
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

  it('words the engine\'s reference-data refusals with the sides\' names and the settings (the CLI keeps its options)', () => {
    const model: SchemaModel = {
      schemas: [], extensions: [], enums: [], domains: [], composites: [], sequences: [], tables: [], constraints: [], indexes: [],
      views: [], routines: [], triggers: [], policies: [], dependencies: [],
    };
    assert.throws(() => syncTables(['public.nope'], model, model, editorDataWording('production', 'local')), /^PgdriftError: reference data "public"\."nope": local has no such table$/);
    assert.throws(() => syncTables(['public.nope'], model, model), /^PgdriftError: --data "public"\."nope": --to has no such table$/);
    assert.deepEqual(editorDataWording('production', 'local'), { marked: 'reference data', maxRows: 'pgdrift.referenceDataMaxRows', from: 'production', to: 'local' });
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
