/**
 * The statements that move a SQLite file's rows into the tables the plan creates for them: in the
 * migrate-data phase, one `COPY … FROM STDIN` per table, parents before children (a foreign key
 * PostgreSQL checks per statement would refuse a child row copied before its parent; an
 * INITIALLY DEFERRED one is checked at the phase's commit), then each identity's sequence set past the
 * copied ids (COPY writes the ids as given and never advances the sequence, so the first INSERT
 * after the copy would otherwise collide with row 1). In the validate phase, each table's row count
 * and the earliest and latest instant of each time column, as the survey read them from the file.
 *
 * A table the target already holds rows in is not copied: the copy fills empty tables, so a plan
 * made again after the run (or against a database filled some other way) does not copy twice.
 */
import { parentsFirst } from '../data/order';
import { quoteIdent } from '../model/ids';
import type { SchemaModel } from '../model/types';
import { PHASES, type CopySource, type Plan, type PlannedStatement, type Statement } from '../plan/types';
import { displayName } from '../render/objectName';
import type { TableSurvey } from './survey';
import type { SqliteTranslation } from './translate';

export interface CopyPlanInput {
  path: string;
  /** The file's hash, and whether the survey's misfit list is complete (it stops at a limit). */
  sha256?: string;
  misfits?: { tables: ReadonlySet<string>; complete: boolean };
  translation: SqliteTranslation;
  tables: readonly TableSurvey[];
  nextIdentity: ReadonlyMap<string, bigint>;
  /** Rows the target holds now, by table id; a table missing here does not exist there yet. */
  filled: ReadonlySet<string>;
}

export interface CopyPlan {
  /** migrate-data: the copies, parents first. */
  copies: Statement[];
  /** migrate-data, after the copies: each identity's sequence set past the copied ids. */
  restarts: Statement[];
  /** validate: the count and time-range expectations. */
  checks: Statement[];
  /** Per table: rows to copy (0 when skipped). */
  tables: { table: string; rows: number }[];
  /** Tables left alone because the target already has rows in them (ids). */
  skipped: string[];
}

export function planSqliteCopy(input: CopyPlanInput, model: SchemaModel): CopyPlan {
  const { translation } = input;
  const byId = new Map(translation.tables.map((t) => [t.id, t]));
  const order = parentsFirst(
    translation.tables.map((t) => t.id),
    model.constraints.filter((c) => c.kind === 'foreign key' && byId.has(c.table) && byId.has(c.foreignKey?.referencedTable ?? ''))
      .map((c) => ({ child: c.table, parent: c.foreignKey?.referencedTable ?? '', deferred: c.initiallyDeferred === true })),
    displayName,
    (cycle) => `the SQLite tables ${cycle} refer to each other in a cycle of foreign keys that are not deferrable, so no order of COPY statements satisfies them: `
      + 'declare one of those foreign keys DEFERRABLE INITIALLY DEFERRED in the SQLite schema (checked at the commit of the phase), or leave a table out with --exclude',
  );
  const plan: CopyPlan = { copies: [], restarts: [], checks: [], tables: [], skipped: [] };
  for (const id of order) {
    const t = byId.get(id);
    const survey = input.tables.find((s) => s.table === t?.name);
    if (!t || !survey) continue;
    if (input.filled.has(id)) {
      plan.skipped.push(id);
      plan.tables.push({ table: id, rows: 0 });
      continue;
    }
    plan.tables.push({ table: id, rows: survey.rows });
    if (survey.rows === 0) continue;
    const target = `${quoteIdent(translation.schema)}.${quoteIdent(t.name)}`;
    // The file as planned, every value of the table fitting: the run need not probe it again.
    const clean = input.sha256 !== undefined && input.misfits?.complete === true && !input.misfits.tables.has(t.name);
    const copy: CopySource = { kind: 'sqlite', path: input.path, table: t.name, zone: translation.timeZone, ...(clean ? { checked: input.sha256 } : {}) };
    plan.copies.push({
      sql: `COPY ${target} (${t.columns.map((c) => quoteIdent(c.name)).join(', ')}) FROM STDIN`,
      object: id, action: 'alter', phase: 'migrate-data', copy,
    });
    const identity = t.columns.find((c) => c.identity);
    const next = input.nextIdentity.get(t.name);
    if (identity && next !== undefined && next > 1n) {
      // setval, not ALTER TABLE … RESTART: an ALTER TABLE is refused on a table with pending
      // trigger events, which the copy's INITIALLY DEFERRED foreign keys leave until the commit.
      const sequence = `pg_get_serial_sequence('${target.replace(/'/g, "''")}', '${identity.name.replace(/'/g, "''")}')`;
      plan.restarts.push({ sql: `SELECT setval(${sequence}, ${next - 1n})`, object: id, action: 'alter', phase: 'migrate-data' });
    }
    plan.checks.push({ sql: `SELECT count(*) FROM ${target}`, object: id, action: 'alter', phase: 'validate', expect: { op: '=', value: survey.rows } });
    for (const range of survey.times) {
      const cast = range.type === 'date' ? 'date' : 'timestamptz';
      const column = quoteIdent(range.column);
      plan.checks.push({
        sql: `SELECT (min(${column}) = '${range.min}'::${cast} AND max(${column}) = '${range.max}'::${cast})::int FROM ${target}`,
        object: id, action: 'alter', phase: 'validate', expect: { op: '=', value: 1 },
      });
    }
  }
  return plan;
}

/**
 * The plan with the copy in place, at the end of migrate-data. The keys, unique constraints,
 * checks, foreign keys and indexes the plan creates on a table it copies into move from expand to
 * right after the copies, as pg_dump orders a restore: COPY into a bare table writes rows only,
 * and one index build (one scan per check, one join per foreign key) afterwards costs far less than
 * maintaining every index and checking every key row by row during the copy. Their order among
 * themselves stays the plan's (a primary key before the foreign keys that reference it).
 */
export function withCopy(plan: Plan, copy: CopyPlan, model: SchemaModel): Plan {
  const copied = new Set(copy.copies.map((s) => s.object));
  const tableOf = new Map<string, string>([...model.constraints.map((c) => [c.id, c.table] as const), ...model.indexes.map((i) => [i.id, i.table] as const)]);
  const deferred = (s: PlannedStatement) => s.phase === 'expand' && s.action === 'create' && copied.has(tableOf.get(s.object) ?? '');
  const kept = plan.statements.filter((s) => !deferred(s));
  const after: PlannedStatement[] = [
    ...copy.copies.map((s) => ({ ...s, phase: 'migrate-data' as const, change: s.object })),
    ...plan.statements.filter(deferred).map((s) => ({ ...s, phase: 'migrate-data' as const })),
    ...copy.restarts.map((s) => ({ ...s, phase: 'migrate-data' as const, change: s.object })),
  ];
  const limit = PHASES.indexOf('migrate-data');
  let at = 0;
  kept.forEach((s, i) => {
    if (PHASES.indexOf(s.phase) <= limit) at = i + 1;
  });
  const checks = copy.checks.map((s) => ({ ...s, phase: 'validate' as const, change: s.object }));
  return { ...plan, statements: [...kept.slice(0, at), ...after, ...kept.slice(at), ...checks] };
}
