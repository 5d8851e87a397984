/**
 * Copy between name variants: DROP COLUMN of a column whose twin (same name up to case and
 * underscores, diff/twins.ts) the table keeps is the plan's DL-05 case, which first copies the
 * values into the kept twin where it holds none.
 */
import { foldName, twinCopySql, twinPair } from '../diff/twins';
import type { LocatedHazard } from './index';
import type { KnownSchema } from './static';
import { alterOf, columnOfId, commands, indentOf, sameRelation, tableIdOf, type CheckedText, type StatementRemedy } from './statementEdits';

export function twinCopy(h: LocatedHazard, file: CheckedText, schema: KnownSchema | undefined): StatementRemedy | undefined {
  const stmt = alterOf(h.statement);
  if (h.code !== 'DL-02' || !stmt || !schema) return undefined;
  const dropped = columnOfId(h.object);
  const table = schema.model.tables.find((t) => t.id === tableIdOf(h.object));
  const old = table?.columns.find((c) => c.name === dropped);
  const twins = table?.columns.filter((c) => c !== old && foldName(c.name) === foldName(dropped)) ?? [];
  const kept = twins.length === 1 ? twins[0] : undefined;
  if (!table || !old || !kept) return undefined;
  // The twin must stay: a file dropping both loses the values either way.
  const dropsKept = file.statements.some((s) => {
    const a = alterOf(s);
    return a && sameRelation(a.relation, stmt.relation) && commands(a).some((c) => c.subtype === 'AT_DropColumn' && c.name === kept.name);
  });
  const pair = dropsKept ? undefined : twinPair(table, old, kept, true);
  if (!pair) return undefined;
  const line = file.text.lastIndexOf('\n', h.statement.start - 1) + 1;
  const indent = indentOf(file.text, h.statement);
  const sql = twinCopySql(pair);
  if (file.text.replace(/\s+/g, ' ').includes(sql)) return undefined;
  const alone = /^[ \t]*$/.test(file.text.slice(line, h.statement.start));
  const edit = alone ? { start: line, end: line, text: `${indent}${sql};\n` } : { start: h.statement.start, end: h.statement.start, text: `${sql}; ` };
  return { kind: 'twin-copy', title: `Copy ${old.name} into ${kept.name} first (where ${kept.name} is NULL)`, edits: [edit] };
}
