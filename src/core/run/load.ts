/**
 * A migration file or folder read into phases of located steps. Statements are found by
 * PostgreSQL's own parser (check/split.ts), so a semicolon inside a function body or a string
 * never ends one, and each keeps its place in its file for errors and diagnostics. Directives are
 * real line comments only (the same text inside a string is SQL):
 *   -- pgdrift:phase NAME        starts a phase
 *   -- pgdrift:expect Q op N     an expectation, checked where it stands
 *   -- pgdrift:no-transaction    the next statement runs on its own, outside the phase's transaction
 *   -- pgdrift:fingerprint SHA   the schema the migration was written for
 *   -- pgdrift:target NAME       the profile it is meant for
 *   -- pgdrift:copy-from sqlite:"PATH" table "NAME" zone ZONE
 *                                the next statement, a COPY … FROM STDIN, is fed that SQLite table's rows
 * A folder's `.sql` files run in name order (numbers compared as numbers: 2 before 10); a file
 * without markers is one phase named after it.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Node } from 'libpg-query';
import { acceptDirectives } from '../check/directives';
import { decodeSource } from '../check/source';
import { splitStatements, type LocatedStatement, type SplitFile } from '../check/split';
import { nonTransactionalStatement } from '../check/transactions';
import { PgdriftError, messageOf } from '../errors';
import { parseCopyDirective } from '../plan/copyDirective';
import { parseExpectation } from '../plan/expect';
import type { CopySource } from '../plan/types';
import type { Migration, MigrationFile, Phase, RunStatement, RunStep } from './types';

const PHASE = /^--\s*pgdrift:phase\s+(\S(?:.*\S)?)\s*$/;
const NO_TRANSACTION = /^--\s*pgdrift:no-transaction\s*$/;
const FINGERPRINT = /^--\s*pgdrift:fingerprint\s+(sha256:[0-9a-f]+)\s*$/;
const TARGET = /^--\s*pgdrift:target\s+(\S(?:.*\S)?)\s*$/;
/** The second header line of `pgdrift plan`: "-- to match host:port/db (PostgreSQL 15.4, sha256:…)". */
const TO_MATCH = /^--\s*to match .*\(.*,\s*(sha256:[0-9a-f]+)\)\s*$/;

export async function loadMigration(path: string): Promise<Migration> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(path)).isDirectory();
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new PgdriftError('usage', `cannot read ${path}: ${code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' ? 'permission denied' : messageOf(error)}`);
  }
  const names = isFolder ? await sqlFilesOf(path) : [path];
  const files: MigrationFile[] = [];
  for (const name of names) {
    const bytes = await readFile(isFolder ? join(path, name) : name);
    const shown = isFolder ? join(path, name) : name;
    files.push({ path: shown, text: decodeSource(bytes, shown), sha256: `sha256:${createHash('sha256').update(bytes).digest('hex')}` });
  }
  return migrationOf(path, files);
}

