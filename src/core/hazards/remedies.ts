/**
 * Remedies that depend on what the probes measured, added around the ordered plan:
 * - backup: exactly the data the plan destroys (dropped columns' non-null values with the primary
 *   key, dropped tables' rows, the rows a chosen cast policy rewrites) copied into the
 *   `pgdrift_backup` schema, recorded in `pgdrift_backup.manifest`, each copy checked against the
 *   count the probe found;
 * - preflight: what the probes measured, as expectations, so the plan stops if the data changed
 *   since (a column that held no value when planned must still hold none);
 * - validate: the tables the plan leaves and the rows of every table it touches, counted.
 * The backup is idempotent (IF NOT EXISTS, ON CONFLICT DO NOTHING): the backup phase commits on its
 * own, and a re-run after a later failure must not fail on it.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../db/queryable';
import { literal, quoteIdent } from '../diff/sql';
import type { ObjectId, SchemaModel } from '../model/types';
import type { ExpectOp } from '../plan/expect';
import type { Change, PhaseName, Plan, PlannedStatement } from '../plan/types';
import { acceptName, affected } from './accept';
import { show } from './measure/bounded';
import { boundedRowCounts } from './measure/rowCounts';
import { DEFAULT_PROBE_LIMITS, type ProbeLimits } from './probe';
import type { Hazard } from './types';

export const BACKUP_SCHEMA = 'pgdrift_backup';
const MANIFEST = `${BACKUP_SCHEMA}.manifest`;

export interface RemedyContext {
  from: SchemaModel;
  to: SchemaModel;
  /** The from-database's fingerprint ("sha256:…"): names the backups and the manifest rows. */
  fingerprint: string;
  q: Queryable;
  limits?: ProbeLimits;
  /**
   * Changes of the full diff left out of this plan (--exclude, unchecked in the editor): a table or
   * view whose creation is left out will not exist after the run, one whose drop is left out will.
   */
  leftOut?: readonly Change[];
}

export async function addRemedies(plan: Plan, ctx: RemedyContext): Promise<Plan> {
  if (plan.statements.length === 0) return plan;
  const backups: PlannedStatement[] = [];
  const preflight: PlannedStatement[] = [];
  const body = plan.statements.map((s) => {
    if (!s.hazards?.length) return s;
    const hazards = s.hazards.map((h) => {
      const check = preflightOf(h, s.change);
      if (check) preflight.push(check);
      const backup = backupOf(h, s.change, ctx);
      if (!backup) return h;
      backups.push(...backup.statements);
      // A remedy the planner already chose (a copy, a cast policy) stays; the backup adds to it.
      return { ...h, remedy: h.remedy ? `${h.remedy.replace(/\.$/, '')}; ${backup.remedy}` : backup.remedy };
    });
    return { ...s, hazards };
  });
  if (backups.length) backups.unshift(...backupSetup(backups[0]?.change ?? 'plan'));
  const validate = await validateOf(plan, ctx);
  // The planner's own preflight statements (e.g. the try-cast function a cast policy calls, which
  // a backup's WHERE may use too) run before the backups.
  const early = body.filter((s) => s.phase === 'preflight');
  const rest = body.filter((s) => s.phase !== 'preflight');
  return { ...plan, statements: [...preflight, ...early, ...backups, ...rest, ...validate] };
}

function expectation(sql: string, op: ExpectOp, value: number, object: ObjectId, change: ObjectId, phase: PhaseName): PlannedStatement {
  return { sql, expect: { op, value }, object, action: 'alter', phase, change };
}

/** The count a measured hazard rests on, as a query, when the probe gave an exact number. */
function preflightOf(h: Hazard, change: ObjectId): PlannedStatement | undefined {
  const n = affected(h);
  const where = affectedWhere(h);
  if (n === undefined || where === undefined || !h.target) return undefined;
  if (capped(h)) return undefined;
  // Bounded like the probe: one row more than expected is enough to fail.
  const sql = `SELECT count(*) FROM (SELECT 1 FROM ${h.target.table} t${where ? ` WHERE ${where}` : ''} LIMIT ${n + 1}) s`;
  return expectation(sql, '=', n, h.object, change, 'preflight');
}

function capped(h: Hazard): boolean {
  const e = h.evidence;
  return Boolean(e && [e.rows, e.values, e.nulls, e.failing, e.conflicts].some((c) => c?.capped));
}

