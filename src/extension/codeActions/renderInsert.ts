/**
 * The text the code actions insert, written by the plan's own renderer so that it reads exactly as
 * `pgdrift plan` prints it:
 * - all pending changes: the plan as `pgdrift plan` prints it under its header (the count line,
 *   accepts still needed, phase markers, hazard comments, statements);
 * - some changes: their statements in plan order, each with its hazard comments and directives
 *   (`-- pgdrift:expect`, `-- pgdrift:no-transaction`) as in the plan, one blank line between
 *   statements, and no phase marker: a `-- pgdrift:phase` line in the middle of a file would move
 *   the statements after it into that phase, so the inserted statements run in the phase of the
 *   place they are put.
 */
import { renderPlanSql } from '../../core/plan/render';
import type { Plan, PlannedStatement } from '../../core/plan/types';

export function renderAll(plan: Plan): string {
  return renderPlanSql(plan);
}

const CHECK_BODIES = 'SET check_function_bodies = off;';

/**
 * `hasBodyCheckOff`: the file already switches off the body checks of functions (which may name
 * objects created further down), so the inserted routines do not repeat it.
 */
export function renderSome(statements: readonly PlannedStatement[], hasBodyCheckOff: boolean): string {
  const blocks: string[] = [];
  let checkOff = hasBodyCheckOff;
  for (const s of statements) {
    const text = renderPlanSql({ changes: [], statements: [s] });
    const lines = text.trimEnd().split('\n');
    const phase = lines.findIndex((l) => l.startsWith('-- pgdrift:phase '));
    if (!checkOff && lines.slice(0, phase).includes(CHECK_BODIES)) {
      blocks.push(CHECK_BODIES);
      checkOff = true;
    }
    blocks.push(lines.slice(phase + 1).join('\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}
