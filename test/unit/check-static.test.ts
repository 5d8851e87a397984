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

describe('check: a foreign key on columns the file just added', () => {
  const parent: Table = { ...t, id: 'table:"public"."p"', name: 'p', columns: [{ name: 'id', type: 'integer', notNull: true }] };
  const withParent: SchemaModel = {
    ...model,
    tables: [t, parent],
    constraints: [...model.constraints, { id: 'constraint:"public"."p"."p_pkey"', table: 'table:"public"."p"', name: 'p_pkey', kind: 'primary key', columns: ['id'], definition: 'PRIMARY KEY (id)', validated: true } as SchemaModel['constraints'][number]],
  };
  const codes = async (sql: string) => checkStatic(await prepared(sql), { model: withParent, searchPath: ['public'] }).hazards.filter((h) => h.code === 'FL-06').map((h) => h.line);

  it('cannot fail while the new column holds only NULL, so there is no FL-06', async () => {
    assert.deepEqual(await codes('ALTER TABLE t ADD COLUMN p_id integer;\nALTER TABLE t ADD CONSTRAINT t_p FOREIGN KEY (p_id) REFERENCES p (id);'), []);
  });

  it('can fail once something wrote the column, or when it came with a default', async () => {
    assert.deepEqual(await codes('ALTER TABLE t ADD COLUMN p_id integer;\nUPDATE t SET p_id = 7;\nALTER TABLE t ADD CONSTRAINT t_p FOREIGN KEY (p_id) REFERENCES p (id);'), [3]);
    assert.deepEqual(await codes('ALTER TABLE t ADD COLUMN p_id integer;\nSELECT fill_ids();\nALTER TABLE t ADD CONSTRAINT t_p FOREIGN KEY (p_id) REFERENCES p (id);'), [3]);
    assert.deepEqual(await codes('ALTER TABLE t ADD COLUMN p_id integer DEFAULT 7;\nALTER TABLE t ADD CONSTRAINT t_p FOREIGN KEY (p_id) REFERENCES p (id);'), [2]);
    assert.deepEqual(await codes('ALTER TABLE t ADD CONSTRAINT t_p FOREIGN KEY (id) REFERENCES p (id);'), [1]);
  });

  it('MATCH FULL skips a row only when every key column is NULL', async () => {
    const sql = 'ALTER TABLE t ADD COLUMN p_id integer;\nALTER TABLE t ADD CONSTRAINT t_p FOREIGN KEY (id, p_id) REFERENCES p (id, id) MATCH FULL;';
    assert.deepEqual(await codes(sql), [2]);
    assert.deepEqual(await codes(sql.replace(' MATCH FULL', '')), []);
  });
});
