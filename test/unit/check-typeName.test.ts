import { strict as assert } from 'node:assert';
import type { TypeName } from 'libpg-query';
import { defaultName } from '../../src/core/check/defaultNames';
import { loadParser } from '../../src/core/check/parser';
import { formatTypeName } from '../../src/core/check/typeName';

/** The TypeName of `ALTER TABLE t ALTER c TYPE <type>`, formatted; `MyEnum` is a user type in public. */
async function formatted(type: string): Promise<string> {
  const parser = await loadParser();
  const stmt = parser.parse(`ALTER TABLE t ALTER COLUMN c TYPE ${type}`).stmts?.[0]?.stmt;
  assert.ok(stmt && 'AlterTableStmt' in stmt);
  const cmd = stmt.AlterTableStmt.cmds?.[0];
  assert.ok(cmd && 'AlterTableCmd' in cmd && cmd.AlterTableCmd.def && 'ColumnDef' in cmd.AlterTableCmd.def);
  const typeName = cmd.AlterTableCmd.def.ColumnDef.typeName as TypeName;
  return formatTypeName(typeName, (schema, name) => (name === 'MyEnum' && (schema ?? 'public') === 'public' ? { schema: 'public', name } : undefined));
}

describe('check: types as written, spelled as format_type prints them', () => {
  const cases: [string, string][] = [
    ['varchar(5)', 'character varying(5)'],
    ['character varying', 'character varying'],
    ['char(3)', 'character(3)'],
    ['"char"', '"char"'],
    ['int', 'integer'],
    ['int8', 'bigint'],
    ['smallint[]', 'smallint[]'],
    ['numeric(10, 2)', 'numeric(10,2)'],
    ['decimal', 'numeric'],
    ['float', 'double precision'],
    ['real', 'real'],
    ['bool', 'boolean'],
    ['timestamptz', 'timestamp with time zone'],
    ['timestamp(3)', 'timestamp(3) without time zone'],
    ['timestamp(3) with time zone', 'timestamp(3) with time zone'],
    ['time', 'time without time zone'],
    ['interval', 'interval'],
    ['interval day to second(2)', 'interval day to second(2)'],
    ['interval(3)', 'interval(3)'],
    ['bit varying(4)', 'bit varying(4)'],
    ['text', 'text'],
    ['uuid', 'uuid'],
    ['jsonb', 'jsonb'],
    ['"MyEnum"', 'public."MyEnum"'],
    ['public."MyEnum"[]', 'public."MyEnum"[]'],
    ['other.thing', 'other.thing'],
  ];
  for (const [written, printed] of cases) {
    it(`${written} → ${printed}`, async () => {
      assert.equal(await formatted(written), printed);
    });
  }
});

describe('check: the names PostgreSQL gives unnamed constraints and indexes', () => {
  it('table, columns and label, trimmed to 63 bytes longer part first', () => {
    assert.equal(defaultName('child', [], 'pkey'), 'child_pkey');
    assert.equal(defaultName('child', ['email'], 'key'), 'child_email_key');
    assert.equal(defaultName('child', ['a', 'b'], 'fkey'), 'child_a_b_fkey');
    const long = defaultName('t'.repeat(40), ['c'.repeat(40)], 'key');
    assert.equal(long, `${'t'.repeat(29)}_${'c'.repeat(29)}_key`);
    assert.equal(Buffer.byteLength(long), 63);
  });
});
