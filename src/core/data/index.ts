/**
 * Reference-data sync (see types.ts): reads the marked tables on both sides, compares their rows
 * by primary key, and writes the statements that make the target's rows those of --to.
 *
 * Rows that refer (by a foreign key) to a row the target will not have once the data phase ran
 * (neither there now and kept, nor written by the sync) are left out of the statements and
 * reported: their INSERT would fail the whole phase. A row referring to such a row is left out
 * too. The count check of each table counts what the statements leave: the target's rows, minus
 * those deleted, plus those inserted.
 */
import type { Queryable } from '../db/queryable';
import { PgdriftError } from '../errors';
import type { Column, SchemaModel } from '../model/types';
import type { Statement } from '../plan/types';
import { displayName } from '../render/objectName';
import { compareRows, keyOf, named, type NamedRow } from './compareRows';
import { parentsFirst } from './order';
import { existingParentKeys } from './parents';
import { countRows, inReadOnlySnapshot, readRows } from './read';
import { countExpectation, deleteStatement, upsertStatement } from './statements';
import { syncTables, type SyncTable } from './tables';
import { CLI_DATA_WORDING, DEFAULT_DATA_MAX_ROWS, type DataSyncOptions, type DataSyncResult, type OrphanRow, type TableSync } from './types';

export * from './types';

export interface DataSide {
  q: Queryable;
  /** "host:port/database", for messages. */
  where: string;
  model: SchemaModel;
}

export async function syncReferenceData(target: DataSide, desired: DataSide, options: DataSyncOptions): Promise<DataSyncResult> {
  const maxRows = options.maxRows ?? DEFAULT_DATA_MAX_ROWS;
  const w = options.wording ?? CLI_DATA_WORDING;
  const unordered = syncTables(options.tables, desired.model, target.model, w);
  const order = parentsFirst(
    unordered.map((t) => t.id),
    unordered.flatMap((t) => t.foreignKeys.map((fk) => ({ child: t.id, parent: fk.foreignKey?.referencedTable ?? '', deferred: fk.initiallyDeferred }))),
    displayName,
    (cycle) => `the reference-data tables ${cycle} refer to each other in a cycle of foreign keys, so no order of INSERTs satisfies them: `
      + `leave one of them out of ${w.marked}, or make one of those foreign keys DEFERRABLE INITIALLY DEFERRED (checked at commit)`,
  );
  const tables = order.map((id) => unordered.find((t) => t.id === id) as SyncTable);
  const refuse = (t: SyncTable, n: number, side: string) => new PgdriftError('usage',
    `${w.marked} ${t.sql}: ${n.toLocaleString('en-US')} rows in ${side}, more than ${w.maxRows} ${maxRows.toLocaleString('en-US')}: `
    + `the data sync is for reference data (roles, permissions, lookup lists), written as literals into the plan; raise ${w.maxRows} if this table is one`);

  const wanted = await inReadOnlySnapshot(desired.q, desired.where, async () => {
    const out = new Map<string, NamedRow[]>();
    for (const t of tables) {
      const n = await countRows(desired.q, t.sql);
      if (n > maxRows) throw refuse(t, n, w.to);
      const names = t.columns.map((c) => c.name);
      out.set(t.id, named(names, await readRows(desired.q, t.sql, names, t.key)));
    }
    return out;
  });

  return inReadOnlySnapshot(target.q, target.where, async () => {
    const after = new Map<string, Map<string, NamedRow>>();
    const plans: { t: SyncTable; upsert: NamedRow[]; remove: NamedRow[]; sync: TableSync }[] = [];
    const orphans: OrphanRow[] = [];
    for (const t of tables) {
      const names = t.columns.map((c) => c.name);
      let have: NamedRow[] = [];
      if (t.target) {
        const n = await countRows(target.q, t.sql);
        if (n > maxRows) throw refuse(t, n, w.from);
        const common = names.filter((c) => t.target?.columns.some((tc) => tc.name === c));
        have = named(common, await readRows(target.q, t.sql, common, t.key));
      }
      const rows = compareRows(wanted.get(t.id) ?? [], have, t.key, names);
      const remove = options.deleteMissing ? rows.missing : [];
      const removed = new Set(remove.map((r) => keyOf(r, t.key)));
      const base = new Map(have.filter((r) => !removed.has(keyOf(r, t.key))).map((r) => [keyOf(r, t.key), r]));
      let candidates = [...rows.added, ...rows.changed];
      // Foreign keys to other tables first (their final rows are known), then those to the table
      // itself, until no more rows drop out (a row whose parent row dropped out drops out too).
      const outside = t.foreignKeys.filter((fk) => fk.foreignKey?.referencedTable !== t.id);
      const inside = t.foreignKeys.filter((fk) => fk.foreignKey?.referencedTable === t.id);
      for (const fk of outside) {
        const present = await parentKeys(fk.foreignKey?.referencedTable ?? '', fk.foreignKey?.referencedColumns ?? [], fk.columns, candidates);
        candidates = dropOrphans(t, fk, candidates, present, orphans);
      }
      for (let changed = true; changed && inside.length;) {
        const now = withRows(base, candidates, t.key);
        const before = candidates.length;
        for (const fk of inside) candidates = dropOrphans(t, fk, candidates, keySet(now, fk.foreignKey?.referencedColumns ?? []), orphans);
        changed = candidates.length !== before;
      }
      after.set(t.id, withRows(base, candidates, t.key));
      const kept = new Set(candidates);
      const upsert = [...rows.added, ...rows.changed].filter((r) => kept.has(r));
      const inserted = rows.added.filter((r) => kept.has(r)).length;
      plans.push({
        t, upsert, remove,
        sync: {
          table: t.id, inserted, updated: upsert.length - inserted, deleted: remove.length,
          kept: rows.missing.length - remove.length, expected: have.length - remove.length + inserted,
        },
      });
    }

    /** Which of the candidates' referenced keys exist once the data phase ran. */
    async function parentKeys(parent: string, referenced: readonly string[], columns: readonly string[], candidates: readonly NamedRow[]): Promise<Set<string>> {
      const rows = after.get(parent);
      if (rows) return keySet(rows, referenced);
      const needed = [...new Set(candidates.filter((r) => columns.every((c) => r.get(c) !== null)).map((r) => keyOf(r, columns)))];
      const table = target.model.tables.find((x) => x.id === parent);
      const existing = await existingParentKeys(target.q, table, referenced, needed);
      // A marked parent ordered after this table (an INITIALLY DEFERRED foreign key, checked at
      // commit): its rows of --to will be there too, orphans among them aside.
      const pending = wanted.get(parent);
      return pending ? new Set([...existing, ...pending.map((r) => keyOf(r, referenced))]) : existing;
    }

    const statements: Statement[] = [];
    for (const { t, remove } of [...plans].reverse()) {
      if (remove.length) statements.push(deleteStatement(t.id, t.sql, keyColumns(t), remove));
    }
    for (const { t, upsert } of plans) {
      if (upsert.length) statements.push(upsertStatement(t.id, t.sql, t.columns, t.key, upsert));
    }
    // The counts are checked once every data statement ran: a DELETE of a parent row may cascade
    // into a child table that was handled before it.
    for (const { t, upsert, remove, sync } of plans) {
      if (upsert.length || remove.length) statements.push(countExpectation(t.id, t.sql, sync.expected));
    }
    const warnings = plans.filter((p) => p.remove.length).flatMap(({ t, remove }) => deleteReach(t, remove.length, tables, target.model));
    return { statements, tables: plans.map((p) => p.sync), orphans, warnings };
  });
}

