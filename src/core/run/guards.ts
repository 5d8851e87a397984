/**
 * What must hold before a migration touches its target: the target's schema is the one the
 * migration was written for (or the one an earlier, journaled run of its first phases left), its
 * data-loss and failure hazards are accepted by name, a read-only profile is never written to, and
 * a production run shows its summary before anyone types the database name.
 */
import { checkOnTarget, type LocatedHazard } from '../check';
import { splitStatements, type LocatedStatement } from '../check/split';
import { nonTransactionalStatement } from '../check/transactions';
import { columnOfId, tableIdOf } from '../check/statementEdits';
import { foldName, twinPair } from '../diff/twins';
import { quoteIdent } from '../model/ids';
import type { Queryable } from '../db/queryable';
import { acceptName, isBlocking, type Accept } from '../hazards/accept';
import type { Inspection } from '../model/types';
import { committedPhases } from './journal';
import { RunRefused, type JournalEntry, type Migration, type RunMode, type RunStatement, type RunSummary, type RunTargetInfo } from './types';

export function refuseReadOnly(target: RunTargetInfo): void {
  if (target.readOnly) {
    throw new RunRefused('read-only', `profile "${target.name}" is read-only: pgdrift does not run migrations on ${target.where} (clear "read-only" in the profile to allow it)`);
  }
}

export interface FingerprintVerdict {
  /** The phases to run: the request's, or, continuing a journaled run, the ones not committed yet. */
  phases?: string[];
  notes: string[];
}

/**
 * The migration's `-- pgdrift:fingerprint` against the target's schema now. A phase-by-phase run
 * changes the schema after each committed phase, so a later phase is allowed when the journal
 * shows the earlier ones of this very file (same sha256) committed on this target and leaving
 * exactly the schema it has now.
 */
export function fingerprintGuard(
  migration: Migration, current: string, target: RunTargetInfo, journal: readonly JournalEntry[], requested?: readonly string[],
): FingerprintVerdict {
  const names = migration.phases.map((p) => p.name);
  const verdict = (notes: string[]): FingerprintVerdict => (requested ? { phases: [...requested], notes } : { notes });
  if (migration.fingerprint === undefined) {
    return verdict([`${migration.path} has no "-- pgdrift:fingerprint" line: not checking that ${target.where} has the schema it was written for`]);
  }
  if (current === migration.fingerprint) return verdict([]);
  // The journal first: a plan whose later phases change only data (a SQLite copy, reference data)
  // reaches its final schema with its first phase, and is not applied until the rest have run.
  const mine = journal.filter((e) => e.profile === target.name && e.sha256 === migration.sha256 && e.mode === 'run');
  const resumed = [...mine].reverse().find((e) => e.fingerprintAfter === current);
  if (resumed) {
    const done = new Set(committedPhases(journal, target.name, migration.sha256, resumed));
    const remaining = names.filter((n) => !done.has(n));
    const doneList = names.filter((n) => done.has(n));
    const doneText = `phase${doneList.length === 1 ? '' : 's'} ${doneList.join(', ')} committed on ${target.name} (journal, ${resumed.time})`;
    if (remaining.length === 0) {
      throw new RunRefused('fingerprint-mismatch', `${migration.path} has already been applied: ${doneText}`);
    }
    const next = remaining[0] ?? '';
    if (requested) {
      const first = names.find((n) => requested.includes(n));
      const again = requested.filter((n) => done.has(n));
      if (again.length > 0 || first !== next) {
        throw new RunRefused('fingerprint-mismatch', `${doneText}; the target is where they left it, so the run must start at phase ${next}${again.length ? ` (${again.join(', ')} already committed)` : ''}`);
      }
      return { phases: [...requested], notes: [`${doneText}: starting at phase ${next}`] };
    }
    return { phases: remaining, notes: [`${doneText}: running the remaining phase${remaining.length === 1 ? '' : 's'} ${remaining.join(', ')}`] };
  }
  if (migration.toFingerprint !== undefined && current === migration.toFingerprint) {
    throw new RunRefused('fingerprint-mismatch', `${target.where} already has the schema ${migration.path} leads to (${current}): the migration has already been applied`);
  }
  const last = [...journal].reverse().find((e) => e.profile === target.name);
  const details = [
    `written for: ${migration.fingerprint}`,
    `target now:  ${current}`,
    ...(last ? [`last journaled run on ${target.name}: ${last.time} ${last.mode} ${last.file} (${last.sha256.slice(0, 19)}…) ${last.outcome}, schema after: ${last.fingerprintAfter ?? 'not recorded'}`] : []),
  ];
  throw new RunRefused(
    'fingerprint-mismatch',
    `${target.where} no longer has the schema ${migration.path} was written for: it changed since the migration was planned (plan it again, or compare the target with the plan's --from)`,
    details,
  );
}

