/** Reads both databases and plans the migration from one to the other: what diff and plan share. */
import { syncReferenceData, type DataSyncOptions, type DataSyncResult } from '../data';
import { withDataStatements } from '../data/merge';
import type { Accept } from '../hazards/accept';
import type { DiffOptions } from '../diff/options';
import type { IntrospectOptions } from '../introspect';
import type { MappingFile } from '../diff/mapping';
import { validateMapping } from '../diff/mapping';
import { comparableModels } from '../diff/comparable';
import { analysePlan } from '../hazards/analyse';
import { existedIn, orderChanges, planMigration } from '../plan';
import { brokenRequirements, changesNamed, describeRequirement, forcedExclusions, requirementsOf, type ForcedExclusion, type Requirement } from '../plan/select';
import type { Change, Plan, Statement } from '../plan/types';
import { PgdriftError } from '../errors';
import type { Finding, Misfit } from '../sqlite';
import { planSqliteCopy, withCopy } from '../sqlite/copyPlan';
import type { Queryable } from '../db/queryable';
import { quoteIdent } from '../model/ids';
import type { SchemaModel } from '../model/types';
import { SQLITE_PREFIX, type ProfileResolver, type SqliteSnapshot } from '../sources';
import { kindLabel } from '../render/changeKinds';
import { displayName, kindOfId } from '../render/objectName';
import { leftOutTables } from './excluded';
import { inspectBoth, withSide, type Side } from './inspectBoth';

/** What to compare and how: both sides (a URL, a path, or profile:NAME) and the options of diff and plan. */
export interface CompareArgs {
  from: string;
  to: string;
  introspect: Partial<IntrospectOptions>;
  diff: Partial<DiffOptions>;
  accepts: Accept[];
  /** The mapping file, checked against both databases once they are read. */
  mapping?: { path: string; file: MappingFile };
  /**
   * Changes to leave out of the plan (--exclude): change ids or names as `changesNamed` reads them.
   * What they are needed by is left out too.
   */
  exclude?: string[];
  /** Reference-data tables whose rows the plan makes equal (--data), in its migrate-data phase. */
  data?: DataSyncOptions;
  /** A `sqlite:PATH` side: the zone its DATETIME text was written in (IANA name; default UTC). */
  sqlite?: { timeZone?: string };
}

/** A change left out of the plan, with what it needed that is left out too (empty when it was named). */
export interface ExcludedChange {
  change: Change;
  because: Requirement[];
}

export interface Comparison {
  from: Side;
  to: Side;
  plan: Plan;
  /** --accept options that named no hazard of the plan (a typo, or data that changed). */
  unusedAccepts: Accept[];
  /** What each change of the plan (before any exclusion) cannot run without: what the editor's checkboxes follow. */
  requirements: Requirement[];
  /** The changes left out (`exclude`), in the plan's change order; empty when nothing is. */
  excluded: ExcludedChange[];
  /** Of those, the ones left out because they need a change that was named. */
  forced: ForcedExclusion[];
  /** The reference-data sync, when tables were marked: per-table counts and the rows it left out. */
  data?: DataSyncResult;
  /**
   * When --to is a SQLite file: what its translation left out or changed (views, triggers,
   * SQLite-only checks…), and the values that will not fit their PostgreSQL column, with row ids
   * (these block the plan like an unaccepted hazard).
   */
  sqlite?: SqliteReport;
}

export interface SqliteReport {
  path: string;
  timeZone: string;
  findings: Finding[];
  misfits: Misfit[];
  /** True when the misfit list stopped at its limit. */
  misfitsTruncated: boolean;
  /** Per table (ids, copy order): rows to copy (0 for a table skipped or empty). */
  tables: { table: string; rows: number }[];
  /** Tables not copied because the target already holds rows in them. */
  skipped: string[];
  /** Tables not copied because the plan leaves out their creation or a column they need (--exclude, unchecked changes). */
  leftOut: { table: string; rows: number; because: string }[];
}

