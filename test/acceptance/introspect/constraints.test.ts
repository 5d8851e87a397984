import { strict as assert } from 'node:assert';
import type { Constraint } from '../../../src/core/model/types';
import { describeEachServer } from '../../support/servers';
import { ABSENT, byId, declareCases, modelAfter, type Case } from './support';

const JOB = `CREATE TABLE "Job" (id int PRIMARY KEY, code text UNIQUE, a int, b int);`;

describeEachServer('introspect: constraints', ({ server, db }) => {
  it('reads a foreign key completely', async () => {
    const model = await modelAfter(db(), `${JOB}
      CREATE TABLE entry (id int, "jobId" int,
        CONSTRAINT entry_job_fk FOREIGN KEY ("jobId") REFERENCES "Job"(id) ON DELETE CASCADE ON UPDATE SET NULL);
      COMMENT ON CONSTRAINT entry_job_fk ON entry IS 'entries die with their job';`);
    assert.deepEqual(byId(model.constraints, 'constraint:"public"."entry"."entry_job_fk"'), {
      id: 'constraint:"public"."entry"."entry_job_fk"',
      table: 'table:"public"."entry"',
      name: 'entry_job_fk',
      kind: 'foreign key',
      definition: 'FOREIGN KEY ("jobId") REFERENCES public."Job"(id) ON UPDATE SET NULL ON DELETE CASCADE',
      columns: ['jobId'],
      deferrable: false,
      initiallyDeferred: false,
      validated: true,
      enforced: true,
      comment: 'entries die with their job',
      foreignKey: { referencedTable: 'table:"public"."Job"', referencedColumns: ['id'], onUpdate: 'set null', onDelete: 'cascade', match: 'simple' },
    });
  });

  const cases: Case<Constraint>[] = [
    {
      title: 'a primary key over two columns',
      sql: 'CREATE TABLE t (a int, b int, CONSTRAINT t_pk PRIMARY KEY (b, a))',
      id: 'constraint:"public"."t"."t_pk"',
      expected: {
        table: 'table:"public"."t"', kind: 'primary key', definition: 'PRIMARY KEY (b, a)', columns: ['b', 'a'],
        deferrable: false, initiallyDeferred: false, validated: true, enforced: true, inherited: ABSENT, foreignKey: ABSENT, comment: ABSENT,
      },
    },
    {
      title: 'a unique constraint, deferrable initially deferred',
      sql: 'CREATE TABLE t (a int, CONSTRAINT t_a_key UNIQUE (a) DEFERRABLE INITIALLY DEFERRED)',
      id: 'constraint:"public"."t"."t_a_key"',
      expected: { kind: 'unique', definition: 'UNIQUE (a) DEFERRABLE INITIALLY DEFERRED', deferrable: true, initiallyDeferred: true, nullsNotDistinct: ABSENT },
    },
    {
      title: 'a unique constraint with INCLUDE columns',
      sql: 'CREATE TABLE t (a int, b text, CONSTRAINT t_a_key UNIQUE (a) INCLUDE (b))',
      id: 'constraint:"public"."t"."t_a_key"',
      expected: { kind: 'unique', definition: 'UNIQUE (a) INCLUDE (b)', columns: ['a'] },
    },
    {
      title: 'a primary key whose index has storage parameters (they are on the index, not in the definition)',
      sql: 'CREATE TABLE t (a int, CONSTRAINT t_pk PRIMARY KEY (a) WITH (fillfactor = 70))',
      id: 'constraint:"public"."t"."t_pk"',
      expected: { kind: 'primary key', definition: 'PRIMARY KEY (a)', columns: ['a'] },
    },
    {
      title: 'a check constraint over two columns',
      sql: 'CREATE TABLE t (a int, b int, CONSTRAINT t_order CHECK (a < b))',
      id: 'constraint:"public"."t"."t_order"',
      expected: { kind: 'check', definition: 'CHECK (a < b)', columns: ['a', 'b'], validated: true },
    },
    {
      title: 'a check constraint added NOT VALID',
      sql: 'CREATE TABLE t (a int); INSERT INTO t VALUES (-1); ALTER TABLE t ADD CONSTRAINT t_pos CHECK (a > 0) NOT VALID',
      id: 'constraint:"public"."t"."t_pos"',
      expected: { kind: 'check', definition: 'CHECK (a > 0) NOT VALID', validated: false },
    },
    {
      title: 'a NOT VALID check validated afterwards',
      sql: 'CREATE TABLE t (a int); ALTER TABLE t ADD CONSTRAINT t_pos CHECK (a > 0) NOT VALID; ALTER TABLE t VALIDATE CONSTRAINT t_pos',
      id: 'constraint:"public"."t"."t_pos"',
      expected: { definition: 'CHECK (a > 0)', validated: true },
    },
    {
      title: 'a check constraint NO INHERIT',
      sql: 'CREATE TABLE t (a int, CONSTRAINT t_pos CHECK (a > 0) NO INHERIT)',
      id: 'constraint:"public"."t"."t_pos"',
      expected: { definition: 'CHECK (a > 0) NO INHERIT', inherited: ABSENT },
    },
    {
      title: 'a foreign key MATCH FULL, deferrable initially deferred, over two columns',
      sql: `CREATE TABLE ref (x int, y int, PRIMARY KEY (x, y));
            CREATE TABLE t (x int, y int, CONSTRAINT t_ref FOREIGN KEY (x, y) REFERENCES ref MATCH FULL DEFERRABLE INITIALLY DEFERRED);`,
      id: 'constraint:"public"."t"."t_ref"',
      expected: {
        definition: 'FOREIGN KEY (x, y) REFERENCES public.ref(x, y) MATCH FULL DEFERRABLE INITIALLY DEFERRED',
        columns: ['x', 'y'], deferrable: true, initiallyDeferred: true,
        foreignKey: { referencedTable: 'table:"public"."ref"', referencedColumns: ['x', 'y'], onUpdate: 'no action', onDelete: 'no action', match: 'full' },
      },
    },
    {
      title: 'a foreign key added NOT VALID, ON DELETE RESTRICT',
      sql: `${JOB} CREATE TABLE t (j int); ALTER TABLE t ADD CONSTRAINT t_job FOREIGN KEY (j) REFERENCES "Job" ON DELETE RESTRICT NOT VALID;`,
      id: 'constraint:"public"."t"."t_job"',
      expected: {
        definition: 'FOREIGN KEY (j) REFERENCES public."Job"(id) ON DELETE RESTRICT NOT VALID', validated: false,
        foreignKey: { onDelete: 'restrict', onUpdate: 'no action', match: 'simple' },
      },
    },
    {
      title: 'a foreign key to a unique column, ON DELETE SET DEFAULT ON UPDATE CASCADE',
      sql: `${JOB} CREATE TABLE t (c text DEFAULT 'x', CONSTRAINT t_code FOREIGN KEY (c) REFERENCES "Job"(code) ON DELETE SET DEFAULT ON UPDATE CASCADE);`,
      id: 'constraint:"public"."t"."t_code"',
      expected: { foreignKey: { referencedTable: 'table:"public"."Job"', referencedColumns: ['code'], onDelete: 'set default', onUpdate: 'cascade' } },
    },
    {
      title: 'a self-referencing foreign key',
      sql: 'CREATE TABLE node (id int PRIMARY KEY, parent int CONSTRAINT node_parent REFERENCES node)',
      id: 'constraint:"public"."node"."node_parent"',
      expected: { table: 'table:"public"."node"', foreignKey: { referencedTable: 'table:"public"."node"', referencedColumns: ['id'] } },
    },
    {
      title: 'a foreign key to a table in another schema',
      sql: `CREATE SCHEMA hr; CREATE TABLE hr.person (id int PRIMARY KEY);
            CREATE TABLE t (p int CONSTRAINT t_person REFERENCES hr.person);`,
      id: 'constraint:"public"."t"."t_person"',
      expected: { definition: 'FOREIGN KEY (p) REFERENCES hr.person(id)', foreignKey: { referencedTable: 'table:"hr"."person"' } },
    },
    {
      title: 'an exclusion constraint with btree_gist',
      sql: `CREATE EXTENSION btree_gist;
            CREATE TABLE booking (room int, during tsrange, CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&));`,
      id: 'constraint:"public"."booking"."no_overlap"',
      expected: { kind: 'exclusion', definition: 'EXCLUDE USING gist (room WITH =, during WITH &&)', columns: ['room', 'during'], foreignKey: ABSENT },
    },
    {
      title: 'an exclusion constraint on a range, deferrable, with a predicate',
      sql: `CREATE TABLE r (during int4range, active boolean,
              CONSTRAINT r_excl EXCLUDE USING gist (during WITH &&) WHERE (active) DEFERRABLE INITIALLY DEFERRED);`,
      id: 'constraint:"public"."r"."r_excl"',
      expected: {
        kind: 'exclusion', definition: 'EXCLUDE USING gist (during WITH &&) WHERE (active) DEFERRABLE INITIALLY DEFERRED',
        columns: ['during'], deferrable: true, initiallyDeferred: true,
      },
    },
    {
      title: 'an exclusion constraint over an expression and a column: only the column is named',
      sql: `CREATE TABLE e (name varchar(255), code int,
              CONSTRAINT e_ex EXCLUDE USING btree (lower(name::text) WITH =, code WITH =) WHERE (name::text <> ''));`,
      id: 'constraint:"public"."e"."e_ex"',
      expected: {
        kind: 'exclusion', definition: "EXCLUDE USING btree (lower(name::text) WITH =, code WITH =) WHERE (name::text <> ''::text)",
        columns: ['code'],
      },
    },
    {
      title: 'a check inherited by a child table',
      sql: 'CREATE TABLE parent (a int CONSTRAINT a_pos CHECK (a > 0)); CREATE TABLE child () INHERITS (parent);',
      id: 'constraint:"public"."child"."a_pos"',
      expected: { table: 'table:"public"."child"', definition: 'CHECK (a > 0)', inherited: true },
    },
    {
      title: 'the primary key cloned onto a partition',
      sql: `CREATE TABLE p (id int, k int, PRIMARY KEY (id, k)) PARTITION BY LIST (k);
            CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);`,
      id: 'constraint:"public"."p1"."p1_pkey"',
      expected: { kind: 'primary key', columns: ['id', 'k'], inherited: true },
    },
    {
      title: 'a foreign key of a partitioned table, cloned onto its partitions',
      sql: `${JOB}
            CREATE TABLE p (j int CONSTRAINT p_job REFERENCES "Job", k int) PARTITION BY LIST (k);
            CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);`,
      id: 'constraint:"public"."p1"."p_job"',
      expected: { kind: 'foreign key', inherited: true, foreignKey: { referencedTable: 'table:"public"."Job"' } },
    },
  ];
  declareCases(db, (m) => m.constraints, cases);

  if (server.major >= 15) {
    declareCases<Constraint>(db, (m) => m.constraints, [
      {
        title: 'a unique constraint NULLS NOT DISTINCT (PostgreSQL 15+)',
        sql: 'CREATE TABLE t (a int, CONSTRAINT t_a_key UNIQUE NULLS NOT DISTINCT (a))',
        id: 'constraint:"public"."t"."t_a_key"',
        expected: { kind: 'unique', definition: 'UNIQUE NULLS NOT DISTINCT (a)', nullsNotDistinct: true },
      },
      {
        title: 'a foreign key ON DELETE SET NULL of some columns (PostgreSQL 15+)',
        sql: `CREATE TABLE ref (t int, id int, PRIMARY KEY (t, id));
              CREATE TABLE t (t int, r int, CONSTRAINT t_ref FOREIGN KEY (t, r) REFERENCES ref ON DELETE SET NULL (r));`,
        id: 'constraint:"public"."t"."t_ref"',
        expected: { definition: 'FOREIGN KEY (t, r) REFERENCES public.ref(t, id) ON DELETE SET NULL (r)', foreignKey: { onDelete: 'set null' } },
      },
    ]);
  }

  if (server.major >= 18) {
    declareCases<Constraint>(db, (m) => m.constraints, [
      {
        title: 'a check NOT ENFORCED (PostgreSQL 18)',
        sql: 'CREATE TABLE t (a int, CONSTRAINT t_pos CHECK (a > 0) NOT ENFORCED)',
        id: 'constraint:"public"."t"."t_pos"',
        expected: { definition: 'CHECK (a > 0) NOT ENFORCED', enforced: false, validated: false },
      },
      {
        title: 'a foreign key NOT ENFORCED (PostgreSQL 18)',
        sql: `${JOB} CREATE TABLE t (j int, CONSTRAINT t_job FOREIGN KEY (j) REFERENCES "Job" NOT ENFORCED);`,
        id: 'constraint:"public"."t"."t_job"',
        expected: { definition: 'FOREIGN KEY (j) REFERENCES public."Job"(id) NOT ENFORCED', enforced: false, validated: false },
      },
    ]);
  }

  it('lists only the foreign key itself when it references a partitioned table', async () => {
    const model = await modelAfter(db(), `
      CREATE TABLE p (id int, k int, PRIMARY KEY (id, k)) PARTITION BY LIST (k);
      CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);
      CREATE TABLE p2 PARTITION OF p FOR VALUES IN (2);
      CREATE TABLE r (id int, k int, CONSTRAINT r_p FOREIGN KEY (id, k) REFERENCES p);`);
    const [rows] = await db().query<{ n: number }>("SELECT count(*)::int AS n FROM pg_constraint WHERE conrelid = 'r'::regclass AND contype = 'f'");
    assert.ok((rows?.n ?? 0) > 1, 'the catalog holds one foreign key row per referenced partition');
    assert.deepEqual(model.constraints.filter((c) => c.table === 'table:"public"."r"').map((c) => c.name), ['r_p']);
    assert.equal(byId(model.constraints, 'constraint:"public"."r"."r_p"').foreignKey?.referencedTable, 'table:"public"."p"');
  });

  it('NOT NULL is read from the column, never as a constraint (PostgreSQL 18 stores it as one)', async () => {
    const model = await modelAfter(db(), 'CREATE TABLE t (a int CONSTRAINT a_nn NOT NULL, b int NOT NULL, c int)');
    assert.deepEqual(model.constraints, []);
    assert.deepEqual(byId(model.tables, 'table:"public"."t"').columns.map((c) => c.notNull), [true, true, false]);
  });

  it('constraint triggers are not constraints', async () => {
    const model = await modelAfter(db(), `CREATE TABLE t (a int);
      CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$;
      CREATE CONSTRAINT TRIGGER ct AFTER INSERT ON t DEFERRABLE FOR EACH ROW EXECUTE FUNCTION f();`);
    assert.deepEqual(model.constraints, []);
    assert.deepEqual(model.triggers.map((t) => t.id), ['trigger:"public"."t"."ct"']);
  });
});