/** The statements of the chosen phases (and the preamble), in migration order. */
export function selectedStatements(migration: Migration, phases?: readonly string[]): RunStatement[] {
  const chosen = migration.phases.filter((p) => !phases || phases.includes(p.name));
  return [...migration.preamble, ...chosen.flatMap((p) => p.steps.filter((s): s is RunStatement => s.kind === 'statement'))];
}

export interface HazardFinding extends LocatedHazard {
  /** The migration file it is in, and its line there. */
  file: string;
  fileLine: number;
}

export interface HazardVerdict {
  hazards: HazardFinding[];
  blocking: HazardFinding[];
  /** Data-loss and failure hazards accepted (by a directive, --accept or a chosen remedy). */
  accepted: number;
  notes: string[];
}

/**
 * `pgdrift check` on the statements about to run: the files are checked as one text in order, so
 * a later file sees the tables an earlier one creates, with the statements of phases not run
 * blanked out (line breaks kept), so every position maps back to its file unchanged.
 */
export async function hazardGuard(
  migration: Migration, phases: readonly string[] | undefined, inspection: Inspection, db: Queryable, extra: readonly Accept[],
): Promise<HazardVerdict> {
  const keep = new Set(selectedStatements(migration, phases).map((s) => s.index));
  const all = [...migration.preamble, ...migration.phases.flatMap((p) => p.steps.filter((s): s is RunStatement => s.kind === 'statement'))];
  const parts: string[] = [];
  const starts: { file: string; line: number }[] = [];
  let line = 1;
  for (const f of migration.files) {
    let text = f.text;
    // Blanked from the end so earlier offsets stay valid.
    const dropped = all.filter((s) => s.file === f.path && !keep.has(s.index)).sort((a, b) => b.start - a.start);
    for (const s of dropped) text = text.slice(0, s.start) + text.slice(s.start, s.end).replace(/[^\r\n]/g, ' ') + text.slice(s.end);
    // A file whose last statement has no semicolon must not run on into the next file's first.
    const part = `${text}${/[\r\n]$/.test(text) || text === '' ? '' : '\n'};\n`;
    starts.push({ file: f.path, line });
    line += lineBreaks(part);
    parts.push(part);
  }
  const combined = parts.join('');
  const name = migration.files.length === 1 ? (migration.files[0]?.path ?? migration.path) : migration.path;
  const split = await splitStatements(combined, name);
  const result = await checkOnTarget({ name, split, accepts: [] }, inspection, db, [...migration.accepts, ...extra]);
  const locate = (line: number) => {
    const at = [...starts].reverse().find((s) => s.line <= line) ?? { file: name, line: 1 };
    return { file: at.file, fileLine: line - at.line + 1 };
  };
  const hazards = result.hazards.map((h): HazardFinding => ({ ...h, ...locate(h.line) }));
  const notes = [...result.notes];
  const stale = new Set<HazardFinding>();
  for (const h of hazards) {
    const writer = isBlocking(h) ? staleMeasurement(h, split.statements, result.searchPath[0] ?? 'public') : undefined;
    if (!writer) continue;
    stale.add(h);
    const w = locate(writer.line);
    notes.push(`${h.file}:${h.fileLine}:${h.column} ${h.code} on ${acceptName(h.object)} was measured before ${w.file}:${w.fileLine} writes the table: not refusing on it; the statement will tell (its phase rolls back if it fails)`);
  }
  for (const h of hazards) {
    if (!isBlocking(h) || stale.has(h)) continue;
    const kept = await twinKeepsValues(h, split.statements, inspection, db);
    if (!kept) continue;
    stale.add(h);
    notes.push(`${h.file}:${h.fileLine}:${h.column} ${h.code} on ${acceptName(h.object)} loses nothing: every value is also in ${kept}`);
  }
  return {
    hazards,
    blocking: hazards.filter((h) => isBlocking(h) && !stale.has(h)),
    accepted: hazards.filter((h) => (h.severity === 'data-loss' || h.severity === 'failure') && h.accepted).length,
    notes,
  };
}

