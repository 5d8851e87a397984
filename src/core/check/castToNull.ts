/**
 * Cast policy `null`: ALTER … TYPE that fails on values the new type rejects (FL-03, measured)
 * becomes what `plan --cast schema.table.column=null` writes: those values backed up, then cast
 * to NULL in the USING (diff/typeChange.ts), with the try-cast function before PostgreSQL 16.
 */
import { qualify, quoteIdent } from '../diff/sql';
import { castValidity, invalidRowsSql, nullPolicyUsing } from '../diff/typeChange';
import { renderAcceptDirective } from '../hazards/accept';
import { CREATE_TRY_CAST, castMethod } from '../hazards/measure/casts';
import type { LocatedHazard } from './index';
import { backupText } from './remedyText';
import { alterOf, commands, indentOf, withSemicolon, type CheckedText, type RemedySchema, type StatementRemedy } from './statementEdits';

export function castInvalidToNull(h: LocatedHazard, file: CheckedText, schema: RemedySchema | undefined): StatementRemedy | undefined {
  const stmt = alterOf(h.statement);
  const cmds = stmt ? commands(stmt) : [];
  const target = h.target;
  const cast = target?.cast;
  const failing = h.evidence?.failing;
  // Not when a probe proved every value casts; offered unmeasured too (the editor's read-only
  // session cannot create the try-cast function a probe before PostgreSQL 16 needs, and a probe
  // may time out): the policy touches only values that fail, if there are any. It needs the
  // fingerprint the backup is named after; a change to an enum (target.where: its labels) or
  // among several subcommands is left as it is.
  const measured = failing !== undefined && h.evidence?.unknown === undefined;
  if (h.code !== 'FL-03' || !target?.column || !cast || target.where !== undefined || (measured && failing.value === 0)) return undefined;
  if (cmds.length !== 1 || cmds[0]?.subtype !== 'AT_AlterColumnType' || !schema?.fingerprint) return undefined;
  const fromEnum = schema.model.enums.some((e) => [e.name, quoteIdent(e.name), qualify(e.schema, e.name)].includes(cast.from));
  const col = target.column;
  const plain = fromEnum ? `${col}::text::${cast.to}` : `${col}::${cast.to}`;
  const method = castMethod(cast.to, schema.serverVersionNum);
  const valid = castValidity(cast.to, method);
  const rewritten: LocatedHazard = { ...h, accepted: 'policy', target: { ...target, where: invalidRowsSql(col, valid) } };
  const backup = backupText(rewritten, schema.fingerprint, schema.model, file.text) ?? '';
  const flat = (text: string) => text.replace(/\s+/g, ' ');
  // The backup's WHERE calls the try-cast function too: it is created first (pg_temp, this session only).
  const setup = method === 'try-cast' && !flat(file.text).includes(flat(CREATE_TRY_CAST)) ? `${CREATE_TRY_CAST};\n` : '';
  const alter = `ALTER TABLE ${target.table} ALTER COLUMN ${col} TYPE ${cast.to} USING ${nullPolicyUsing(col, plain, valid)};`;
  const span = withSemicolon(file.text, h.statement);
  const indent = indentOf(file.text, h.statement);
  // The check cannot tell that this USING never fails (any USING but a plain cast is the user's
  // own conversion to it): the policy handles FL-03, as the plan marks it, so the fix accepts it.
  const text = `${setup}${backup}${renderAcceptDirective(h)}\n${alter}`.split('\n').join(`\n${indent}`);
  const title = `Set values that cannot be cast to ${cast.to} to NULL${measured ? '' : ', if any'} (backed up first)`;
  return { kind: 'cast-null', title, edits: [{ ...span, text }] };
}