export async function compareDatabases(args: CompareArgs, env: NodeJS.ProcessEnv, profiles?: ProfileResolver): Promise<Comparison> {
  // What the plan would destroy or reject is counted on the from-database (bounded read-only
  // probes) over the connection that read it.
  const syncData = (args.data?.tables.length ?? 0) > 0;
  if (syncData && args.to.startsWith(SQLITE_PREFIX)) {
    throw new PgdriftError('usage', `--data with --to ${args.to}: the plan copies every row of the SQLite file's tables already (into the tables the target has no rows in); leave --data out`);
  }
  return inspectBoth({ from: args.from, to: args.to, keepTo: syncData, sqliteTimeZone: args.sqlite?.timeZone }, args.introspect, env, async ({ from, to }, fromConnection, toConnection) => {
    if (args.mapping) validateMapping(args.mapping.file, from.inspection.model, to.inspection.model, args.mapping.path);
    // Sides from different versions, or SQL files in the embedded PostgreSQL 18, compared in one
    // spelling (views, MAINTAIN privileges, extension versions the files do not state).
    const models = await comparableModels(
      { model: from.inspection.model, serverVersionNum: from.inspection.source.serverVersionNum, unpinnedExtensions: from.unpinnedExtensions },
      { model: to.inspection.model, serverVersionNum: to.inspection.source.serverVersionNum, unpinnedExtensions: to.unpinnedExtensions },
    );
    // The from-database's version picks the exact cast checks a cast policy writes into the plan
    // (pg_input_is_valid exists from PostgreSQL 16).
    const full = planMigration(models.from, models.to, { ...args.diff, serverVersionNum: from.inspection.source.serverVersionNum });
    const existedBefore = existedIn(models.from);
    const requirements = requirementsOf(full.changes, existedBefore);
    // Left-out changes go before the hazards are measured, so the probes, backups and remedies
    // are those of the plan that runs.
    const selection = selectChanges(full, requirements, args.exclude ?? [], existedBefore);
    const { plan, unusedAccepts } = await analysePlan(selection.plan, {
      from: models.from, to: models.to, fingerprint: from.inspection.fingerprint, q: fromConnection, accepts: args.accepts,
      leftOut: selection.excluded.map((e) => e.change),
      ...(args.diff.mapping ? { mapping: args.diff.mapping } : {}),
    }).catch((error: unknown) => {
      throw withSide('--from', error);
    });
    // Rows for a table whose creation (or one of whose new columns) is left out have nowhere to go.
    const leftOut = leftOutTables(selection.excluded);
    const copied = to.sqlite ? await withSqliteCopy(plan, to.sqlite, models, fromConnection, leftOut) : undefined;
    const base: Comparison = {
      from, to, plan: copied?.plan ?? plan, unusedAccepts, requirements, excluded: selection.excluded, forced: selection.forced,
      ...(copied ? { sqlite: copied.report } : {}),
    };
    if (!syncData || !args.data) return base;
    if (!toConnection) throw new PgdriftError('internal', '--to: connection closed too early');
    // The rows are compared with the models as read; the data statements run after expand has
    // created the tables and columns they need.
    const data = await syncReferenceData(
      { q: fromConnection, where: from.where, model: from.inspection.model },
      { q: toConnection, where: to.where, model: to.inspection.model },
      args.data,
    );
    const kept = data.statements.filter((st) => !leftOut.has(st.object));
    const dropped = [...new Set(data.statements.filter((st) => leftOut.has(st.object)).map((st) => st.object))];
    const warnings = [...data.warnings, ...dropped.map((t) => `${displayName(t)}: its rows are not synced, because the plan leaves out ${leftOut.get(t) ?? 'its table'}`)];
    return { ...base, plan: withDataStatements(base.plan, kept), data: { ...data, warnings } };
  }, profiles);
}

/**
 * A SQLite --to: its rows copied into the tables (migrate-data) and checked (validate). Whether a
 * target table already holds rows is read on the from-connection, in the snapshot it was read in.
 */
