/**
 * The plan as a SQL script: a header, phase markers (`-- pgdrift:phase <name>`), and the
 * statements laid out with sql-formatter's PostgreSQL dialect wherever layout helps: a CREATE
 * TABLE with a column per line, a view's query, a long constraint or index. A statement that fits
 * on one line (most ALTER TABLE … ADD/DROP/ALTER COLUMN, DROP, COMMENT) is printed as generated,
 * which reads the same and costs nothing (formatting costs about a millisecond per statement).
 * Routine definitions are printed as the server printed them: their bodies are code, and
 * reflowing them helps no one.
 */
import { format } from 'sql-formatter';
import type { Plan, PlannedStatement } from './types';

const ONE_LINE = 100;
const FORMAT_OPTIONS = { language: 'postgresql', keywordCase: 'preserve', tabWidth: 2 } as const;

export function renderStatement(statement: PlannedStatement): string {
  if (/^CREATE (OR REPLACE )?(FUNCTION|PROCEDURE)\b/.test(statement.sql)) return `${statement.sql.trimEnd()};`;
  if (statement.sql.length <= ONE_LINE && !statement.sql.includes('\n')) return `${statement.sql};`;
  try {
    return `${format(statement.sql, FORMAT_OPTIONS).trimEnd()};`;
  } catch {
    // sql-formatter does not know every PostgreSQL construct; the statement is valid as it is.
    return `${statement.sql};`;
  }
}

export function renderPlanSql(plan: Plan): string {
  if (plan.statements.length === 0) return '-- pgdrift: no differences, nothing to do\n';
  const lines: string[] = [`-- pgdrift plan: ${plan.changes.length} change${plan.changes.length === 1 ? '' : 's'}, ${plan.statements.length} statement${plan.statements.length === 1 ? '' : 's'}`];
  // Function bodies may name tables and functions created later in the plan; PostgreSQL checks
  // them at call time anyway, so the check at creation is switched off (as pg_dump does).
  if (plan.statements.some((s) => /^CREATE (OR REPLACE )?(FUNCTION|PROCEDURE)\b/.test(s.sql))) {
    lines.push('SET check_function_bodies = off;');
  }
  let phase: string | undefined;
  for (const statement of plan.statements) {
    if (statement.phase !== phase) {
      phase = statement.phase;
      lines.push('', `-- pgdrift:phase ${phase}`);
    }
    if (statement.transactional === false) lines.push('-- pgdrift:no-transaction');
    lines.push(renderStatement(statement));
  }
  return `${lines.join('\n')}\n`;
}