/**
 * A failure hazard measured on the target as it is now, while an earlier statement of the same
 * run writes that table (the plan's copy into a twin before SET NOT NULL, a backfill before a new
 * CHECK): the probe counted rows the migration changes before the statement runs, so its count
 * says nothing. Only for statements inside a transaction, where a failure rolls the phase back;
 * data-loss hazards are never waived this way.
 */
function staleMeasurement(h: LocatedHazard, statements: readonly LocatedStatement[], schema: string): LocatedStatement | undefined {
  if (h.severity !== 'failure' || !h.target || nonTransactionalStatement(h.statement.node, [schema])) return undefined;
  const table = h.target.table;
  return statements.slice(0, h.statement.index).find(({ node }) => {
    if ('DoStmt' in node || 'CallStmt' in node) return true;
    const dml = 'UpdateStmt' in node ? node.UpdateStmt : 'InsertStmt' in node ? node.InsertStmt : 'DeleteStmt' in node ? node.DeleteStmt
      : 'MergeStmt' in node ? node.MergeStmt : 'CopyStmt' in node && node.CopyStmt.is_from ? node.CopyStmt : undefined;
    const r = dml?.relation;
    return r?.relname !== undefined && `${quoteIdent(r.schemaname ?? schema)}.${quoteIdent(r.relname)}` === table;
  });
}

/**
 * DL-02 on a column whose twin (same name up to case and underscores, diff/twins.ts) the table
 * keeps: the plan's DL-05 case, whose drop comes after the copy into the twin, often in a later
 * phase. The check sees only a DROP COLUMN; the values are lost only where the twin holds another
 * value, which this counts on the target (where an earlier statement of the run copies into the
 * twin's NULLs first, rows whose twin is NULL are not lost either). Returns where the values are
 * when none is lost.
 */
