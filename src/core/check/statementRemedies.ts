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
import type { AlterTableCmd, AlterTableStmt, ColumnDef, RangeVar } from 'libpg-query';
import { onlineNotNullSql } from '../diff/columns';
import { renameColumnSql } from '../diff/renames';
import { foldName, twinCopySql, twinPair } from '../diff/twins';
import { castValidity, invalidRowsSql, nullPolicyUsing } from '../diff/typeChange';
import { CREATE_TRY_CAST, castMethod } from '../hazards/measure/casts';
import { renderAcceptDirective } from '../hazards/accept';
import { backupText } from './remedyText';
import { qualify, quoteIdent } from '../diff/sql';
import { show } from '../hazards/measure/bounded';
import { FileCatalog } from './catalog';
import type { LocatedHazard } from './index';
import type { LocatedStatement } from './split';
import type { KnownSchema } from './static';
import { formatTypeName } from './typeName';

export interface TextEdit {
  /** String indexes into the file's text; the text between them is replaced. */
  start: number;
  end: number;
  text: string;
}

export interface StatementRemedy {
  kind: 'rename' | 'twin-copy' | 'cast-null' | 'online-not-null';
  title: string;
  edits: TextEdit[];
}

export interface CheckedText {
  text: string;
  statements: readonly LocatedStatement[];
}

/** The target's schema as last read; its fingerprint names backups, its version picks the cast test. */
export interface RemedySchema extends KnownSchema {
  fingerprint?: string;
  serverVersionNum?: number;
}