/** The rows `affected` counts, as a predicate over alias t ('' = every row). */
function affectedWhere(h: Hazard): string | undefined {
  const t = h.target;
  if (!t) return undefined;
  switch (h.code) {
    case 'DL-01': case 'DL-06': case 'FL-01': return '';
    case 'DL-02': case 'DL-04': return t.where ?? (t.column ? `t.${t.column} IS NOT NULL` : undefined);
    case 'FL-02': return t.where ?? (t.column ? `t.${t.column} IS NULL` : undefined);
    case 'FL-06': case 'FL-07': case 'DL-09': return t.where;
    default: return undefined;
  }
}

/** A name in pgdrift_backup for a copy of `source`, unique per from-database fingerprint, ≤ 63 bytes. */
export function backupTableName(source: string, fingerprint: string): string {
  const fp = fingerprint.replace(/^sha256:/, '').slice(0, 8);
  const name = `${source}@${fp}`;
  if (Buffer.byteLength(name) <= 63) return name;
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 6);
  let prefix = source;
  while (Buffer.byteLength(`${prefix}~${hash}@${fp}`) > 63) prefix = prefix.slice(0, -1);
  return `${prefix}~${hash}@${fp}`;
}

interface Backup {
  statements: PlannedStatement[];
  remedy: string;
}

/**
 * What to save for a hazard: the data it destroys (data-loss codes), or the values a cast policy
 * the user chose rewrites. Nothing when a probe proved there is nothing to lose.
 */
function backupOf(h: Hazard, change: ObjectId, ctx: Pick<RemedyContext, 'from' | 'fingerprint'>): Backup | undefined {
  const t = h.target;
  if (!t) return undefined;
  const policyRewrite = h.code === 'FL-03' && h.accepted === 'policy' && t.where !== undefined;
  if (h.severity !== 'data-loss' && !policyRewrite) return undefined;
  const n = affected(h);
  if (n === 0 && !policyRewrite) return undefined;
  const source = acceptName(h.object);
  const name = `${BACKUP_SCHEMA}.${quoteIdent(backupTableName(source, ctx.fingerprint))}`;
  const select = t.column
    ? selectColumn(t.table, t.column, t.where ?? `t.${t.column} IS NOT NULL`, t.key ?? keyOf(ctx.from, h.object))
    : `SELECT * FROM ${t.table}`;
  const statements: PlannedStatement[] = [
    { sql: `CREATE TABLE IF NOT EXISTS ${name} AS ${select}`, object: h.object, action: 'create', phase: 'backup', change },
    {
      sql: `INSERT INTO ${MANIFEST} (backup, source, hazard, fingerprint, rows) SELECT ${literal(name)}, ${literal(source)}, ${literal(h.code)}, ${literal(ctx.fingerprint)}, count(*) FROM ${name} ON CONFLICT (backup) DO NOTHING`,
      object: h.object, action: 'alter', phase: 'backup', change,
    },
  ];
  const measured = savedCount(h);
  if (measured !== undefined) {
    statements.push(expectation(`SELECT count(*) FROM ${name}`, measured.capped ? '>=' : '=', measured.value, h.object, change, 'backup'));
  }
  const what = measured ? `${show(measured)} row${measured.value === 1 && !measured.capped ? '' : 's'}` : 'the rows concerned';
  return { statements, remedy: `backed up first: ${what} into ${name}` };
}

/**
 * The backup the plan writes for one hazard, preceded by the backup schema and manifest it needs:
 * what an editor inserts before a checked migration's statement. Undefined when there is nothing
 * to save (no probe target, not a data-loss hazard, or a probe proved nothing is lost).
 */
export function backupStatements(h: Hazard, change: ObjectId, ctx: Pick<RemedyContext, 'from' | 'fingerprint'>): PlannedStatement[] | undefined {
  const backup = backupOf(h, change, ctx);
  return backup ? [...backupSetup(change), ...backup.statements] : undefined;
}

/** How many rows the backup should hold, when the probe said. */
function savedCount(h: Hazard) {
  const e = h.evidence;
  if (!e || e.unknown) return undefined;
  if (h.code === 'DL-01' || h.code === 'DL-06') return e.rows;
  if (h.code === 'DL-02' || h.code === 'DL-04') return e.values;
  return undefined;
}

function selectColumn(table: string, column: string, where: string, key: readonly string[]): string {
  const keys = key.filter((k) => k !== column);
  return keys.length
    ? `SELECT ${[...keys, column].map((c) => `t.${c}`).join(', ')} FROM ${table} t WHERE ${where}`
    : `SELECT t.* FROM ${table} t WHERE ${where}`;
}