async function withSqliteCopy(plan: Plan, snapshot: SqliteSnapshot, models: { from: SchemaModel; to: SchemaModel }, q: Queryable, leftOut: ReadonlyMap<string, string>): Promise<{ plan: Plan; report: SqliteReport }> {
  // Which of the tables the target has (its model says) hold a row: one query for all of them.
  const existing = snapshot.translation.tables.filter((t) => models.from.tables.some((x) => x.id === t.id));
  const filled = new Set<string>();
  if (existing.length) {
    const tableSql = (name: string) => `${quoteIdent(snapshot.translation.schema)}.${quoteIdent(name)}`;
    const { rows } = await q.query<Record<string, boolean>>(`SELECT ${existing.map((t, i) => `EXISTS (SELECT 1 FROM ${tableSql(t.name)}) AS t${i}`).join(', ')}`);
    existing.forEach((t, i) => {
      if (rows[0]?.[`t${i}`] === true) filled.add(t.id);
    });
  }
  const copy = planSqliteCopy({
    path: snapshot.path, sha256: snapshot.sha256, translation: snapshot.translation, tables: snapshot.survey.tables, nextIdentity: snapshot.nextIdentity, filled,
    misfits: { tables: new Set(snapshot.survey.misfits.map((m) => m.table)), complete: !snapshot.survey.truncated },
  }, models.to);
  const keep = (s: Statement) => !leftOut.has(s.object);
  const placed = withCopy(plan, { ...copy, copies: copy.copies.filter(keep), restarts: copy.restarts.filter(keep), checks: copy.checks.filter(keep) }, models.to);
  const notCopied = copy.tables.filter((t) => t.rows > 0 && leftOut.has(t.table));
  return {
    plan: placed,
    report: {
      path: snapshot.path, timeZone: snapshot.timeZone, findings: snapshot.findings, misfits: snapshot.survey.misfits,
      misfitsTruncated: snapshot.survey.truncated,
      tables: copy.tables.map((t) => (leftOut.has(t.table) ? { ...t, rows: 0 } : t)),
      skipped: copy.skipped,
      leftOut: notCopied.map((t) => ({ table: t.table, rows: t.rows, because: leftOut.get(t.table) ?? 'its table' })),
    },
  };
}


/**
 * The plan without the named changes and those that need them, its statements ordered again over
 * what is kept. A name that matches no change of the plan is a usage error: a typo must not pass
 * for a plan that leaves nothing out.
 */
export function selectChanges(plan: Plan, requirements: readonly Requirement[], names: readonly string[], existedBefore: (id: string) => boolean): { plan: Plan; excluded: ExcludedChange[]; forced: ForcedExclusion[] } {
  if (names.length === 0) return { plan, excluded: [], forced: [] };
  const named = new Set<string>();
  for (const name of names) {
    const ids = changesNamed(plan.changes, name);
    if (ids.length === 0) {
      throw new PgdriftError('usage', `--exclude "${name}" names no change of this plan (write schema.name, schema.table.member, or kind:schema.name as pgdrift diff shows it)`);
    }
    for (const id of ids) named.add(id);
  }
  const forced = forcedExclusions(requirements, named);
  const out = new Set([...named, ...forced.map((f) => f.change)]);
  const kept = plan.changes.filter((c) => !out.has(c.id));
  const excluded = plan.changes.filter((c) => out.has(c.id)).map((change) => ({ change, because: brokenRequirements(requirements, change.id, out) }));
  return { plan: { changes: kept, statements: orderChanges(kept, existedBefore) }, excluded, forced };
}

/** "constraint public."TimeEntry".fk_role needs table public."Role"": one line per forced exclusion. */
export function describeForced(f: ForcedExclusion): string {
  return `${kindLabel(kindOfId(f.change), 1)} ${displayName(f.change)} ${describeRequirement(f.requirement)}`;
}

export function hasDifferences(plan: Plan): boolean {
  return plan.changes.length > 0 || plan.statements.length > 0;
}

/** What the tree's first line calls each side: the database names, or host:port/database when they are the same. */
export function sideLabels({ from, to }: Pick<Comparison, 'from' | 'to'>): { from: string; to: string } {
  const a = from.inspection.source.database;
  const b = to.inspection.source.database;
  return a === b ? { from: from.where, to: to.where } : { from: a, to: b };
}

