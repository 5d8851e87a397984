import { strict as assert } from 'node:assert';
import { prepareFile } from '../../src/core/check';
import { checkStatic } from '../../src/core/check/static';
import { statementRemedies, type TextEdit } from '../../src/core/check/statementRemedies';
import type { SchemaModel, Table } from '../../src/core/model/types';

const t: Table = {
  id: 'table:"public"."t"', schema: 'public', name: 't', kind: 'table', owner: 'o', rowSecurity: false, forceRowSecurity: false,
  columns: [
    { name: 'id', type: 'integer', notNull: true },
    { name: 'oldName', type: 'character varying(20)', notNull: false },
    { name: 'flag', type: 'text', notNull: false, default: "'x'::text" },
    { name: 'c', type: 'text', notNull: false },
    { name: 'companyid', type: 'integer', notNull: false },
    { name: 'companyId', type: 'bigint', notNull: false },
  ],
};
const model: SchemaModel = {
  schemas: [], extensions: [], enums: [], domains: [], composites: [], sequences: [], tables: [t],
  constraints: [], indexes: [], views: [], routines: [], triggers: [], policies: [], dependencies: [],
};
const schema = { model, searchPath: ['public'] };

function applied(text: string, edits: readonly TextEdit[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((s, e) => s.slice(0, e.start) + e.text + s.slice(e.end), text);
}

async function remediesOf(text: string, code: string, withSchema = true) {
  const file = await prepareFile(Buffer.from(text), 'm.sql');
  const result = checkStatic(file, withSchema ? schema : undefined);
  const h = result.hazards.find((x) => x.code === code);
  assert.ok(h, `${code} among ${result.hazards.map((x) => x.code).join(', ')}`);
  return statementRemedies(h, { text, statements: file.split.statements }, withSchema ? schema : undefined);
}

describe('remedies rewriting a checked migration\'s statements', () => {
  it('DROP COLUMN then ADD COLUMN of the same type on the same table: the RENAME the plan writes, the ADD removed', async () => {
    const text = 'BEGIN;\nALTER TABLE t DROP COLUMN "oldName";\nALTER TABLE public.t ADD COLUMN other int;\n  ALTER TABLE t ADD COLUMN "newName" varchar(20);\nCOMMIT;\n';
    const [fix, ...rest] = await remediesOf(text, 'DL-02');
    assert.equal(rest.length, 0);
    assert.ok(fix);
    assert.equal(fix.title, 'Rename oldName to newName instead (keeps its values)');
    assert.equal(applied(text, fix.edits), 'BEGIN;\nALTER TABLE "public"."t" RENAME COLUMN "oldName" TO "newName";\nALTER TABLE public.t ADD COLUMN other int;\nCOMMIT;\n');
  });

  it('in one statement, with the measured count in the title', async () => {
    const text = 'ALTER TABLE t DROP COLUMN c, ADD COLUMN d text;';
    const file = await prepareFile(Buffer.from(text), 'm.sql');
    const h = checkStatic(file, schema).hazards.find((x) => x.code === 'DL-02');
    assert.ok(h);
    const [fix] = statementRemedies({ ...h, evidence: { rows: { value: 3, capped: false }, values: { value: 2, capped: false } } }, { text, statements: file.split.statements }, schema);
    assert.equal(fix?.title, 'Rename c to d instead (keeps its 2 values)');
    assert.equal(applied(text, fix?.edits ?? []), 'ALTER TABLE "public"."t" RENAME COLUMN "c" TO "d";');
    // Measured empty: nothing to keep, the drop and add stay as written.
    assert.deepEqual(statementRemedies({ ...h, evidence: { rows: { value: 3, capped: false }, values: { value: 0, capped: false } } }, { text, statements: file.split.statements }, schema), []);
  });

  it('no rename when the types differ, the ADD has a default or NOT NULL, the dropped column has a default, or there is no schema', async () => {
    assert.deepEqual(await remediesOf('ALTER TABLE t DROP COLUMN "oldName";\nALTER TABLE t ADD COLUMN n text;', 'DL-02'), []);
    assert.deepEqual(await remediesOf('ALTER TABLE t DROP COLUMN c;\nALTER TABLE t ADD COLUMN n text DEFAULT \'\';', 'DL-02'), []);
    assert.deepEqual(await remediesOf('ALTER TABLE t DROP COLUMN c;\nALTER TABLE t ADD COLUMN n text NOT NULL;', 'DL-02'), []);
    assert.deepEqual(await remediesOf('ALTER TABLE t DROP COLUMN flag;\nALTER TABLE t ADD COLUMN n text;', 'DL-02'), []);
    assert.deepEqual(await remediesOf('ALTER TABLE t DROP COLUMN c;\nALTER TABLE t ADD COLUMN n text;', 'DL-02', false), []);
    // Two candidates: which one is meant is the user's call.
    assert.deepEqual(await remediesOf('ALTER TABLE t DROP COLUMN c;\nALTER TABLE t ADD COLUMN n text;\nALTER TABLE t ADD COLUMN m text;', 'DL-02'), []);
  });

  it('DROP COLUMN of a column whose twin the table keeps: the copy the plan writes for DL-05, inserted before the drop', async () => {
    const text = 'BEGIN;\n  ALTER TABLE t DROP COLUMN companyid;\nCOMMIT;\n';
    const [fix, ...rest] = await remediesOf(text, 'DL-02');
    assert.equal(rest.length, 0);
    assert.equal(fix?.title, 'Copy companyid into companyId first (where companyId is NULL)');
    assert.equal(applied(text, fix?.edits ?? []), 'BEGIN;\n  UPDATE "public"."t" SET "companyId" = "companyid"::bigint WHERE "companyId" IS NULL AND "companyid" IS NOT NULL;\n  ALTER TABLE t DROP COLUMN companyid;\nCOMMIT;\n');
    // Once the file holds the copy, or when it drops the twin too, there is nothing to offer.
    assert.deepEqual(await remediesOf(applied(text, fix?.edits ?? []), 'DL-02'), []);
    assert.deepEqual(await remediesOf('ALTER TABLE t DROP COLUMN companyid;\nALTER TABLE t DROP COLUMN "companyId";', 'DL-02'), []);
  });

  it('ALTER … TYPE with values that fail to cast (measured): the plan\'s `null` cast policy, its backup first', async () => {
    const text = 'ALTER TABLE t ALTER COLUMN c TYPE integer;\n';
    const file = await prepareFile(Buffer.from(text), 'm.sql');
    const h = checkStatic(file, schema).hazards.find((x) => x.code === 'FL-03');
    assert.ok(h);
    const measured = { ...h, evidence: { rows: { value: 3, capped: false }, failing: { value: 1, capped: false } } };
    const on = (serverVersionNum: number) => statementRemedies(measured, { text, statements: file.split.statements }, { ...schema, fingerprint: 'sha256:0123456789abcdef', serverVersionNum });
    const [fix16] = on(160000);
    assert.equal(fix16?.title, 'Set values that cannot be cast to integer to NULL (backed up first)');
    const out16 = applied(text, fix16?.edits ?? []);
    // The backup as the plan lays it out (sql-formatter): compared with spaces collapsed.
    assert.ok(out16.replace(/\s+/g, ' ').includes('CREATE TABLE IF NOT EXISTS pgdrift_backup."public.t.c@01234567" AS SELECT t.* FROM "public"."t" t WHERE t."c" IS NOT NULL AND NOT pg_input_is_valid (t."c"::text, \'integer\'); INSERT INTO pgdrift_backup.manifest'), out16);
    assert.ok(out16.endsWith('\n-- pgdrift:accept FL-03 public.t.c\nALTER TABLE "public"."t" ALTER COLUMN "c" TYPE integer USING CASE WHEN pg_input_is_valid("c"::text, \'integer\') THEN "c"::integer END;\n'), out16);
    assert.ok(!out16.includes('pgdrift_castable'));
    // Before 16: the try-cast function, created first since the backup's WHERE calls it too.
    const out15 = applied(text, on(150000)[0]?.edits ?? []);
    assert.ok(out15.startsWith('CREATE OR REPLACE FUNCTION pg_temp.pgdrift_castable(v text, t text)'), out15);
    assert.ok(out15.endsWith('USING CASE WHEN pg_temp.pgdrift_castable("c"::text, \'integer\') THEN "c"::integer END;\n'), out15);
    // Measured with nothing failing: nothing to rewrite.
    assert.deepEqual(statementRemedies({ ...measured, evidence: { rows: { value: 3, capped: false }, failing: { value: 0, capped: false } } }, { text, statements: file.split.statements }, { ...schema, fingerprint: 'sha256:0' }), []);
    // Unmeasured (a read-only session before 16 cannot create the try-cast function): offered, saying "if any".
    const [unmeasured] = statementRemedies(h, { text, statements: file.split.statements }, { ...schema, fingerprint: 'sha256:0123456789abcdef', serverVersionNum: 150000 });
    assert.equal(unmeasured?.title, 'Set values that cannot be cast to integer to NULL, if any (backed up first)');
    assert.equal(applied(text, unmeasured?.edits ?? []), out15);
  });

  it('SET NOT NULL: the four statements of plan --online in its place, with the comment on VALIDATE', async () => {
    const text = 'BEGIN;\n  ALTER TABLE t ALTER COLUMN c SET NOT NULL;\nCOMMIT;\n';
    const [fix] = await remediesOf(text, 'FL-02');
    assert.equal(fix?.kind, 'online-not-null');
    assert.equal(applied(text, fix?.edits ?? []), [
      'BEGIN;',
      '  -- VALIDATE CONSTRAINT scans without blocking writes only when committed separately from the ADD CONSTRAINT (its own transaction).',
      '  ALTER TABLE "public"."t" ADD CONSTRAINT "pgdrift_c_not_null" CHECK ("c" IS NOT NULL) NOT VALID;',
      '  ALTER TABLE "public"."t" VALIDATE CONSTRAINT "pgdrift_c_not_null";',
      '  ALTER TABLE "public"."t" ALTER COLUMN "c" SET NOT NULL;',
      '  ALTER TABLE "public"."t" DROP CONSTRAINT "pgdrift_c_not_null";',
      'COMMIT;',
      '',
    ].join('\n'));
  });

  it('SET NOT NULL in a phased file: the CHECK in place, the rest in the validate phase at the end', async () => {
    const text = '-- pgdrift:phase expand\nALTER TABLE t ALTER COLUMN c SET NOT NULL;\nALTER TABLE t ADD COLUMN z int;\n';
    const [fix] = await remediesOf(text, 'FL-02');
    assert.equal(applied(text, fix?.edits ?? []), [
      '-- pgdrift:phase expand',
      'ALTER TABLE "public"."t" ADD CONSTRAINT "pgdrift_c_not_null" CHECK ("c" IS NOT NULL) NOT VALID;',
      'ALTER TABLE t ADD COLUMN z int;',
      '',
      '-- pgdrift:phase validate',
      '-- VALIDATE CONSTRAINT scans without blocking writes only when committed separately from the ADD CONSTRAINT (the validate phase is).',
      'ALTER TABLE "public"."t" VALIDATE CONSTRAINT "pgdrift_c_not_null";',
      'ALTER TABLE "public"."t" ALTER COLUMN "c" SET NOT NULL;',
      'ALTER TABLE "public"."t" DROP CONSTRAINT "pgdrift_c_not_null";',
      '',
    ].join('\n'));
  });

  it('no two-step fix for a table measured empty, nor for SET NOT NULL among other subcommands', async () => {
    const text = 'ALTER TABLE t ALTER COLUMN c SET NOT NULL;';
    const file = await prepareFile(Buffer.from(text), 'm.sql');
    const h = checkStatic(file, schema).hazards.find((x) => x.code === 'FL-02');
    assert.ok(h);
    assert.deepEqual(statementRemedies({ ...h, evidence: { rows: { value: 0, capped: false }, nulls: { value: 0, capped: false } } }, { text, statements: file.split.statements }, schema), []);
    assert.deepEqual(await remediesOf('ALTER TABLE t ALTER COLUMN c SET NOT NULL, ADD COLUMN z int;', 'FL-02'), []);
  });
});
