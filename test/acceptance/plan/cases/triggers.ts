import type { ConvergenceCase } from '../../../support/convergence';

const touch = `CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated := now(); RETURN NEW; END $$;`;

export const triggers: ConvergenceCase[] = [
  {
    name: 'trigger whose function is new',
    expectedSql: `CREATE OR REPLACE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql
      AS $function$ BEGIN NEW.updated := now(); RETURN NEW; END $function$;
      CREATE TRIGGER t_touch BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION public.touch();`,
    from: 'CREATE TABLE t (id int, updated timestamptz);',
    to: `CREATE TABLE t (id int, updated timestamptz); ${touch}
      CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();`,
    seed: 'INSERT INTO t VALUES (1, NULL);',
  },
  {
    name: 'trigger on a new table with a new function',
    from: '',
    to: `CREATE TABLE t (id int, updated timestamptz); ${touch}
      CREATE TRIGGER t_touch BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();`,
  },
  {
    name: 'trigger function body changed',
    from: `CREATE TABLE t (id int, updated timestamptz); ${touch}
      CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();`,
    to: `CREATE TABLE t (id int, updated timestamptz);
      CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated := clock_timestamp(); RETURN NEW; END $$;
      CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();`,
  },
  {
    name: 'trigger events and UPDATE OF columns changed',
    from: `CREATE TABLE t (id int, a int, updated timestamptz); ${touch}
      CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();`,
    to: `CREATE TABLE t (id int, a int, updated timestamptz); ${touch}
      CREATE TRIGGER t_touch BEFORE INSERT OR UPDATE OF a ON t FOR EACH ROW EXECUTE FUNCTION touch();`,
  },
  {
    name: 'trigger with WHEN',
    from: `CREATE TABLE t (id int, a int, updated timestamptz); ${touch}`,
    to: `CREATE TABLE t (id int, a int, updated timestamptz); ${touch}
      CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW WHEN (OLD.a IS DISTINCT FROM NEW.a) EXECUTE FUNCTION touch();`,
  },
  {
    name: 'trigger disabled',
    from: `CREATE TABLE t (id int, updated timestamptz); ${touch}
      CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();`,
    to: `CREATE TABLE t (id int, updated timestamptz); ${touch}
      CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
      ALTER TABLE t DISABLE TRIGGER t_touch;`,
  },
  {
    name: 'statement trigger with transition table writing another table',
    from: 'CREATE TABLE t (id int); CREATE TABLE audit (n bigint);',
    to: `CREATE TABLE t (id int); CREATE TABLE audit (n bigint);
      CREATE FUNCTION count_new() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO audit SELECT count(*) FROM new_rows; RETURN NULL; END $$;
      CREATE TRIGGER t_count AFTER INSERT ON t REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_new();`,
  },
  {
    name: 'constraint trigger',
    from: 'CREATE TABLE t (id int);',
    to: `CREATE TABLE t (id int);
      CREATE FUNCTION check_t() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
      CREATE CONSTRAINT TRIGGER t_check AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_t();`,
  },
  {
    name: 'INSTEAD OF trigger on a view',
    from: 'CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t;',
    to: `CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t;
      CREATE FUNCTION v_ins() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO t VALUES (NEW.a); RETURN NEW; END $$;
      CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION v_ins();`,
  },
  {
    name: 'trigger function replaced by another',
    from: `CREATE TABLE t (id int, updated timestamptz); ${touch}
      CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();`,
    to: `CREATE TABLE t (id int, updated timestamptz);
      CREATE FUNCTION touch2() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated := now(); RETURN NEW; END $$;
      CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch2();`,
  },
  {
    name: 'trigger comment',
    from: `CREATE TABLE t (id int, updated timestamptz); ${touch}
      CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();`,
    to: `CREATE TABLE t (id int, updated timestamptz); ${touch}
      CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
      COMMENT ON TRIGGER t_touch ON t IS 'keeps updated current';`,
  },
];