/** The migration of files already read (in run order); what loadMigration does after reading. */
export async function migrationOf(path: string, files: readonly MigrationFile[]): Promise<Migration> {
  const migration: Migration = {
    path,
    files: [...files],
    sha256: files.length === 1 && files[0] ? files[0].sha256 : folderHash(files),
    phases: [],
    preamble: [],
    accepts: [],
    notes: [],
  };
  let index = 0;
  for (const file of files) {
    const split = await splitStatements(file.text, file.path);
    migration.accepts.push(...acceptDirectives(split, file.path));
    const items = itemsOf(split, file.path);
    const hasMarkers = items.some((i) => i.kind === 'phase');
    let phase: Phase | undefined = hasMarkers ? undefined : newPhase(migration, phaseNameOf(file.path), file.path, 1);
    let noTransaction = false;
    let copy: { source: CopySource; line: number } | undefined;
    for (const item of items) {
      if (item.kind === 'phase') {
        phase = newPhase(migration, item.name, file.path, item.line);
        continue;
      }
      if (item.kind === 'header') {
        if (item.fingerprint) migration.fingerprint ??= item.fingerprint;
        if (item.toFingerprint) migration.toFingerprint ??= item.toFingerprint;
        if (item.target) migration.target ??= item.target;
        continue;
      }
      if (item.kind === 'no-transaction') {
        noTransaction = true;
        continue;
      }
      if (item.kind === 'copy-from') {
        copy = { source: { ...item.source, path: resolve(dirname(file.path), item.source.path) }, line: item.line };
        continue;
      }
      if (item.kind === 'expect') {
        const step: RunStep = { kind: 'expect', index: index++, file: file.path, line: item.line, column: item.column, expectation: item.expectation, text: item.text };
        phase ??= newPhase(migration, 'start', file.path, item.line);
        phase.steps.push(step);
        continue;
      }
      const s = item.statement;
      if (transactionControl(s.node, file.path, s, migration)) continue;
      const statement: RunStatement = {
        kind: 'statement',
        index: index++,
        file: file.path,
        sql: s.sql,
        start: s.start,
        end: s.end,
        line: s.line,
        column: s.column,
        transactional: !noTransaction && !cannotRunInTransaction(s.node),
        destructive: isDestructive(s.node),
        summary: summaryOf(s.sql),
      };
      noTransaction = false;
      if (copy) {
        if (!isCopyFromStdin(s.node)) throw new PgdriftError('usage', `${file.path}:${copy.line}: a pgdrift:copy-from line must stand right before a COPY … FROM STDIN statement`);
        statement.copy = copy.source;
        copy = undefined;
      } else if (isCopyFromStdin(s.node)) {
        throw new PgdriftError('usage', `${file.path}:${s.line}:${s.column}: COPY … FROM STDIN needs its rows: pgdrift feeds it from a SQLite file named on a -- pgdrift:copy-from line before it (psql's inline data after the statement is not read)`);
      }
      // Session settings ahead of the first marker hold for the whole session (a plan's
      // `SET check_function_bodies = off`), so they run before whichever phases are chosen.
      if (!phase && 'VariableSetStmt' in s.node && !s.node.VariableSetStmt.is_local) {
        migration.preamble.push(statement);
        continue;
      }
      phase ??= newPhase(migration, 'start', file.path, s.line);
      phase.steps.push(statement);
    }
  }
  migration.phases = migration.phases.filter((p) => p.steps.length > 0).map((p, i) => ({ ...p, index: i }));
  return migration;
}

type Item =
  | { kind: 'statement'; at: number; statement: LocatedStatement }
  | { kind: 'phase'; at: number; name: string; line: number }
  | { kind: 'expect'; at: number; line: number; column: number; expectation: NonNullable<ReturnType<typeof parseExpectation>>; text: string }
  | { kind: 'no-transaction'; at: number }
  | { kind: 'copy-from'; at: number; line: number; source: CopySource }
  | { kind: 'header'; at: number; fingerprint?: string; toFingerprint?: string; target?: string };

/** Statements and directive comments in file order. */
function itemsOf(split: SplitFile, file: string): Item[] {
  const items: Item[] = split.statements.map((statement) => ({ kind: 'statement', at: statement.start, statement }));
  for (const c of split.comments) {
    if (!c.line) continue;
    const text = c.text.trim();
    const { line, column } = split.source.position(c.start);
    const phase = PHASE.exec(text);
    if (phase?.[1]) items.push({ kind: 'phase', at: c.start, name: phase[1], line });
    else if (NO_TRANSACTION.test(text)) items.push({ kind: 'no-transaction', at: c.start });
    else if (/^--\s*pgdrift:copy-from\b/.test(text)) {
      const source = parseCopyDirective(text);
      if (source instanceof Error || !source) throw new PgdriftError('usage', `${file}:${line}:${column}: ${source?.message ?? text}`);
      items.push({ kind: 'copy-from', at: c.start, line, source });
    }
    else if (/^--\s*pgdrift:expect\b/.test(text)) {
      const expectation = parseExpectation(text);
      if (!expectation) throw new PgdriftError('usage', `${file}:${line}:${column}: a pgdrift:expect line needs "<query> = N" (or >= N, <= N): ${text}`);
      items.push({ kind: 'expect', at: c.start, line, column, expectation, text });
    } else {
      const fingerprint = FINGERPRINT.exec(text)?.[1];
      const toFingerprint = TO_MATCH.exec(text)?.[1];
      const target = TARGET.exec(text)?.[1];
      if (fingerprint || toFingerprint || target) {
        items.push({ kind: 'header', at: c.start, ...(fingerprint ? { fingerprint } : {}), ...(toFingerprint ? { toFingerprint } : {}), ...(target ? { target } : {}) });
      }
    }
  }
  return items.sort((a, b) => a.at - b.at);
}