function withRows(base: ReadonlyMap<string, NamedRow>, rows: readonly NamedRow[], key: readonly string[]): Map<string, NamedRow> {
  const out = new Map(base);
  for (const r of rows) out.set(keyOf(r, key), r);
  return out;
}

function keySet(rows: ReadonlyMap<string, NamedRow>, columns: readonly string[]): Set<string> {
  return new Set([...rows.values()].map((r) => keyOf(r, columns)));
}

/** The candidates whose foreign key is satisfied (or NULL: MATCH SIMPLE checks nothing then); the others are reported. */
function dropOrphans(t: SyncTable, fk: SyncTable['foreignKeys'][number], candidates: NamedRow[], present: ReadonlySet<string>, orphans: OrphanRow[]): NamedRow[] {
  return candidates.filter((r) => {
    const values = fk.columns.map((c) => r.get(c) ?? null);
    if (values.some((v) => v === null) || present.has(JSON.stringify(values))) return true;
    orphans.push({
      table: t.id, key: t.key.map((c) => r.get(c) ?? null), constraint: fk.name,
      references: fk.foreignKey?.referencedTable ?? '', values,
    });
    return false;
  });
}

/** The target's key columns (their types there), for the rows it deletes. */
function keyColumns(t: SyncTable): Column[] {
  return t.key.map((name) => (t.target?.columns ?? t.columns).find((c) => c.name === name) as Column);
}

/** "public.RoleAssignment (id = 1) refers by fk_role to public.Role (id = 9), which the target will not have". */
export function describeOrphan(o: OrphanRow, model: SchemaModel): string {
  const pk = model.constraints.find((c) => c.table === o.table && c.kind === 'primary key');
  const fk = model.constraints.find((c) => c.table === o.table && c.name === o.constraint);
  const pairs = (names: readonly string[], values: readonly (string | null)[]) => names.map((n, i) => `${n} = ${values[i] ?? 'NULL'}`).join(', ');
  return `${displayName(o.table)} row (${pairs(pk?.columns ?? [], o.key)}) refers by ${o.constraint} to ${displayName(o.references)} (${pairs(fk?.foreignKey?.referencedColumns ?? [], o.values)}), `
    + `which the target will not have after the sync; the row is left out of the plan`;
}

/**
 * Foreign keys of unmarked tables (in the target) that refer to a table the sync deletes from:
 * what those deletes do to them, which the sync does not count.
 */
function deleteReach(t: SyncTable, rows: number, marked: readonly SyncTable[], model: SchemaModel): string[] {
  const what: Record<string, string> = {
    cascade: 'ON DELETE CASCADE deletes its rows that refer to them',
    'set null': 'ON DELETE SET NULL empties the reference in its rows that refer to them',
    'set default': 'ON DELETE SET DEFAULT resets the reference in its rows that refer to them',
  };
  return model.constraints
    .filter((c) => c.kind === 'foreign key' && c.foreignKey?.referencedTable === t.target?.id && !marked.some((m) => m.id === c.table))
    .map((c) => `deleting ${rows} row${rows === 1 ? '' : 's'} of ${displayName(t.id)}: ${displayName(c.table)} refers to it by ${c.name}; `
      + (what[c.foreignKey?.onDelete ?? ''] ?? 'the DELETE fails if one of its rows refers to a deleted row'));
}
