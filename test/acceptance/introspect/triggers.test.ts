import { strict as assert } from 'node:assert';
import type { Trigger } from '../../../src/core/model/types';
import { inspectDatabase } from '../../support/fixtures';
import { databaseOn, describeEachServer } from '../../support/servers';
import { ABSENT, byId, declareCases, modelAfter, type Case } from './support';

const T = `CREATE TABLE t (id int PRIMARY KEY, a int, b text);
  CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
  CREATE FUNCTION trg_after() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$;`;

describeEachServer('introspect: triggers', ({ server, db }) => {
  it('reads a trigger completely', async () => {
    const model = await modelAfter(db(), `${T}
      CREATE TRIGGER t_before BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION trg();
      COMMENT ON TRIGGER t_before ON t IS 'keeps rows tidy';`);
    assert.deepEqual(model.triggers, [{
      id: 'trigger:"public"."t"."t_before"',
      table: 'table:"public"."t"',
      name: 't_before',
      definition: 'CREATE TRIGGER t_before BEFORE INSERT OR UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION public.trg()',
      function: 'function:"public"."trg"()',
      timing: 'before',
      events: ['insert', 'update'],
      level: 'row',
      enabled: 'origin',
      comment: 'keeps rows tidy',
    }]);
  });

  const cases: Case<Trigger>[] = [
    {
      title: 'AFTER UPDATE OF columns, in the declared order, with a WHEN clause and arguments',
      sql: `${T} CREATE TRIGGER t_upd AFTER UPDATE OF b, a ON t FOR EACH ROW
              WHEN (OLD.a IS DISTINCT FROM NEW.a) EXECUTE FUNCTION trg_after('x', 'y')`,
      id: 'trigger:"public"."t"."t_upd"',
      expected: {
        timing: 'after', events: ['update'], updateColumns: ['b', 'a'], level: 'row', when: 'old.a IS DISTINCT FROM new.a',
        function: 'function:"public"."trg_after"()',
        definition: "CREATE TRIGGER t_upd AFTER UPDATE OF b, a ON public.t FOR EACH ROW WHEN (old.a IS DISTINCT FROM new.a) EXECUTE FUNCTION public.trg_after('x', 'y')",
      },
    },
    {
      title: 'a statement-level trigger on DELETE and TRUNCATE',
      sql: `${T} CREATE TRIGGER t_stmt AFTER DELETE OR TRUNCATE ON t FOR EACH STATEMENT EXECUTE FUNCTION trg_after()`,
      id: 'trigger:"public"."t"."t_stmt"',
      expected: { timing: 'after', events: ['delete', 'truncate'], level: 'statement', when: ABSENT, updateColumns: ABSENT, constraint: ABSENT },
    },
    {
      title: 'events in a fixed order whatever the declaration order',
      sql: `${T} CREATE TRIGGER t_all BEFORE DELETE OR UPDATE OR INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg()`,
      id: 'trigger:"public"."t"."t_all"',
      expected: { events: ['insert', 'update', 'delete'] },
    },
    {
      title: 'INSTEAD OF on a view',
      sql: `${T} CREATE VIEW v AS SELECT id, a FROM t;
            CREATE TRIGGER v_ins INSTEAD OF INSERT OR DELETE ON v FOR EACH ROW EXECUTE FUNCTION trg();`,
      id: 'trigger:"public"."v"."v_ins"',
      expected: { table: 'view:"public"."v"', timing: 'instead of', events: ['insert', 'delete'], level: 'row' },
    },
    {
      title: 'disabled',
      sql: `${T} CREATE TRIGGER t_x AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg_after(); ALTER TABLE t DISABLE TRIGGER t_x;`,
      id: 'trigger:"public"."t"."t_x"',
      expected: { enabled: 'disabled' },
    },
    {
      title: 'enabled for replica only',
      sql: `${T} CREATE TRIGGER t_x AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg_after(); ALTER TABLE t ENABLE REPLICA TRIGGER t_x;`,
      id: 'trigger:"public"."t"."t_x"',
      expected: { enabled: 'replica' },
    },
    {
      title: 'enabled always',
      sql: `${T} CREATE TRIGGER t_x AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg_after(); ALTER TABLE t ENABLE ALWAYS TRIGGER t_x;`,
      id: 'trigger:"public"."t"."t_x"',
      expected: { enabled: 'always' },
    },
    {
      title: 'disabled then enabled again reads as the default',
      sql: `${T} CREATE TRIGGER t_x AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg_after();
            ALTER TABLE t DISABLE TRIGGER ALL; ALTER TABLE t ENABLE TRIGGER t_x;`,
      id: 'trigger:"public"."t"."t_x"',
      expected: { enabled: 'origin' },
    },
    {
      title: 'a constraint trigger, deferrable initially deferred',
      sql: `${T} CREATE CONSTRAINT TRIGGER t_check AFTER INSERT OR UPDATE ON t DEFERRABLE INITIALLY DEFERRED
              FOR EACH ROW EXECUTE FUNCTION trg_after()`,
      id: 'trigger:"public"."t"."t_check"',
      expected: {
        constraint: { deferrable: true, initiallyDeferred: true },
        definition: 'CREATE CONSTRAINT TRIGGER t_check AFTER INSERT OR UPDATE ON public.t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.trg_after()',
      },
    },
    {
      title: 'a constraint trigger, not deferrable',
      sql: `${T} CREATE CONSTRAINT TRIGGER t_check AFTER DELETE ON t FOR EACH ROW EXECUTE FUNCTION trg_after()`,
      id: 'trigger:"public"."t"."t_check"',
      expected: { constraint: { deferrable: false, initiallyDeferred: false } },
    },
    {
      title: 'transition tables',
      sql: `${T} CREATE TRIGGER t_trans AFTER UPDATE ON t REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
              FOR EACH STATEMENT EXECUTE FUNCTION trg_after()`,
      id: 'trigger:"public"."t"."t_trans"',
      expected: { oldTable: 'old_rows', newTable: 'new_rows', level: 'statement' },
    },
    {
      title: 'a NEW TABLE transition table alone',
      sql: `${T} CREATE TRIGGER t_ins AFTER INSERT ON t REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION trg_after()`,
      id: 'trigger:"public"."t"."t_ins"',
      expected: { newTable: 'inserted', oldTable: ABSENT },
    },
    {
      title: 'a row trigger on a partitioned table',
      sql: `${T} CREATE TABLE p (id int, k int) PARTITION BY RANGE (k);
            CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
            CREATE TRIGGER p_row AFTER INSERT ON p FOR EACH ROW EXECUTE FUNCTION trg_after();`,
      id: 'trigger:"public"."p"."p_row"',
      expected: { table: 'table:"public"."p"', level: 'row', inherited: ABSENT },
    },
  ];
  declareCases(db, (m) => m.triggers, cases);

  it('the clones of a partitioned table\'s row trigger on its partitions do not appear', async () => {
    const model = await modelAfter(db(), `${T}
      CREATE TABLE p (id int, k int) PARTITION BY RANGE (k);
      CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
      CREATE TRIGGER p_row AFTER INSERT ON p FOR EACH ROW EXECUTE FUNCTION trg_after();
      CREATE TRIGGER p_stmt AFTER INSERT ON p FOR EACH STATEMENT EXECUTE FUNCTION trg_after();
      CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (10) TO (20);
      CREATE TRIGGER p1_own BEFORE UPDATE ON p1 FOR EACH ROW EXECUTE FUNCTION trg();`);
    const [clones] = await db().query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid IN ('p1'::regclass, 'p2'::regclass) AND tgname = 'p_row'",
    );
    assert.equal(clones?.n, 2, 'the catalog holds a clone on each partition');
    assert.deepEqual(model.triggers.map((t) => t.id), [
      'trigger:"public"."p"."p_row"',
      'trigger:"public"."p"."p_stmt"',
      'trigger:"public"."p1"."p1_own"',
    ]);
  });

  it('internal triggers of foreign keys do not appear', async () => {
    const model = await modelAfter(db(), 'CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (a int REFERENCES a)');
    const [internal] = await db().query<{ n: number }>('SELECT count(*)::int AS n FROM pg_trigger WHERE tgisinternal');
    assert.ok((internal?.n ?? 0) >= 4, 'the foreign key made internal triggers');
    assert.deepEqual(model.triggers, []);
  });

  it('arguments that look like a WHEN clause are not one', async () => {
    const model = await modelAfter(db(), `${T}
      CREATE TRIGGER t_note AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg_after('fires WHEN (a > 1) EXECUTE FUNCTION x ');`);
    const trigger = byId(model.triggers, 'trigger:"public"."t"."t_note"');
    assert.equal(trigger.definition,
      "CREATE TRIGGER t_note AFTER INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.trg_after('fires WHEN (a > 1) EXECUTE FUNCTION x ')");
    assert.equal('when' in trigger, false);
  });

  it('a WHEN clause is read whole when arguments or literals contain ") EXECUTE FUNCTION "', async () => {
    const model = await modelAfter(db(), `${T}
      CREATE TRIGGER t_args AFTER UPDATE ON t FOR EACH ROW WHEN (NEW.a > 0)
        EXECUTE FUNCTION trg_after('x) EXECUTE FUNCTION y', 'z');
      CREATE TRIGGER t_lit AFTER UPDATE ON t FOR EACH ROW WHEN (NEW.b <> ') EXECUTE FUNCTION (')
        EXECUTE FUNCTION trg_after();
      CREATE TRIGGER "t WHEN (" AFTER UPDATE ON t FOR EACH ROW WHEN ((NEW.a + 1) * 2 > (OLD.a))
        EXECUTE FUNCTION trg_after(')');`);
    assert.equal(byId(model.triggers, 'trigger:"public"."t"."t_args"').when, 'new.a > 0');
    assert.equal(byId(model.triggers, 'trigger:"public"."t"."t_lit"').when, "new.b <> ') EXECUTE FUNCTION ('::text");
    assert.equal(byId(model.triggers, 'trigger:"public"."t"."t WHEN ("').when, '((new.a + 1) * 2) > old.a');
  });

  it('a trigger calling a function the model does not hold names it without an oid', async () => {
    // tcn's trigger function is an extension member, suppress_redundant_updates_trigger a built-in:
    // neither is in the model, and the reference must read the same in every database.
    const sql = `CREATE EXTENSION tcn; CREATE TABLE t (id int PRIMARY KEY, a int);
      CREATE TRIGGER t_notify AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION triggered_change_notification();
      CREATE TRIGGER t_same BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();`;
    const model = await modelAfter(db(), sql);
    assert.equal(byId(model.triggers, 'trigger:"public"."t"."t_notify"').function, 'function:"public"."triggered_change_notification"()');
    assert.equal(byId(model.triggers, 'trigger:"public"."t"."t_same"').function, 'function:"pg_catalog"."suppress_redundant_updates_trigger"()');
    const other = await databaseOn(server);
    try {
      // Burn some oids so the extension's function gets another oid in the second database.
      await other.exec(`CREATE TABLE burn (a int); DROP TABLE burn; ${sql}`);
      const a = await inspectDatabase(db());
      const b = await inspectDatabase(other);
      assert.deepEqual(b.model.triggers, a.model.triggers);
      assert.equal(b.fingerprint, a.fingerprint);
    } finally {
      await other.drop();
    }
  });
});