/** The quoted primary-key columns of the table a column id belongs to. */
function keyOf(model: SchemaModel, object: ObjectId): string[] {
  const tableId = object.startsWith('column:') ? `table:${object.slice('column:'.length, object.lastIndexOf('."'))}` : object;
  const pk = model.constraints.find((c) => c.table === tableId && c.kind === 'primary key');
  return pk ? pk.columns.map(quoteIdent) : [];
}

function backupSetup(change: ObjectId): PlannedStatement[] {
  const object = `schema:${quoteIdent(BACKUP_SCHEMA)}`;
  return [
    { sql: `CREATE SCHEMA IF NOT EXISTS ${BACKUP_SCHEMA}`, object, action: 'create', phase: 'backup', change },
    {
      sql: `CREATE TABLE IF NOT EXISTS ${MANIFEST} (backup text PRIMARY KEY, source text NOT NULL, hazard text NOT NULL, fingerprint text NOT NULL, rows bigint NOT NULL, saved_at timestamptz NOT NULL DEFAULT now())`,
      object, action: 'create', phase: 'backup', change,
    },
  ];
}

/**
 * What the run must leave: as many tables and views in the compared schemas as the desired state
 * has, and, for every kept table the plan touches, the rows it had when planned (counted here,
 * bounded; a table past the cap is checked for at least that many).
 */
async function validateOf(plan: Plan, ctx: RemedyContext): Promise<PlannedStatement[]> {
  const out: PlannedStatement[] = [];
  const schemas = [...new Set([...ctx.to.tables, ...ctx.to.views].map((t) => t.schema))].sort();
  if (schemas.length) {
    const inSchemas = `n.nspname IN (${schemas.map(literal).join(', ')})`;
    const tables = ctx.to.tables.length + leftOutCount(ctx, ['table']);
    out.push(expectation(
      `SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE ${inSchemas} AND c.relkind IN ('r', 'p', 'f')`,
      '=', tables, 'plan:tables', 'plan', 'validate'));
    out.push(expectation(
      `SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE ${inSchemas} AND c.relkind IN ('v', 'm')`,
      '=', ctx.to.views.length + leftOutCount(ctx, ['view', 'materialized view']), 'plan:views', 'plan', 'validate'));
  }
  const limits = ctx.limits ?? DEFAULT_PROBE_LIMITS;
  const touched = touchedKeptTables(plan, ctx);
  const names = touched.map((t) => `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`);
  const counted = await boundedRowCounts(ctx.q, names, limits);
  for (const [i, table] of touched.entries()) {
    const name = names[i] as string;
    const rows = counted[i];
    if (!rows) continue;
    const change = plan.statements.find((s) => s.change === table.id || s.change.startsWith(`column:${table.id.slice('table:'.length)}.`))?.change ?? 'plan';
    out.push(expectation(`SELECT count(*) FROM ${name}`, rows.capped ? '>=' : '=', rows.value, table.id, change, 'validate'));
  }
  return out;
}

/** How many more objects of these kinds the run leaves than the desired state has: left-out drops count up, left-out creations down. */
function leftOutCount(ctx: RemedyContext, kinds: readonly string[]): number {
  return (ctx.leftOut ?? []).reduce((n, c) => (!kinds.includes(c.kind) ? n : n + (c.action === 'drop' ? 1 : c.action === 'create' ? -1 : 0)), 0);
}

/** Tables on both sides (by id) that some statement of the plan alters. */
function touchedKeptTables(plan: Plan, ctx: RemedyContext) {
  const kept = new Set(ctx.to.tables.map((t) => t.id));
  const indexTable = new Map([...ctx.from.indexes, ...ctx.to.indexes].map((i) => [i.id, i.table]));
  const touched = new Set<string>();
  for (const s of plan.statements) {
    const id = s.object.startsWith('table:') ? s.object
      : s.object.startsWith('index:') ? indexTable.get(s.object)
        : /^(column|constraint|trigger|policy):/.test(s.object) ? `table:${s.object.slice(s.object.indexOf(':') + 1, s.object.lastIndexOf('."'))}` : undefined;
    if (id && kept.has(id)) touched.add(id);
  }
  return ctx.from.tables.filter((t) => touched.has(t.id) && t.kind !== 'foreign table');
}
