import type { ConvergenceCase } from '../../../support/convergence';

// Roles are cluster-wide and survive the case; creating them must be idempotent.
const roles = `DO $$ BEGIN CREATE ROLE pgdrift_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE pgdrift_writer; EXCEPTION WHEN duplicate_object THEN NULL; END $$;`;

const doc = 'CREATE TABLE doc (id int PRIMARY KEY, owner text NOT NULL, body text);';

export const policies: ConvergenceCase[] = [
  { name: 'row level security enabled', from: doc, to: `${doc} ALTER TABLE doc ENABLE ROW LEVEL SECURITY;`, seed: `INSERT INTO doc VALUES (1, 'a', 'x');` },
  {
    name: 'row level security enabled and forced',
    expectedSql: `ALTER TABLE "public"."doc" ENABLE ROW LEVEL SECURITY; ALTER TABLE "public"."doc" FORCE ROW LEVEL SECURITY;`,
    from: doc,
    to: `${doc} ALTER TABLE doc ENABLE ROW LEVEL SECURITY; ALTER TABLE doc FORCE ROW LEVEL SECURITY;`,
  },
  {
    name: 'policy added',
    from: `${doc} ALTER TABLE doc ENABLE ROW LEVEL SECURITY;`,
    to: `${doc} ALTER TABLE doc ENABLE ROW LEVEL SECURITY;
      CREATE POLICY own_rows ON doc USING (owner = current_user);`,
  },
  {
    name: 'policy for roles and one command, with check',
    roles,
    from: doc,
    to: `${doc} ALTER TABLE doc ENABLE ROW LEVEL SECURITY;
      CREATE POLICY writers ON doc FOR INSERT TO pgdrift_writer WITH CHECK (owner = current_user);
      CREATE POLICY readers ON doc AS RESTRICTIVE FOR SELECT TO pgdrift_reader, pgdrift_writer USING (body IS NOT NULL);`,
  },
  {
    name: 'policy expression changed',
    from: `${doc} ALTER TABLE doc ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON doc USING (owner = current_user);`,
    to: `${doc} ALTER TABLE doc ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON doc USING (owner = session_user);`,
  },
  {
    name: 'policy roles changed',
    roles,
    from: `${doc} CREATE POLICY p ON doc TO pgdrift_reader USING (true);`,
    to: `${doc} CREATE POLICY p ON doc TO pgdrift_reader, pgdrift_writer USING (true);`,
  },
  {
    name: 'policy command changed',
    from: `${doc} CREATE POLICY p ON doc FOR SELECT USING (true);`,
    to: `${doc} CREATE POLICY p ON doc FOR UPDATE USING (true);`,
  },
  {
    name: 'policy using a new function and a new column',
    from: doc,
    to: `CREATE TABLE doc (id int PRIMARY KEY, owner text NOT NULL, body text, tenant int);
      CREATE FUNCTION current_tenant() RETURNS int LANGUAGE sql STABLE AS $$ SELECT 1 $$;
      ALTER TABLE doc ENABLE ROW LEVEL SECURITY;
      CREATE POLICY tenant ON doc USING (tenant = current_tenant());`,
    seed: `INSERT INTO doc VALUES (1, 'a', 'x');`,
  },
  {
    name: 'policy referencing another table',
    from: `${doc} CREATE TABLE member (name text);`,
    to: `${doc} CREATE TABLE member (name text);
      CREATE POLICY members ON doc USING (EXISTS (SELECT 1 FROM member m WHERE m.name = owner));`,
  },
  {
    name: 'policy comment',
    from: `${doc} CREATE POLICY p ON doc USING (true);`,
    to: `${doc} CREATE POLICY p ON doc USING (true); COMMENT ON POLICY p ON doc IS 'open';`,
  },
];