function newPhase(migration: Migration, name: string, file: string, line: number): Phase {
  const taken = new Set(migration.phases.map((p) => p.name));
  let unique = name;
  for (let n = 2; taken.has(unique); n++) unique = `${name} (${n})`;
  const phase: Phase = { name: unique, index: migration.phases.length, file, line, steps: [] };
  migration.phases.push(phase);
  return phase;
}

/**
 * The file's own BEGIN and COMMIT give way to the phase's transaction (a hand-written migration
 * often wraps itself in one). ROLLBACK, savepoints and two-phase commit would break the phase
 * boundaries the runner promises, so they are refused.
 */
function transactionControl(node: Node, file: string, s: LocatedStatement, migration: Migration): boolean {
  if (!('TransactionStmt' in node)) return false;
  const kind = node.TransactionStmt.kind;
  if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START' || kind === 'TRANS_STMT_COMMIT') {
    migration.notes.push(`${s.sql.split(/\s/)[0]?.toUpperCase()} at ${file}:${s.line}:${s.column} is left out: each phase runs in its own transaction`);
    return true;
  }
  throw new PgdriftError('usage', `${file}:${s.line}:${s.column}: ${s.sql} is not allowed in a migration pgdrift runs: phases give the transactions (split the file with -- pgdrift:phase NAME)`);
}

/** Statements PostgreSQL refuses inside a transaction block ("… cannot run inside a transaction block"). */
export function cannotRunInTransaction(node: Node): boolean {
  if (nonTransactionalStatement(node, ['public'])) return true;
  if ('IndexStmt' in node) return node.IndexStmt.concurrent === true;
  if ('DropStmt' in node) return node.DropStmt.concurrent === true;
  if ('AlterTableStmt' in node) {
    // ALTER TABLE … DETACH PARTITION … CONCURRENTLY
    return (node.AlterTableStmt.cmds ?? []).some((c) => 'AlterTableCmd' in c && c.AlterTableCmd.def !== undefined && 'PartitionCmd' in c.AlterTableCmd.def && c.AlterTableCmd.def.PartitionCmd.concurrent === true);
  }
  return false;
}

/** COPY table FROM STDIN (not FROM a server file or a program, which the server reads itself). */
function isCopyFromStdin(node: Node): boolean {
  return 'CopyStmt' in node && node.CopyStmt.is_from === true && !node.CopyStmt.filename && !node.CopyStmt.is_program;
}

/** What destroys data or objects, for the production confirmation's count. */
function isDestructive(node: Node): boolean {
  if ('DropStmt' in node || 'TruncateStmt' in node || 'DeleteStmt' in node || 'DropdbStmt' in node) return true;
  if ('UpdateStmt' in node) return node.UpdateStmt.whereClause === undefined;
  if ('AlterTableStmt' in node) {
    return (node.AlterTableStmt.cmds ?? []).some((c) => 'AlterTableCmd' in c && (c.AlterTableCmd.subtype === 'AT_DropColumn' || c.AlterTableCmd.subtype === 'AT_DropConstraint'));
  }
  return false;
}

function summaryOf(sql: string): string {
  const first = sql.split('\n')[0]?.trim() ?? '';
  const more = sql.includes('\n') ? ' …' : '';
  return first.length > 100 ? `${first.slice(0, 99)}…` : `${first}${more}`;
}

/** "01-expand.sql" → "01-expand". */
function phaseNameOf(file: string): string {
  return basename(file).replace(/\.sql$/i, '');
}

async function sqlFilesOf(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const names = entries.filter((e) => e.isFile() && /\.sql$/i.test(e.name)).map((e) => e.name);
  if (names.length === 0) throw new PgdriftError('usage', `${folder} has no .sql files to run`);
  return names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

function folderHash(files: readonly MigrationFile[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${basename(f.path)}\0${f.sha256}\n`);
  return `sha256:${h.digest('hex')}`;
}
