// A SQLite application's schema translated by pgdrift and created on a real PostgreSQL by the
// planner (from the empty database's introspection to the translation): the tables, identities,
// foreign keys with their actions, checks and indexes exist as intended, introspecting the result
// gives back the translation, and the value conversion agrees with PostgreSQL's own reading of
// wall-clock time in a zone, daylight-saving edges included.
import { strict as assert } from 'node:assert';
import type { Database } from 'sql.js';
import { connectPg } from '../../../src/core/db/pgConnection';
import { introspect, introspectTargetOf } from '../../../src/core/introspect';
import type { SchemaModel } from '../../../src/core/model/types';
import { planMigration } from '../../../src/core/plan';
import { copyColumns, copyRows, findMisfits, nextIdentityValue, readSqliteSchema, toPostgresText, translateSqlite, type SqliteTranslation } from '../../../src/core/sqlite';
import { runPsql } from '../../support/psql';
import { describeEachServer, type TestDatabase } from '../../support/servers';
import { buildAppDatabase } from '../../support/sqliteApp';

async function modelOf(db: TestDatabase): Promise<SchemaModel> {
  const connection = await connectPg(db.target);
  try {
    return (await introspect(introspectTargetOf(connection))).model;
  } finally {
    await connection.close();
  }
}

describeEachServer('SQLite: translated schema on PostgreSQL', ({ db }) => {
  let sqlite: Database;
  let translation: SqliteTranslation;
  before(async () => {
    sqlite = await buildAppDatabase();
    translation = translateSqlite(readSqliteSchema(sqlite), { timeZone: 'Africa/Johannesburg' });
  });
  after(() => sqlite.close());

  async function createTranslation(): Promise<SchemaModel> {
    const plan = planMigration(await modelOf(db()), translation.model);
    for (const statement of plan.statements) await db().exec(statement.sql);
    return modelOf(db());
  }

  it('creates the tables, identities, foreign keys, checks and indexes, and introspects back to the translation', async () => {
    const created = await createTranslation();
    assert.deepEqual(created.tables.map((t) => t.name), ['machines', 'production_orders', 'shifts', 'users']);
    const columns = await db().query<{ t: string; c: string; type: string; nn: boolean; identity: string; def: string | null }>(`
      SELECT c.relname AS t, a.attname AS c, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS nn, a.attidentity AS identity,
        pg_get_expr(d.adbin, d.adrelid) AS def
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND c.relname = 'users' ORDER BY a.attnum`);
    assert.deepEqual(columns.map((r) => [r.c, r.type, r.nn, r.identity, r.def]), [
      ['id', 'bigint', true, 'd', null],
      ['email', 'character varying(40)', true, '', null],
      ['name', 'text', false, '', null],
      ['active', 'boolean', true, '', 'true'],
      ['created_at', 'timestamp with time zone', false, '', 'now()'],
    ]);
    const constraints = await db().query<{ name: string; def: string }>(`
      SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace AND contype IN ('f', 'c', 'u') ORDER BY conname`);
    assert.deepEqual(constraints.map((r) => [r.name, r.def]), [
      ['machines_code_key', 'UNIQUE (code)'],
      ['production_orders_machine_id_fkey', 'FOREIGN KEY (machine_id) REFERENCES machines(id) ON DELETE CASCADE'],
      ['production_orders_notes_check', 'CHECK ((length(notes) <= 500))'],
      ['production_orders_quantity_check', 'CHECK ((quantity > 0))'],
      ['shift_order', 'CHECK (((ended_at IS NULL) OR (ended_at > started_at)))'],
      ['shifts_machine_id_fkey', 'FOREIGN KEY (machine_id) REFERENCES machines(id) ON DELETE CASCADE'],
      ['shifts_operator_id_fkey', 'FOREIGN KEY (operator_id) REFERENCES users(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED'],
    ]);
    const indexes = await db().query<{ def: string }>(`SELECT indexdef AS def FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`);
    assert.deepEqual(indexes.map((r) => r.def), [
      'CREATE UNIQUE INDEX machines_code_key ON public.machines USING btree (code)',
      'CREATE UNIQUE INDEX machines_pkey ON public.machines USING btree (id)',
      "CREATE INDEX production_orders_open ON public.production_orders USING btree (machine_id, due_at DESC) WHERE (status = 'open'::text)",
      'CREATE UNIQUE INDEX production_orders_pkey ON public.production_orders USING btree (id)',
      'CREATE UNIQUE INDEX shifts_pkey ON public.shifts USING btree (id)',
      'CREATE UNIQUE INDEX users_email_unique ON public.users USING btree (email)',
      'CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)',
    ]);
    // The cascade works as SQLite's did: deleting a machine deletes its shifts and orders.
    await db().exec(`INSERT INTO machines (code) VALUES ('PRESS-1'); INSERT INTO shifts (machine_id, started_at) VALUES (1, now());
      INSERT INTO production_orders (order_no, machine_id, quantity) VALUES ('PO-1', 1, 5); DELETE FROM machines;`);
    assert.deepEqual(await db().query('SELECT * FROM shifts UNION ALL SELECT NULL, NULL, NULL, NULL, NULL FROM production_orders'), []);
    await assert.rejects(db().exec("INSERT INTO machines (code) VALUES ('X'); INSERT INTO production_orders (order_no, machine_id, quantity) VALUES ('PO-2', 2, 0)"), /production_orders_quantity_check/);
  });

  it('loads the COPY lines of the data once the misfits are fixed: same instants, booleans, bytes; identities continue', async () => {
    await createTranslation();
    const fixed = await buildAppDatabase();
    try {
      fixed.exec(`UPDATE machines SET capacity_per_hour = NULL WHERE id = 2; UPDATE machines SET retired = 1 WHERE id = 3;
        UPDATE shifts SET ended_at = NULL WHERE id = 3; UPDATE users SET email = 'anon@example.co.za' WHERE id = 3;
        DELETE FROM production_orders WHERE id = 2; INSERT INTO production_orders (id, order_no, machine_id, quantity) VALUES (7, 'PO-7', 1, 1);
        DELETE FROM production_orders WHERE id = 7;`);
      assert.deepEqual(findMisfits(fixed, translation), []);
      let script = '';
      for (const name of ['users', 'machines', 'shifts', 'production_orders']) {
        const table = translation.tables.find((t) => t.name === name)!;
        script += `COPY public.${name} (${copyColumns(table)}) FROM STDIN;\n${[...copyRows(fixed, table, translation.timeZone)].join('')}\\.\n`;
        script += `ALTER TABLE public.${name} ALTER COLUMN id RESTART WITH ${String(nextIdentityValue(fixed, table))};\n`;
      }
      const loaded = await runPsql(db().url, script);
      assert.equal(loaded.ok, true, loaded.firstError);
      const counts = await db().query<{ n: string }>(`SELECT (SELECT count(*) FROM users) || ' ' || (SELECT count(*) FROM machines) || ' ' ||
        (SELECT count(*) FROM shifts) || ' ' || (SELECT count(*) FROM production_orders) AS n`);
      assert.equal(counts[0]?.n, '3 3 3 1');
      const users = await db().query<{ id: string; active: boolean; utc: string }>(
        `SELECT id, active, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS utc FROM users ORDER BY id`);
      assert.deepEqual(users.map((u) => [u.id, u.active, u.utc]), [
        ['1', true, '2024-03-05 06:00:00'], ['2', false, '2024-03-05 21:30:00'], ['3', true, '2023-12-31 22:00:00'],
      ]);
      const [order] = await db().query<{ payload: string; weight: number; due: string }>(
        `SELECT encode(payload, 'hex') AS payload, weight, to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS due FROM production_orders`);
      assert.deepEqual(order, { payload: 'deadbeef', weight: 12.5, due: '2024-03-08 15:00:00' });
      // AUTOINCREMENT handed out 7 before its row was deleted: PostgreSQL continues at 8, as SQLite would.
      const [next] = await db().query<{ id: string }>("INSERT INTO production_orders (order_no, machine_id, quantity) VALUES ('PO-8', 1, 1) RETURNING id");
      assert.equal(next?.id, '8');
      const [user] = await db().query<{ id: string }>("INSERT INTO users (email) VALUES ('new@example.co.za') RETURNING id");
      assert.equal(user?.id, '4');
    } finally {
      fixed.close();
    }
  });

  it('leaves no difference between the created database and the translation', async () => {
    const created = await createTranslation();
    const again = planMigration(created, translation.model);
    assert.deepEqual(again.statements.map((s) => s.sql), []);
  });

  it('reads wall-clock text in a zone as PostgreSQL does, daylight-saving edges included', async () => {
    const cases: [string, string][] = [
      ['Africa/Johannesburg', '2024-03-05 08:00:00'], ['Africa/Johannesburg', '2024-03-05 23:30:00.125'],
      ['Europe/London', '2024-10-27 01:30:00'], ['Europe/London', '2024-03-31 01:30:00'], ['Europe/London', '2024-07-01 12:00:00'],
      ['America/New_York', '2024-03-10 02:30:00'], ['America/New_York', '2024-11-03 01:30:00'], ['Australia/Lord_Howe', '2024-04-07 01:45:00'],
    ];
    for (const [zone, wall] of cases) {
      const converted = toPostgresText(wall, { kind: 'timestamptz' }, zone);
      assert.ok('text' in converted && converted.text !== null, `${zone} ${wall}`);
      await db().exec(`SET TimeZone = '${zone}'`);
      const [row] = await db().query<{ same: boolean; pg: string }>(
        'SELECT $1::timestamptz = $2::timestamptz AS same, $2::timestamptz::text AS pg', [converted.text, wall]);
      assert.equal(row?.same, true, `${zone} ${wall}: pgdrift ${converted.text}, PostgreSQL ${row?.pg}`);
    }
  });

  it('agrees with PostgreSQL on every half hour of a year in zones with daylight saving', async function () {
    this.timeout(60_000);
    for (const zone of ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'America/Sao_Paulo']) {
      const walls: string[] = [];
      const texts: string[] = [];
      // 2018: São Paulo still had daylight saving (it ended in 2019).
      for (let t = Date.UTC(2018, 0, 1); t < Date.UTC(2019, 0, 1); t += 30 * 60_000) {
        const wall = new Date(t).toISOString().replace('T', ' ').slice(0, 19);
        const converted = toPostgresText(wall, { kind: 'timestamptz' }, zone);
        assert.ok('text' in converted && converted.text !== null);
        walls.push(wall);
        texts.push(converted.text);
      }
      await db().exec(`SET TimeZone = '${zone}'`);
      const differ = await db().query<{ wall: string; ours: string }>(
        'SELECT w AS wall, o AS ours FROM unnest($1::text[], $2::text[]) AS x(w, o) WHERE w::timestamptz <> o::timestamptz LIMIT 5', [walls, texts]);
      assert.deepEqual(differ, [], zone);
    }
  });
});
