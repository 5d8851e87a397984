/**
 * Two-step NOT NULL: SET NOT NULL scans the table under ACCESS EXCLUSIVE; what `plan --online`
 * writes (diff/columns.ts) takes that lock only for a moment and validates under a weaker one.
 */
import { onlineNotNullSql } from '../diff/columns';
import type { LocatedHazard } from './index';
import { alterOf, columnOfId, commands, indentOf, withSemicolon, type CheckedText, type StatementRemedy } from './statementEdits';

const PHASE = /^[ \t]*--[ \t]*pgdrift:phase[ \t]+(\S+)/gm;

export function twoStepNotNull(h: LocatedHazard, file: CheckedText): StatementRemedy | undefined {
  const stmt = alterOf(h.statement);
  const cmds = stmt ? commands(stmt) : [];
  if (h.code !== 'FL-02' || !h.target?.table || cmds.length !== 1 || cmds[0]?.subtype !== 'AT_SetNotNull') return undefined;
  // An empty table is checked in no time: SET NOT NULL as written is the better statement.
  const rows = h.evidence?.rows;
  if (rows && rows.value === 0 && !rows.capped) return undefined;
  const column = columnOfId(h.object);
  const [add, validate, setNotNull, dropCheck] = onlineNotNullSql(h.target.table, column);
  const indent = indentOf(file.text, h.statement);
  const span = withSemicolon(file.text, h.statement);
  const title = `Set NOT NULL on ${column} in two steps (CHECK NOT VALID, then VALIDATE without blocking writes)`;
  const markers = [...file.text.matchAll(PHASE)];
  if (markers.length === 0) {
    const lines = [
      '-- VALIDATE CONSTRAINT scans without blocking writes only when committed separately from the ADD CONSTRAINT (its own transaction).',
      `${add};`, `${validate};`, `${setNotNull};`, `${dropCheck};`,
    ];
    return { kind: 'online-not-null', title, edits: [{ ...span, text: lines.join(`\n${indent}`) }] };
  }
  // A phased file: as the plan lays it out, the CHECK where SET NOT NULL was and the rest in the
  // validate phase (the last one), which commits separately from the phases before it.
  const last = markers[markers.length - 1]?.[1];
  const tail = [
    ...(last === 'validate' ? [] : ['', '-- pgdrift:phase validate']),
    '-- VALIDATE CONSTRAINT scans without blocking writes only when committed separately from the ADD CONSTRAINT (the validate phase is).',
    `${validate};`, `${setNotNull};`, `${dropCheck};`,
  ];
  const end = file.text.length;
  const sep = file.text.endsWith('\n') ? '' : '\n';
  return {
    kind: 'online-not-null', title,
    edits: [{ ...span, text: `${add};` }, { start: end, end, text: `${sep}${tail.join('\n')}\n` }],
  };
}
