import { strict as assert } from 'node:assert';
import { prepareFile } from '../../src/core/check';
import { checkStatic } from '../../src/core/check/static';
import { backupText } from '../../src/core/check/remedyText';
import type { SchemaModel, Table } from '../../src/core/model/types';

const t: Table = {
  id: 'table:"public"."t"', schema: 'public', name: 't', kind: 'table', owner: 'o', rowSecurity: false, forceRowSecurity: false,
  columns: [{ name: 'id', type: 'integer', notNull: true }, { name: 'c', type: 'text', notNull: true }],
};
const model: SchemaModel = {
  schemas: [], extensions: [], enums: [], domains: [], composites: [], sequences: [], tables: [t],
  constraints: [{ id: 'constraint:"public"."t"."t_pkey"', table: 'table:"public"."t"', name: 't_pkey', kind: 'primary key', columns: ['id'], definition: 'PRIMARY KEY (id)', validated: true } as SchemaModel['constraints'][number]],
  indexes: [], views: [], routines: [], triggers: [], policies: [], dependencies: [],
};

const prepared = async (sql: string) => prepareFile(Buffer.from(sql), 'm.sql');

describe('check without measuring', () => {
  it('without a schema, presumes the tables the file changes but does not create, and finds their hazards unmeasured', async () => {
    const sql = [
      'ALTER TABLE "OvertimeSettings" DROP COLUMN "overtimeMode";',
      'CREATE TABLE fresh (a int);',
      'ALTER TABLE fresh DROP COLUMN a;',
      'ALTER TABLE s.jobs ALTER COLUMN status SET NOT NULL;',
      'DROP TABLE old_log;',
    ].join('\n');
    const result = checkStatic(await prepared(sql));
    assert.deepEqual(result.hazards.map((h) => [h.line, h.code, h.object, h.evidence]), [
      [1, 'DL-02', 'column:"public"."OvertimeSettings"."overtimeMode"', undefined],
      [4, 'FL-02', 'column:"s"."jobs"."status"', undefined],
      [4, 'LK-04', 'table:"s"."jobs"', undefined],
      [5, 'DL-01', 'table:"public"."old_log"', undefined],
    ]);
    // Unmeasured data-loss and failure hazards block, as in the check.
    assert.equal(result.blocking, 3);
    assert.equal(result.notes.length, 1);
  });

  it('with a known schema: no presumption (a column already NOT NULL has nothing to check), and accepts apply', async () => {
    const sql = '-- pgdrift:accept DL-02 public.t.c\nALTER TABLE t ALTER COLUMN c SET NOT NULL;\nALTER TABLE t DROP COLUMN c;\nALTER TABLE nowhere DROP COLUMN x;';
    const result = checkStatic(await prepared(sql), { model, searchPath: ['public'] });
    assert.deepEqual(result.hazards.map((h) => [h.line, h.code, h.accepted]), [[3, 'DL-02', 'directive']]);
    assert.equal(result.blocking, 0);
    assert.deepEqual(result.notes, []);
  });

  it('the backup text of a dropped column: the plan\'s statements, the schema and manifest left out when the file has them', async () => {
    const result = checkStatic(await prepared('ALTER TABLE t DROP COLUMN c;'), { model, searchPath: ['public'] });
    const h = result.hazards[0];
    assert.ok(h);
    const text = backupText(h, 'sha256:0123456789abcdef', model) ?? '';
    assert.ok(text.startsWith('CREATE SCHEMA IF NOT EXISTS pgdrift_backup;\nCREATE TABLE IF NOT EXISTS pgdrift_backup.manifest ('));
    assert.ok(text.includes('\nCREATE TABLE IF NOT EXISTS pgdrift_backup."public.t.c@01234567" AS SELECT t."id", t."c" FROM "public"."t" t WHERE t."c" IS NOT NULL;\n'));
    assert.match(text, /INSERT INTO\s+pgdrift_backup\.manifest[\s\S]*'DL-02'[\s\S]*ON CONFLICT \(backup\) DO NOTHING;\n$/);
    const again = backupText(h, 'sha256:0123456789abcdef', model, text);
    assert.equal(again, '');
    // A drop proven to lose nothing needs no backup.
    assert.equal(backupText({ ...h, evidence: { rows: { value: 3, capped: false }, values: { value: 0, capped: false } } }, 'sha256:0', model), undefined);
  });
});
