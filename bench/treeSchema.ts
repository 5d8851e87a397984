/**
 * The generated schema pair behind the Schema Differences benchmark (bench/tree.ts): a "from"
 * database of TREE_TABLES tables (bench/schema.ts's tables, views and triggers) and a "to" one
 * that differs in about 2,000 changes of every kind the tree shows, so it has depth: tables
 * dropped and created, and in the altered ones columns added, dropped and retyped, NOT NULL set
 * and dropped, indexes and constraints added, changed and dropped, triggers changed and dropped,
 * views changed, dropped and added. Which object changes depends on the table number alone (no
 * randomness), so every run compares the same pair.
 *
 * A few tables hold a row, so some hazards measure something ("1 non-null value would be lost",
 * "1 NULL makes it fail") rather than "nothing lost".
 */
import type { Client } from 'pg';
import { parentOf, sendSchema, tableDdl, tableName } from './schema';

export const TREE_TABLES = 650;
/** Tables only the "to" side has, after the last "from" table. */
export const TREE_ADDED_TABLES = 65;

/** Table i of the from side, dropped in the to side: every tenth (i % 10 === 1), the first excepted. */
const dropped = (i: number): boolean => i > 1 && i <= TREE_TABLES && i % 10 === 1;

/** The view of table i (every 20th) joins its parent; in the to side it goes when either table goes. */
const viewName = (i: number): string => `v${String(i).padStart(5, '0')}`;

function swap(ddl: string, from: string, to: string, where: string): string {
  if (!ddl.includes(from)) throw new Error(`tree schema, ${where}: "${from}" not in the base DDL`);
  return ddl.replace(from, to);
}

/** Table i of the to side ('' when it has none). */
export function treeToDdl(i: number): string {
  if (dropped(i)) return '';
  const t = tableName(i);
  let ddl = tableDdl(i);
  const edit = (from: string, to: string) => (ddl = swap(ddl, from, to, t));
  // Its parent is gone: the foreign key goes too, and the view joining the two.
  if (i > 1 && dropped(parentOf(i))) {
    edit(` REFERENCES ${tableName(parentOf(i))} (id)`, '');
    if (ddl.includes(`CREATE VIEW ${viewName(i)}`)) ddl = ddl.slice(0, ddl.indexOf(`CREATE VIEW ${viewName(i)}`)).trimEnd();
  }
  if (i > TREE_TABLES) return ddl;
  // No change below touches a column the views read (id, name, amount, active, code, parent_id)
  // in a way PostgreSQL refuses with the view in place.
  switch (i % 10) {
    case 2:
      edit('  active boolean NOT NULL DEFAULT true\n', '  active boolean NOT NULL DEFAULT true,\n  note text,\n  score integer NOT NULL DEFAULT 0\n');
      ddl += `\nCREATE INDEX ${t}_name_idx ON ${t} (name);\nALTER TABLE ${t} ADD CONSTRAINT ${t}_code_key UNIQUE (code);`;
      break;
    case 3:
      edit('  qty integer NOT NULL DEFAULT 0,\n', '');
      edit('CHECK (amount >= 0)', 'CHECK (amount >= 0 AND amount < 1000000)');
      ddl += `\nCOMMENT ON TABLE ${t} IS 'quantities moved to the ledger';`;
      break;
    case 4:
      edit(`CREATE INDEX ${t}_parent_idx ON ${t} (parent_id);`, `CREATE INDEX ${t}_parent_idx ON ${t} (parent_id, created_at);`);
      ddl = ddl.replace(/CREATE TRIGGER \S+ [^;]*;/, `CREATE TRIGGER ${t}_audit AFTER INSERT OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION bench_audit();`);
      break;
    case 5:
      edit('  qty integer NOT NULL DEFAULT 0,', '  qty bigint NOT NULL DEFAULT 0 CONSTRAINT ' + `${t}_qty_check CHECK (qty >= 0),`);
      edit('  name text NOT NULL,', '  name text,');
      break;
    case 6:
      edit('  code varchar(40),', '  code varchar(40) NOT NULL,');
      ddl = ddl.replace(/\nCREATE TRIGGER [^;]*;/, '');
      edit(`CREATE INDEX ${t}_parent_idx ON ${t} (parent_id);`, '');
      break;
    case 8:
      edit('  created_at timestamptz NOT NULL DEFAULT now(),', '  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),');
      break;
    default:
      break;
  }
  if (ddl.includes(`CREATE VIEW ${viewName(i)}`) && (i / 20) % 3 === 0) edit('p.code AS parent_code\n', 'p.code AS parent_code, c.created_at\n');
  if (i % 50 === 25 && !dropped(parentOf(i))) {
    ddl += `\nCREATE VIEW w${String(i).padStart(5, '0')} AS
  SELECT p.id AS parent_id, count(*) AS children, sum(c.amount) AS total
    FROM ${t} c JOIN ${tableName(parentOf(i))} p ON p.id = c.parent_id
   GROUP BY p.id;`;
  }
  return ddl;
}

/** One row in the tables whose changes a probe measures: a dropped table, a dropped qty, a NULL code. */
export function treeFromRows(): string {
  const rows: string[] = [];
  for (let i = 1; i <= TREE_TABLES; i++) {
    if (dropped(i) || i % 10 === 3 || i % 10 === 6) rows.push(`INSERT INTO ${tableName(i)} (name, qty) VALUES ('row of ${i}', ${i});`);
  }
  return rows.join('\n');
}

/** Creates the from side in an empty database; returns the number of batches sent. */
export async function generateTreeFrom(client: Client): Promise<number> {
  const batches = await sendSchema(client, TREE_TABLES, tableDdl);
  await client.query(treeFromRows());
  await client.query('ANALYZE');
  return batches;
}

/** Creates the to side in an empty database; returns the number of batches sent. */
export async function generateTreeTo(client: Client): Promise<number> {
  return sendSchema(client, TREE_TABLES + TREE_ADDED_TABLES, treeToDdl);
}
