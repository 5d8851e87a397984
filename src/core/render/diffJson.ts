/**
 * The machine-readable diff, format "pgdrift.diff/1" (README, "CLI: diff and plan"). Keys come in
 * the fixed order documented there, optional keys are left out rather than null, and changes and
 * statements keep the plan's order, so the same two schemas always give byte-identical text.
 * A change's statements are the plan's statements that belong to it, in run order and with the
 * phase they finally run in.
 */
import { isBlocking } from '../hazards/accept';
import type { Hazard } from '../hazards/types';
import type { Inspection } from '../model/types';
import type { ChangeAction, ObjectKind, PhaseName, Plan, PlannedStatement, StatementAction } from '../plan/types';

export const DIFF_JSON_FORMAT = 'pgdrift.diff/1';

export interface DiffJsonSource {
  database: string;
  serverVersion: string;
  fingerprint: string;
}

export interface DiffJsonChangeStatement {
  sql: string;
  phase: PhaseName;
  action: StatementAction;
}

export interface DiffJsonChange {
  id: string;
  kind: ObjectKind;
  action: ChangeAction;
  parent?: string;
  cause?: string;
  details: string[];
  statements: DiffJsonChangeStatement[];
}

export interface DiffJsonStatement extends DiffJsonChangeStatement {
  object: string;
  change: string;
  /** Present, and false, only for a statement PostgreSQL refuses inside a transaction block. */
  transactional?: false;
  /**
   * Present when the statement carries hazards: code, severity, object, message, evidence once
   * measured, remedy and accepted when set, and whether it blocks the plan.
   */
  hazards?: (Omit<Hazard, 'target'> & { blocking: boolean })[];
  /** For a `-- pgdrift:expect` step: sql returns one number that must compare to value with op. */
  expect?: PlannedStatement['expect'];
}

export interface DiffJson {
  format: typeof DIFF_JSON_FORMAT;
  from: DiffJsonSource;
  to: DiffJsonSource;
  changes: DiffJsonChange[];
  statements: DiffJsonStatement[];
}

export function diffJsonOf(plan: Plan, from: Inspection, to: Inspection): DiffJson {
  const byChange = new Map<string, DiffJsonChangeStatement[]>();
  for (const s of plan.statements) {
    const list = byChange.get(s.change) ?? [];
    list.push({ sql: s.sql, phase: s.phase, action: s.action });
    byChange.set(s.change, list);
  }
  return {
    format: DIFF_JSON_FORMAT,
    from: sourceOf(from),
    to: sourceOf(to),
    changes: plan.changes.map((c) => ({
      id: c.id,
      kind: c.kind,
      action: c.action,
      ...(c.parent !== undefined ? { parent: c.parent } : {}),
      ...(c.cause !== undefined ? { cause: c.cause } : {}),
      details: [...c.details],
      statements: byChange.get(c.id) ?? [],
    })),
    statements: plan.statements.map(statementOf),
  };
}

/** The document as text: two-space indented, one trailing newline. */
export function renderDiffJson(plan: Plan, from: Inspection, to: Inspection): string {
  return `${JSON.stringify(diffJsonOf(plan, from, to), null, 2)}\n`;
}

function sourceOf(inspection: Inspection): DiffJsonSource {
  return {
    database: inspection.source.database,
    serverVersion: inspection.source.serverVersion,
    fingerprint: inspection.fingerprint,
  };
}

function statementOf(s: PlannedStatement): DiffJsonStatement {
  return {
    sql: s.sql,
    phase: s.phase,
    action: s.action,
    object: s.object,
    change: s.change,
    ...(s.transactional === false ? { transactional: false as const } : {}),
    ...(s.hazards?.length ? {
      hazards: s.hazards.map((h) => ({
        code: h.code, severity: h.severity, object: h.object, message: h.message,
        ...(h.evidence ? { evidence: h.evidence } : {}),
        ...(h.remedy ? { remedy: h.remedy } : {}),
        ...(h.accepted ? { accepted: h.accepted } : {}),
        blocking: isBlocking(h),
      })),
    } : {}),
    ...(s.expect ? { expect: s.expect } : {}),
  };
}