export function statementRemedies(h: LocatedHazard, file: CheckedText, schema?: RemedySchema): StatementRemedy[] {
  const out: StatementRemedy[] = [];
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

function alterOf(s: LocatedStatement): AlterTableStmt | undefined {
  return 'AlterTableStmt' in s.node && s.node.AlterTableStmt.objtype === 'OBJECT_TABLE' ? s.node.AlterTableStmt : undefined;
}

function commands(s: AlterTableStmt): AlterTableCmd[] {
  return (s.cmds ?? []).flatMap((c) => ('AlterTableCmd' in c ? [c.AlterTableCmd] : []));
}

function sameRelation(a: RangeVar | undefined, b: RangeVar | undefined): boolean {
  return a?.relname !== undefined && a.relname === b?.relname && a.schemaname === b.schemaname;
}

/** The column a column id names, unquoted. */
function columnOfId(id: string): string {
  const quoted = id.slice(id.lastIndexOf('."') + 1);
  return quoted.slice(1, -1).replace(/""/g, '"');
}

function tableIdOf(columnId: string): string {
  return `table:${columnId.slice('column:'.length, columnId.lastIndexOf('."'))}`;
}

/** The statement's text span with its semicolon, when one follows. */
function withSemicolon(text: string, s: LocatedStatement): { start: number; end: number } {
  const m = /^\s*;/.exec(text.slice(s.end));
  return { start: s.start, end: m ? s.end + m[0].length : s.end };
}

/** Its whole lines, when nothing else is on them: what deleting a statement removes. */
function wholeLines(text: string, s: LocatedStatement): { start: number; end: number } {
  const span = withSemicolon(text, s);
  const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
  const after = /^[ \t]*(\r?\n|$)/.exec(text.slice(span.end));
  if (/^[ \t]*$/.test(text.slice(lineStart, span.start)) && after) return { start: lineStart, end: span.end + after[0].length };
  return span;
}

function indentOf(text: string, s: LocatedStatement): string {
  const before = text.slice(text.lastIndexOf('\n', s.start - 1) + 1, s.start);
  return /^[ \t]*$/.test(before) ? before : '';
}

/** ADD COLUMN with a type only (NULL allowed): the same column a RENAME leaves. */
function plainAdd(cmd: AlterTableCmd): ColumnDef | undefined {
  if (cmd.subtype !== 'AT_AddColumn' || cmd.missing_ok || !cmd.def || !('ColumnDef' in cmd.def)) return undefined;
  const def = cmd.def.ColumnDef;
  const constraints = (def.constraints ?? []).flatMap((n) => ('Constraint' in n ? [n.Constraint] : []));
  if (def.collClause || def.is_not_null || constraints.some((c) => c.contype !== 'CONSTR_NULL')) return undefined;
  return def;
}

function renameInstead(h: LocatedHazard, file: CheckedText, schema: KnownSchema | undefined): StatementRemedy | undefined {
  const drop = h.statement;
  const stmt = alterOf(drop);
  if (h.code !== 'DL-02' || !stmt || !schema) return undefined;
  const dropped = columnOfId(h.object);
  const cmds = commands(stmt);
  const dropCmd = cmds.find((c) => c.subtype === 'AT_DropColumn' && c.name === dropped);
  const table = schema.model.tables.find((t) => t.id === tableIdOf(h.object));
  const column = table?.columns.find((c) => c.name === dropped);
  // The column a RENAME keeps must be the one the ADD creates: nullable, no default, not computed.
  if (!dropCmd || !table || !column || column.notNull || column.default !== undefined || column.identity || column.generated || column.collation) return undefined;
  const catalog = new FileCatalog(schema.model, [...schema.searchPath]);
  const sameType = (def: ColumnDef) => def.typeName !== undefined && formatTypeName(def.typeName, (s, n) => catalog.userType(s, n)) === column.type;
  const relation = stmt.relation;
  let add: { name: string; statement?: LocatedStatement } | undefined;
  if (cmds.length === 2) {
    const def = cmds.map(plainAdd).find((d) => d !== undefined);
    if (def?.colname && sameType(def)) add = { name: def.colname };
  } else if (cmds.length === 1) {
    const later = file.statements.filter((s) => {
      const a = s.index > drop.index ? alterOf(s) : undefined;
      if (!a || !sameRelation(a.relation, relation)) return false;
      const only = commands(a);
      const def = only.length === 1 && only[0] ? plainAdd(only[0]) : undefined;
      return def?.colname !== undefined && sameType(def);
    });
    const found = later.length === 1 ? later[0] : undefined;
    const def = found ? plainAdd(commands(alterOf(found) as AlterTableStmt)[0] as AlterTableCmd) : undefined;
    if (found && def?.colname) add = { name: def.colname, statement: found };
  }
  if (!add || add.name === dropped) return undefined;
  const sql = `${renameColumnSql(qualify(table.schema, table.name), column.name, add.name)};`;
  const edits: TextEdit[] = [{ ...withSemicolon(file.text, drop), text: sql }];
  if (add.statement) edits.push({ ...wholeLines(file.text, add.statement), text: '' });
  const values = h.evidence?.values;
  const kept = values ? `keeps its ${show(values)} value${values.value === 1 && !values.capped ? '' : 's'}` : 'keeps its values';
  return { kind: 'rename', title: `Rename ${dropped} to ${add.name} instead (${kept})`, edits };
}

function twinCopy(h: LocatedHazard, file: CheckedText, schema: KnownSchema | undefined): StatementRemedy | undefined {
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

function castInvalidToNull(h: LocatedHazard, file: CheckedText, schema: RemedySchema | undefined): StatementRemedy | undefined {
  const stmt = alterOf(h.statement);
  const cmds = stmt ? commands(stmt) : [];
  const target = h.target;
  const cast = target?.cast;
  const failing = h.evidence?.failing;
  // Only once measured (values do fail) and with the fingerprint the backup is named after; a
  // change to an enum (target.where: its labels) or among several subcommands is left as it is.
  if (h.code !== 'FL-03' || !target?.column || !cast || target.where !== undefined || !failing?.value) return undefined;
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
  return { kind: 'cast-null', title: `Set values that cannot be cast to ${cast.to} to NULL (backed up first)`, edits: [{ ...span, text }] };
}

const PHASE = /^[ \t]*--[ \t]*pgdrift:phase[ \t]+(\S+)/gm;

function twoStepNotNull(h: LocatedHazard, file: CheckedText): StatementRemedy | undefined {
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