async function twinKeepsValues(h: LocatedHazard, statements: readonly LocatedStatement[], inspection: Inspection, db: Queryable): Promise<string | undefined> {
  if (h.code !== 'DL-02' || !h.object.startsWith('column:')) return undefined;
  const dropped = columnOfId(h.object);
  const table = inspection.model.tables.find((t) => t.id === tableIdOf(h.object));
  const old = table?.columns.find((c) => c.name === dropped);
  if (!table || !old) return undefined;
  const same = (r: { schemaname?: string; relname?: string } | undefined) => r?.relname === table.name && (r.schemaname ?? table.schema) === table.schema;
  const before = statements.slice(0, h.statement.index);
  const commandsOn = (list: readonly LocatedStatement[]) => list.flatMap(({ node }) => ('AlterTableStmt' in node && same(node.AlterTableStmt.relation)
    ? (node.AlterTableStmt.cmds ?? []).flatMap((c) => ('AlterTableCmd' in c ? [c.AlterTableCmd] : []))
    : []));
  // A twin the file adds before the drop: its ADD COLUMN, when it gives no value to existing rows.
  const added = commandsOn(before).flatMap((c) => {
    const def = c.subtype === 'AT_AddColumn' && c.def && 'ColumnDef' in c.def ? c.def.ColumnDef : undefined;
    return def?.colname && def.colname !== dropped && foldName(def.colname) === foldName(dropped) ? [def] : [];
  });
  const existing = table.columns.filter((c) => c !== old && foldName(c.name) === foldName(dropped));
  const names = [...new Set([...existing.map((c) => c.name), ...added.map((d) => d.colname ?? '')])];
  const keptName = names.length === 1 ? names[0] : undefined;
  if (keptName === undefined) return undefined;
  const droppedToo = commandsOn(statements).some((c) => c.subtype === 'AT_DropColumn' && c.name === keptName);
  if (droppedToo) return undefined;
  const copy = `SET ${quoteIdent(keptName)} = ${quoteIdent(old.name)}`;
  const copies = before.filter((s) => 'UpdateStmt' in s.node && same(s.node.UpdateStmt.relation) && s.sql.replace(/\s+/g, ' ').includes(copy));
  const copiedFirst = copies.length > 0;
  const kept = existing[0];
  if (!kept) {
    // Added by the file: without a default, identity or generation it is NULL in every existing
    // row, so the copy fills every row that has a value; a copy not limited to the twin's NULLs
    // overwrites whatever the new column holds. (A copy that fails rolls its phase back.)
    const empty = added.every((d) => !(d.constraints ?? []).some((k) => 'Constraint' in k && ['CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED'].includes(k.Constraint.contype ?? '')));
    const overwrites = copies.some((s) => !s.sql.replace(/\s+/g, ' ').includes(`${quoteIdent(keptName)} IS NULL`));
    return copiedFirst && (empty || overwrites) ? `${keptName}, which the migration adds and copies them into first` : undefined;
  }
  const pair = twinPair(table, old, kept, true);
  if (!pair) return undefined;
  const o = `t.${quoteIdent(old.name)}`;
  const k = `t.${quoteIdent(kept.name)}`;
  const sql = `SELECT count(*)::int AS n FROM ${quoteIdent(table.schema)}.${quoteIdent(table.name)} t WHERE ${o} IS NOT NULL${copiedFirst ? ` AND ${k} IS NOT NULL` : ''} AND ${k} IS DISTINCT FROM ${o}${pair.cast}`;
  try {
    const lost = (await db.query<{ n: number }>(sql)).rows[0]?.n;
    return lost === 0 ? `${kept.name}, which the migration keeps${copiedFirst ? ' (after its copy)' : ''}, as counted on the target` : undefined;
  } catch {
    return undefined;
  }
}

export function hazardLine(h: HazardFinding): string {
  return `${h.file}:${h.fileLine}:${h.column} ${h.code} ${h.message}`;
}

/** Refuses a run (not a rehearsal) while a data-loss or failure hazard is neither accepted nor proven harmless. */
export function refuseUnaccepted(verdict: HazardVerdict, mode: RunMode): void {
  if (mode !== 'run' || verdict.blocking.length === 0) return;
  const n = verdict.blocking.length;
  throw new RunRefused(
    'unaccepted-hazards',
    `${n} data-loss or failure hazard${n === 1 ? '' : 's'} not accepted: accept each by name ("-- pgdrift:accept CODE object" in the file, or --accept CODE:object) after reading the evidence`,
    verdict.blocking.map(hazardLine),
  );
}

export function runSummary(migration: Migration, mode: RunMode, phases: readonly string[] | undefined, target: RunTargetInfo, hazardsAccepted: number): RunSummary {
  const statements = selectedStatements(migration, phases);
  return {
    mode,
    phases: migration.phases.filter((p) => !phases || phases.includes(p.name)).map((p) => p.name),
    statements: statements.length,
    destructive: statements.filter((s) => s.destructive).length,
    nonTransactional: statements.filter((s) => !s.transactional).length,
    hazardsAccepted,
    target: target.name === target.where ? target.where : `${target.name} (${target.where})`,
  };
}

function lineBreaks(text: string): number {
  return (text.match(/\r\n|\r|\n/g) ?? []).length;
}
