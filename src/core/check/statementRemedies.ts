/**
 * Remedies that rewrite a checked migration's own statements (where remedyText.ts inserts before
 * them), each one what the plan writes for the same intent:
 * - rename instead of drop + add: DROP COLUMN a and ADD COLUMN b of the same type on the same
 *   table delete a's values and leave b empty; RENAME COLUMN keeps them (renames.ts writes it);
 * - copy between name variants: DROP COLUMN of a column whose twin (same name up to case and
 *   underscores, diff/twins.ts) the table keeps is the DL-05 case of the plan, which first copies
 *   the values into the kept twin where it holds none;
 * - cast policy `null`: ALTER … TYPE that fails on values the new type rejects (FL-03, measured)
 *   becomes what `plan --cast schema.table.column=null` writes: those values backed up, then
 *   cast to NULL in the USING (diff/typeChange.ts), with the try-cast function before 16;
 * - two-step NOT NULL: SET NOT NULL scans the table under ACCESS EXCLUSIVE; what `plan --online`
 *   writes (diff/columns.ts) takes that lock only for a moment.
 * Edits are string indexes into the file's text, so any editor can apply them.
 */
import type { LocatedHazard } from './index';
import { castInvalidToNull } from './castToNull';
import { renameInstead } from './renameInstead';
import type { CheckedText, RemedySchema, StatementRemedy } from './statementEdits';
import { twinCopy } from './twinCopy';
import { twoStepNotNull } from './twoStepNotNull';

export type { CheckedText, RemedySchema, StatementRemedy, TextEdit } from './statementEdits';

export function statementRemedies(h: LocatedHazard, file: CheckedText, schema?: RemedySchema): StatementRemedy[] {
  const out: StatementRemedy[] = [];
  // A drop a probe proved to lose nothing needs neither a rename nor a copy.
  const values = h.evidence?.values;
  if (h.code === 'DL-02' && values && values.value === 0 && !values.capped) return out;
  const rename = renameInstead(h, file, schema);
  if (rename) out.push(rename);
  const copy = twinCopy(h, file, schema);
  if (copy) out.push(copy);
  const cast = castInvalidToNull(h, file, schema);
  if (cast) out.push(cast);
  const online = twoStepNotNull(h, file);
  if (online) out.push(online);
  return out;
}
