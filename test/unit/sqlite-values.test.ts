import { strict as assert } from 'node:assert';
import { affinityOf, copyField, instantOf, mapType, toPostgresText, type Converted } from '../../src/core/sqlite';

const SAST = 'Africa/Johannesburg';
const text = (c: Converted) => ('text' in c ? c.text : `misfit: ${c.misfit}`);

describe('SQLite type map', () => {
  it('derives affinity by SQLite\'s rules, first match winning', () => {
    const cases: [string, string][] = [
      ['INTEGER', 'INTEGER'], ['TINYINT', 'INTEGER'], ['BIGINT UNSIGNED', 'INTEGER'], ['POINT', 'INTEGER'],
      ['VARCHAR(40)', 'TEXT'], ['NATIVE CHARACTER(70)', 'TEXT'], ['CLOB', 'TEXT'], ['CHARINT', 'INTEGER'],
      ['BLOB', 'BLOB'], ['', 'BLOB'], ['REAL', 'REAL'], ['DOUBLE PRECISION', 'REAL'], ['FLOATING POINT', 'INTEGER'],
      ['DECIMAL(10,5)', 'NUMERIC'], ['BOOLEAN', 'NUMERIC'], ['DATETIME', 'NUMERIC'], ['STRING', 'NUMERIC'],
    ];
    for (const [declared, affinity] of cases) assert.equal(affinityOf(declared), affinity, declared);
  });

  it('maps declared types to PostgreSQL types as format_type prints them', () => {
    const cases: [string, string][] = [
      ['INTEGER', 'bigint'], ['int', 'bigint'], ['SMALLINT', 'bigint'], ['REAL', 'double precision'], ['FLOAT', 'double precision'],
      ['NUMERIC', 'numeric'], ['DECIMAL(10,2)', 'numeric(10,2)'], ['NUMERIC(8)', 'numeric(8,0)'], ['TEXT', 'text'], ['CLOB', 'text'],
      ['VARCHAR(255)', 'character varying(255)'], ['NVARCHAR(10)', 'character varying(10)'], ['CHAR(2)', 'character varying(2)'],
      ['BLOB', 'bytea'], ['', 'bytea'], ['BOOLEAN', 'boolean'], ['bool', 'boolean'], ['DATETIME', 'timestamp with time zone'],
      ['TIMESTAMP', 'timestamp with time zone'], ['DATE', 'date'], ['TIME', 'time without time zone'], ['JSON', 'jsonb'], ['UUID', 'uuid'],
      ['STRING', 'text'],
    ];
    for (const [declared, type] of cases) assert.equal(mapType(declared).type, type, declared);
    assert.match(mapType('STRING').note ?? '', /NUMERIC affinity/);
    assert.equal(mapType('VARCHAR(40)').length, 40);
  });
});

