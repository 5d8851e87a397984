import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { PgdriftError } from '../../src/core/errors';
import { copyColumns, copyRows, findMisfits, nextIdentityValue, openSqlite, readSqliteSchema, translateSqlite, type SqliteTranslation } from '../../src/core/sqlite';
import { readTableText } from '../../src/core/sqlite/createText';
import { buildAppDatabase } from '../support/sqliteApp';

describe('SQLite translation', () => {
  let db: Database;
  let translation: SqliteTranslation;

  before(async () => {
    db = await buildAppDatabase();
    translation = translateSqlite(readSqliteSchema(db), { timeZone: 'Africa/Johannesburg' });
  });
  after(() => db.close());

  const table = (name: string) => {
    const t = translation.model.tables.find((x) => x.name === name);
    assert.ok(t, `table ${name}`);
    return t;
  };
  const columns = (name: string) => Object.fromEntries(table(name).columns.map((c) => [c.name, c]));
  const constraint = (name: string) => translation.model.constraints.find((c) => c.name === name);

  it('translates every table into the target schema, and reports the view', () => {
    assert.deepEqual(translation.model.tables.map((t) => t.id), [
      'table:"public"."machines"', 'table:"public"."production_orders"', 'table:"public"."shifts"', 'table:"public"."users"',
    ]);
    assert.deepEqual(translation.model.schemas.map((s) => s.id), ['schema:"public"']);
    assert.deepEqual(translation.model.views, []);
    const view = translation.findings.find((f) => f.kind === 'view');
    assert.equal(view?.table, 'open_orders');
    assert.match(view?.sql ?? '', /SELECT \* FROM production_orders/);
  });

  it('maps declared types by SQLite affinity and the names applications use on purpose', () => {
    const users = columns('users');
    assert.equal(users['email']?.type, 'character varying(40)');
    assert.equal(users['name']?.type, 'text');
    assert.equal(users['active']?.type, 'boolean');
    assert.equal(users['created_at']?.type, 'timestamp with time zone');
    const machines = columns('machines');
    assert.equal(machines['capacity_per_hour']?.type, 'bigint');
    assert.equal(machines['hourly_rate']?.type, 'numeric(10,2)');
    assert.equal(machines['installed_on']?.type, 'date');
    const orders = columns('production_orders');
    assert.equal(orders['weight']?.type, 'double precision');
    assert.equal(orders['due_at']?.type, 'timestamp with time zone');
    assert.equal(orders['payload']?.type, 'bytea');
  });

  it('makes INTEGER PRIMARY KEY, with or without AUTOINCREMENT, a bigint identity by default and the primary key', () => {
    for (const name of ['users', 'machines', 'shifts', 'production_orders']) {
      const id = columns(name)['id'];
      assert.equal(id?.type, 'bigint');
      assert.equal(id?.notNull, true);
      assert.deepEqual(id?.identity, { kind: 'by default', sequence: { dataType: 'bigint', start: '1', increment: '1', min: '1', max: '9223372036854775807', cache: '1', cycle: false } });
      assert.equal(constraint(`${name}_pkey`)?.definition, 'PRIMARY KEY (id)');
      assert.equal(translation.model.indexes.find((i) => i.name === `${name}_pkey`)?.constraint, `${name}_pkey`);
    }
    assert.deepEqual(translation.tables.filter((t) => t.autoincrement).map((t) => t.name), ['production_orders', 'users']);
  });

  it('keeps NOT NULL and literal defaults, CURRENT_TIMESTAMP as now(), and reports other defaults', () => {
    const users = columns('users');
    assert.equal(users['email']?.notNull, true);
    assert.equal(users['name']?.notNull, false);
    assert.equal(users['active']?.default, 'true');
    assert.equal(users['created_at']?.default, 'now()');
    assert.equal(columns('machines')['retired']?.default, 'false');
    assert.equal(columns('machines')['hourly_rate']?.default, '0');
    assert.equal(columns('production_orders')['status']?.default, "'open'::text");
    assert.equal(columns('production_orders')['due_at']?.default, undefined);
    const defaults = translation.findings.filter((f) => f.kind === 'default').map((f) => `${f.table}.${f.object ?? ''}`);
    assert.deepEqual(defaults.sort(), ['production_orders.due_at', 'users.created_at']);
    assert.match(translation.findings.find((f) => f.object === 'created_at')?.message ?? '', /writes UTC text.*Africa\/Johannesburg/);
  });

  it('carries foreign keys over with their actions, naming them as PostgreSQL would', () => {
    const shiftMachine = constraint('shifts_machine_id_fkey');
    assert.equal(shiftMachine?.definition, 'FOREIGN KEY (machine_id) REFERENCES public.machines(id) ON DELETE CASCADE');
    assert.deepEqual(shiftMachine?.foreignKey, { referencedTable: 'table:"public"."machines"', referencedColumns: ['id'], onUpdate: 'no action', onDelete: 'cascade', match: 'simple' });
    // REFERENCES users with no column list means users' primary key.
    assert.equal(constraint('shifts_operator_id_fkey')?.definition, 'FOREIGN KEY (operator_id) REFERENCES public.users(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED');
    assert.equal(constraint('production_orders_machine_id_fkey')?.foreignKey?.onDelete, 'cascade');
    assert.deepEqual([constraint('shifts_operator_id_fkey')?.deferrable, constraint('shifts_operator_id_fkey')?.initiallyDeferred], [true, true]);
    assert.deepEqual([constraint('shifts_machine_id_fkey')?.deferrable, constraint('shifts_machine_id_fkey')?.initiallyDeferred], [false, false]);
  });

  it('carries CHECK constraints over and reports those written with what PostgreSQL lacks', () => {
    assert.equal(constraint('production_orders_quantity_check')?.definition, 'CHECK (quantity > 0)');
    assert.equal(constraint('production_orders_notes_check')?.definition, 'CHECK (length(notes) <= 500)');
    assert.equal(constraint('shift_order')?.definition, 'CHECK (ended_at IS NULL OR ended_at > started_at)');
    assert.deepEqual(constraint('shift_order')?.columns, ['ended_at', 'started_at']);
    const checks = translation.findings.filter((f) => f.kind === 'check');
    assert.deepEqual(checks.map((f) => f.sql), ["batch_code GLOB '[A-Z]*'", 'active IN (0, 1)']);
    assert.match(checks[1]?.message ?? '', /boolean/);
    assert.equal(translation.model.constraints.filter((c) => c.kind === 'check').length, 3);
  });

  it('carries unique and partial indexes and UNIQUE constraints over, and reports the expression index', () => {
    const byName = Object.fromEntries(translation.model.indexes.map((i) => [i.name, i]));
    assert.equal(byName['users_email_unique']?.definition, 'CREATE UNIQUE INDEX users_email_unique ON public.users USING btree (email)');
    assert.equal(byName['production_orders_open']?.definition,
      "CREATE INDEX production_orders_open ON public.production_orders USING btree (machine_id, due_at DESC) WHERE (status = 'open'::text)");
    assert.equal(byName['production_orders_open']?.predicate, "status = 'open'::text");
    assert.equal(constraint('machines_code_key')?.definition, 'UNIQUE (code)');
    assert.equal(byName['production_orders_lower_no'], undefined);
    assert.deepEqual(translation.findings.filter((f) => f.kind === 'index').map((f) => f.object), ['production_orders_lower_no']);
  });

  it('puts the tables into another schema when asked', () => {
    const other = translateSqlite(readSqliteSchema(db), { schema: 'legacy' });
    assert.ok(other.model.tables.every((t) => t.schema === 'legacy'));
    assert.equal(other.model.constraints.find((c) => c.name === 'shifts_machine_id_fkey')?.definition,
      'FOREIGN KEY (machine_id) REFERENCES legacy.machines(id) ON DELETE CASCADE');
    assert.match(other.model.indexes.find((i) => i.name === 'users_email_unique')?.definition ?? '', / ON legacy\.users /);
  });

  it('lists the values that do not fit their PostgreSQL type with their row ids', () => {
    assert.deepEqual(findMisfits(db, translation).map((m) => [m.table, m.column, m.row]), [
      ['machines', 'capacity_per_hour', '2'],
      ['machines', 'retired', '3'],
      ['shifts', 'ended_at', '3'],
      ['users', 'email', '3'],
    ]);
    const [text] = findMisfits(db, translation, { limit: 1 });
    assert.match(text?.reason ?? '', /text "n\/a" is not an integer \(bigint\)/);
  });

  it('names rows of a WITHOUT ROWID table by primary key, and finds NULL in a primary key SQLite allowed', async () => {
    const other = await buildAppDatabase();
    try {
      other.exec(`CREATE TABLE codes (kind TEXT, code TEXT, qty INTEGER, PRIMARY KEY (kind, code)) WITHOUT ROWID;
        INSERT INTO codes VALUES ('unit', 'kg', 1), ('unit', 'x', 'lots');
        CREATE TABLE tags (name TEXT PRIMARY KEY); INSERT INTO tags VALUES (NULL);`);
      const t = translateSqlite(readSqliteSchema(other));
      const misfits = findMisfits(other, t).filter((m) => m.table === 'codes' || m.table === 'tags');
      assert.deepEqual(misfits.map((m) => [m.table, m.column, m.row]), [['codes', 'qty', 'unit, x'], ['tags', 'name', '1']]);
      assert.match(misfits[1]?.reason ?? '', /NULL .*primary key/);
      assert.equal(t.model.tables.find((x) => x.name === 'codes')?.columns.find((c) => c.name === 'kind')?.identity, undefined);
      assert.equal(t.model.constraints.find((c) => c.name === 'codes_pkey')?.definition, 'PRIMARY KEY (kind, code)');
    } finally {
      other.close();
    }
  });

  it('continues identities past the highest id, and past ids AUTOINCREMENT handed out before deletes', async () => {
    const other = await buildAppDatabase();
    try {
      other.exec('DELETE FROM production_orders WHERE id = 2; DELETE FROM shifts WHERE id = 3;');
      const t = translateSqlite(readSqliteSchema(other));
      const next = (name: string) => nextIdentityValue(other, t.tables.find((x) => x.name === name)!);
      assert.equal(next('production_orders'), 3n);
      assert.equal(next('shifts'), 3n);
      assert.equal(next('machines'), 4n);
    } finally {
      other.close();
    }
  });

  it('reads CHECK names, AUTOINCREMENT and WITHOUT ROWID out of the CREATE TABLE text', () => {
    const text = readTableText(`CREATE TABLE "a b" (
      [id] integer primary key autoincrement, -- the key
      "x,y" int constraint "x positive" check ("x,y" > 0) not null, /* ( */ z text check(z <> ')'),
      constraint pair check ("x,y" < 10 and z is not null)) without rowid`);
    assert.equal(text.autoincrement, 'id');
    assert.equal(text.withoutRowid, true);
    assert.deepEqual(readTableText(`CREATE TABLE m (a INT REFERENCES p DEFERRABLE, b INT, c INT, d INT REFERENCES p NOT DEFERRABLE,
      FOREIGN KEY ("b", c) REFERENCES q (x, y) DEFERRABLE INITIALLY DEFERRED)`).deferrable,
    [{ columns: ['a'], initiallyDeferred: false }, { columns: ['b', 'c'], initiallyDeferred: true }]);
    assert.deepEqual(text.checks.map((c) => [c.name, c.column, c.text]), [
      ['x positive', 'x,y', '"x,y" > 0'],
      [undefined, 'z', "z <> ')'"],
      ['pair', undefined, '"x,y" < 10 and z is not null'],
    ]);
  });

  it('opens a SQLite file from disk and refuses a file that is not one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgdrift-sqlite-'));
    try {
      writeFileSync(join(dir, 'app.db'), db.export());
      const fromDisk = await openSqlite(join(dir, 'app.db'));
      try {
        assert.deepEqual(readSqliteSchema(fromDisk).tables.map((t) => t.name), ['machines', 'production_orders', 'shifts', 'users']);
      } finally {
        fromDisk.close();
      }
      writeFileSync(join(dir, 'notes.txt'), 'not a database');
      await assert.rejects(openSqlite(join(dir, 'notes.txt')), (e: unknown) => e instanceof PgdriftError && /not a SQLite 3 database/.test(e.message));
      await assert.rejects(openSqlite(join(dir, 'missing.db')), (e: unknown) => e instanceof PgdriftError && /Cannot read the SQLite file/.test(e.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown source time zone', () => {
    assert.throws(() => translateSqlite(readSqliteSchema(db), { timeZone: 'Mars/Olympus' }), /Unknown time zone "Mars\/Olympus"/);
  });

  it('names a check after the one column it reads, whatever the case it is written in; reports CURRENT_DATE and a foreign key between types PostgreSQL cannot compare', async () => {
    const other = await buildAppDatabase();
    try {
      other.exec(`CREATE TABLE stock (id INTEGER PRIMARY KEY, Qty INTEGER, made DATE,
        CHECK (QTY >= 0), CHECK (made <= CURRENT_DATE));
        CREATE TABLE stock_notes (stock_code TEXT REFERENCES stock (id), body TEXT)`);
      const t = translateSqlite(readSqliteSchema(other));
      assert.equal(t.model.constraints.find((c) => c.name === 'stock_Qty_check')?.definition, 'CHECK ("Qty" >= 0)');
      assert.match(t.findings.find((f) => f.table === 'stock')?.message ?? '', /CURRENT_DATE/);
      // SQLite compares a TEXT child with an INTEGER parent; PostgreSQL refuses such a foreign key.
      assert.equal(t.model.constraints.some((c) => c.table.endsWith('"stock_notes"')), false);
      assert.match(t.findings.find((f) => f.table === 'stock_notes')?.message ?? '', /stock_code becomes text but stock\.id becomes bigint/);
    } finally {
      other.close();
    }
  });

  it('writes rows as COPY text lines: same instants, booleans, bytea hex, nulls; a misfit stops the copy naming it', () => {
    const orders = translation.tables.find((t) => t.name === 'production_orders')!;
    assert.equal(copyColumns(orders), '"id", "order_no", "machine_id", "quantity", "status", "weight", "due_at", "notes", "batch_code", "payload"');
    assert.deepEqual([...copyRows(db, orders, translation.timeZone)], [
      '1\tPO-1001\t1\t500\topen\t12.5\t2024-03-08 17:00:00+02\trush\tA1\t\\\\xdeadbeef\n',
      '2\tPO-1002\t2\t40\tdone\t\\N\t2024-03-01 09:15:30+02\t\\N\t\\N\t\\N\n',
    ]);
    const users = translation.tables.find((t) => t.name === 'users')!;
    const lines = copyRows(db, users, translation.timeZone);
    assert.equal(lines.next().value, '1\tthandi@example.co.za\tThandi\ttrue\t2024-03-05 08:00:00+02\n');
    assert.equal(lines.next().value, '2\tpieter@example.co.za\tPieter\tfalse\t2024-03-05 23:30:00+02\n');
    assert.throws(() => lines.next(), /users\.email: text .* is longer than 40 characters/);
  });
});
