/**
 * The plan as a SQL script: a header, phase markers (`-- pgdrift:phase <name>`), and the
 * statements, each laid out for reading:
 * - statements that come with their own layout are printed as they are: CREATE TABLE with a column
 *   per line (diff/tables.ts), views with the query as the server pretty-prints it, routine
 *   definitions as the server printed them (their bodies are code; reflowing them helps no one);
 * - a statement that fits on one line (most ALTER TABLE … ADD/DROP/ALTER COLUMN, DROP, COMMENT) is
 *   printed as generated;
 * - anything longer (a long CHECK, a trigger, an index with a long predicate) is laid out by
 *   sql-formatter's PostgreSQL dialect.
 * sql-formatter costs about 165 ms to set up in a fresh process and a few milliseconds per
 * statement, which is why it is kept for the statements that need it.
 */
import { formatDialect, postgresql } from 'sql-formatter';
import { acceptName, isBlocking, renderAcceptDirective } from '../hazards/accept';
import type { Evidence, Hazard } from '../hazards/types';
import { renderCopyDirective } from './copyDirective';
import { expectationOf, renderExpectation } from './expect';
import type { Plan, PlannedStatement } from './types';

const ONE_LINE = 160;
// formatDialect with the one dialect, not format(): format() names every dialect sql-formatter
// has, so all of them would be bundled and set up at start-up.
const FORMAT_OPTIONS = { dialect: postgresql, keywordCase: 'preserve', tabWidth: 2 } as const;

export function renderStatement(statement: PlannedStatement): string {
  const sql = statement.sql.trimEnd();
  // A COPY's column list is what the runner matches against the SQLite table: one line, as written.
  if (sql.includes('\n') || sql.length <= ONE_LINE || statement.copy) return `${sql};`;
  try {
    return `${formatDialect(sql, FORMAT_OPTIONS).trimEnd()};`;
  } catch {
    // sql-formatter does not know every PostgreSQL construct; the statement is valid as it is.
    return `${sql};`;
  }
}

export function renderPlanSql(plan: Plan): string {
  if (plan.statements.length === 0) return '-- pgdrift: no differences, nothing to do\n';
  const lines: string[] = [`-- pgdrift plan: ${plan.changes.length} change${plan.changes.length === 1 ? '' : 's'}, ${plan.statements.length} statement${plan.statements.length === 1 ? '' : 's'}`];
  lines.push(...acceptanceHeader(plan));
  // Function bodies may name tables and functions created later in the plan; PostgreSQL checks
  // them at call time anyway, so the check at creation is switched off (as pg_dump does).
  if (plan.statements.some((s) => s.action !== 'drop' && /^(function|procedure):/.test(s.object))) {
    lines.push('SET check_function_bodies = off;');
  }
  let phase: string | undefined;
  for (const statement of plan.statements) {
    if (statement.phase !== phase) {
      phase = statement.phase;
      lines.push('', `-- pgdrift:phase ${phase}`);
    }
    for (const h of statement.hazards ?? []) lines.push(...hazardComment(h));
    const expectation = expectationOf(statement);
    if (expectation) {
      lines.push(renderExpectation(expectation));
      continue;
    }
    if (statement.transactional === false) lines.push('-- pgdrift:no-transaction');
    if (statement.copy) lines.push(renderCopyDirective(statement.copy));
    lines.push(renderStatement(statement));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The accepts the plan carries (the runner and `pgdrift check` honour them) and, for each hazard
 * still blocking, how to accept it once the evidence has been read.
 */
function acceptanceHeader(plan: Plan): string[] {
  const hazards = plan.statements.flatMap((s) => s.hazards ?? []);
  // A hazard settled by a chosen policy (invalid casts become NULL, or mapped values) is written
  // as an accept too: `pgdrift check` and the runner read the file, not the options it was made with.
  const accepted = hazards.filter((h) => h.accepted !== undefined).map(renderAcceptDirective);
  const blocking = hazards.filter(isBlocking);
  const out = [...new Set(accepted)];
  if (blocking.length) {
    out.push(`-- BLOCKED: ${blocking.length} data-loss or failure hazard${blocking.length === 1 ? '' : 's'} not accepted; read each below, then accept it by name:`);
    for (const h of blocking) out.push(`--   ${h.code} ${acceptName(h.object)}  (pgdrift plan --accept ${h.code}:${acceptName(h.object)})`);
  }
  return out;
}

/** Why a probe gave no answer, as the comment above the statement says it. */
const NOT_MEASURED: Record<NonNullable<Evidence['unknown']>, string> = {
  'timed out': 'the probe timed out',
  'table locked': 'the probe found the table locked',
  'probe budget spent': "the plan's probes had spent their time budget",
  'too many rows': 'an exact search would read more rows than the probe limits allow',
};

/** The hazard above its statement: code, severity and message (with the measured numbers), then what the plan does about it. */
function hazardComment(h: Hazard): string[] {
  const out = [`-- hazard ${h.code} (${h.severity}): ${h.message}`];
  if (h.evidence?.unknown) out.push(`--   not measured: ${NOT_MEASURED[h.evidence.unknown]}; the hazard stands as stated`);
  if (h.remedy) out.push(`--   remedy: ${h.remedy}`);
  if (h.accepted) out.push(`--   accepted (${h.accepted === 'policy' ? 'by the policy chosen' : 'by name'})`);
  else if (isBlocking(h)) out.push(`--   blocking until accepted: -- pgdrift:accept ${h.code} ${acceptName(h.object)}`);
  return out;
}