describe('SQLite values for PostgreSQL', () => {
  it('reads DATETIME text as wall-clock time in the source zone: the same instants in UTC', () => {
    const cases: [string, string, string][] = [
      ['2024-03-05 08:00:00', '2024-03-05 08:00:00+02', '2024-03-05T06:00:00.000Z'],
      ['2024-03-05 23:30:00', '2024-03-05 23:30:00+02', '2024-03-05T21:30:00.000Z'],
      ['2024-01-01 00:00', '2024-01-01 00:00:00+02', '2023-12-31T22:00:00.000Z'],
      ['2024-03-05T08:00:00.250', '2024-03-05 08:00:00.250+02', '2024-03-05T06:00:00.250Z'],
      ['2024-03-05', '2024-03-05 00:00:00+02', '2024-03-04T22:00:00.000Z'],
      // Written with its own offset: that offset wins over the source zone.
      ['2024-03-05 08:00:00Z', '2024-03-05 08:00:00+00', '2024-03-05T08:00:00.000Z'],
      ['2024-03-05 08:00:00+05:30', '2024-03-05 08:00:00+05:30', '2024-03-05T02:30:00.000Z'],
    ];
    for (const [stored, expected, utc] of cases) {
      const converted = text(toPostgresText(stored, { kind: 'timestamptz' }, SAST));
      assert.equal(converted, expected, stored);
      assert.equal(new Date(String(converted).replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00')).toISOString(), utc, stored);
    }
  });

  it('follows PostgreSQL around daylight-saving changes: a skipped time takes the offset before, an ambiguous one the offset after', () => {
    // Europe/London: clocks back 2024-10-27 02:00 BST → 01:00 GMT, so 01:30 happens twice; PostgreSQL reads the second.
    assert.deepEqual(instantOf('Europe/London', Date.UTC(2024, 9, 27, 1, 30)), { utcMs: Date.UTC(2024, 9, 27, 1, 30), offset: 0, fold: 'ambiguous' });
    assert.equal(text(toPostgresText('2024-10-27 01:30:00', { kind: 'timestamptz' }, 'Europe/London')), '2024-10-27 01:30:00+00');
    // Clocks forward 2024-03-31 01:00 GMT → 02:00 BST: 01:30 never happens; read with GMT it is 02:30 BST.
    assert.equal(instantOf('Europe/London', Date.UTC(2024, 2, 31, 1, 30)).fold, 'skipped');
    assert.equal(text(toPostgresText('2024-03-31 01:30:00', { kind: 'timestamptz' }, 'Europe/London')), '2024-03-31 02:30:00+01');
    assert.equal(text(toPostgresText('2024-07-01 12:00:00', { kind: 'timestamptz' }, 'Europe/London')), '2024-07-01 12:00:00+01');
    assert.equal(text(toPostgresText('2024-07-01 12:00:00', { kind: 'timestamptz' }, 'Asia/Kolkata')), '2024-07-01 12:00:00+05:30');
  });

  it('converts integers, reals, booleans, blobs and text, and refuses what does not fit', () => {
    assert.equal(text(toPostgresText(9007199254740993n, { kind: 'integer' }, SAST)), '9007199254740993');
    assert.equal(text(toPostgresText(42, { kind: 'integer' }, SAST)), '42');
    assert.equal(text(toPostgresText(' 7 ', { kind: 'integer' }, SAST)), '7');
    assert.match(text(toPostgresText('n/a', { kind: 'integer' }, SAST)) ?? '', /^misfit: text "n\/a" is not an integer/);
    assert.match(text(toPostgresText(1.5, { kind: 'integer' }, SAST)) ?? '', /^misfit/);
    assert.equal(text(toPostgresText(12.5, { kind: 'real' }, SAST)), '12.5');
    assert.equal(text(toPostgresText(3n, { kind: 'numeric' }, SAST)), '3');
    assert.equal(text(toPostgresText(0n, { kind: 'boolean' }, SAST)), 'false');
    assert.equal(text(toPostgresText(1, { kind: 'boolean' }, SAST)), 'true');
    assert.match(text(toPostgresText(2n, { kind: 'boolean' }, SAST)) ?? '', /^misfit: integer 2 is not 0 or 1/);
    assert.equal(text(toPostgresText(new Uint8Array([0xde, 0xad, 0xbe, 0xef]), { kind: 'bytea' }, SAST)), '\\xdeadbeef');
    assert.equal(text(toPostgresText('ok', { kind: 'bytea' }, SAST)), '\\x6f6b');
    assert.equal(text(toPostgresText(null, { kind: 'integer' }, SAST)), null);
    assert.equal(text(toPostgresText('2019-06-01', { kind: 'date' }, SAST)), '2019-06-01');
    assert.match(text(toPostgresText('2019-02-30', { kind: 'date' }, SAST)) ?? '', /^misfit/);
    assert.match(text(toPostgresText('yesterday', { kind: 'timestamptz' }, SAST)) ?? '', /^misfit/);
    assert.match(text(toPostgresText('2024-13-01 00:00:00', { kind: 'timestamptz' }, SAST)) ?? '', /^misfit/);
    assert.equal(text(toPostgresText('abcd', { kind: 'text', length: 4 }, SAST)), 'abcd');
    assert.match(text(toPostgresText('abcde', { kind: 'text', length: 4 }, SAST)) ?? '', /longer than 4/);
    assert.match(text(toPostgresText('a\u0000b', { kind: 'text' }, SAST)) ?? '', /NUL/);
    assert.match(text(toPostgresText('{"a":', { kind: 'json' }, SAST)) ?? '', /not valid JSON/);
  });

  it('escapes COPY text fields', () => {
    assert.equal(copyField(null), '\\N');
    assert.equal(copyField('a\tb\nc\\d\re'), 'a\\tb\\nc\\\\d\\re');
  });
});
