/**
 * `pgdrift check`: a hand-written migration file, analysed statement by statement against the
 * database it is meant for. Nothing is executed: statements are located by PostgreSQL's parser,
 * their hazards derived from the parse trees and the target's schema, and the data-loss and
 * failure hazards measured on the target by the same bounded read-only probes as `plan`.
 */
import type { Accept } from '../hazards/accept';
import { applyAccepts, isBlocking } from '../hazards/accept';
import { measureHazards } from '../hazards/measure';
import { DEFAULT_PROBE_LIMITS, type ProbeLimits } from '../hazards/probe';
import type { Hazard } from '../hazards/types';
import type { Queryable } from '../db/queryable';
import { isPgdriftError } from '../errors';
import type { Inspection } from '../model/types';
import type { Plan } from '../plan/types';
import { FileCatalog } from './catalog';
import { acceptDirectives } from './directives';
import type { StatementContext } from './context';
import { hazardsOf } from './hazardsOf';
import { decodeSource } from './source';
import { splitStatements, type LocatedStatement, type SplitFile } from './split';

export interface PreparedFile {
  /** The file name as the user gave it, used in every position. */
  name: string;
  split: SplitFile;
  /** `-- pgdrift:accept` directives of the file. */
  accepts: Accept[];
}

export interface LocatedHazard extends Hazard {
  line: number;
  column: number;
  statement: LocatedStatement;
}

export interface CheckResult {
  hazards: LocatedHazard[];
  blocking: number;
  /** Accepts (from the file or the command line) that named no hazard. */
  unused: Accept[];
  /** The search path unqualified names were resolved with. */
  searchPath: string[];
  /** Assumptions the user should know about, one sentence each. */
  notes: string[];
}

/** Reads and parses the file; every problem here is the user's to fix (a usage error). */
export async function prepareFile(bytes: Uint8Array, name: string): Promise<PreparedFile> {
  const text = decodeSource(bytes, name);
  const split = await splitStatements(text, name);
  return { name, split, accepts: acceptDirectives(split, name) };
}

export async function checkOnTarget(
  file: PreparedFile, inspection: Inspection, db: Queryable, accepts: readonly Accept[], limits: ProbeLimits = DEFAULT_PROBE_LIMITS,
): Promise<CheckResult> {
  // current_schemas(false): the connection's search path as resolved now ("$user" expanded,
  // schemas that do not exist left out), which is how the server will resolve the file's names
  // when it runs under the same role and settings.
  const path = (await db.query<{ s: string[] }>('SELECT current_schemas(false)::text[] AS s')).rows[0]?.s ?? [];
  const searchPath = path.length ? path : ['public'];
  const notes = path.length ? [] : ['the search_path of --target names no existing schema: unqualified names were resolved in public'];
  const catalog = new FileCatalog(inspection.model, searchPath);
  const ctx: StatementContext = { catalog, file: file.split };
  const found: LocatedHazard[] = [];
  for (const statement of file.split.statements) {
    for (const h of hazardsOf(ctx, statement)) {
      found.push({ ...(await measured(h, db, limits)), line: statement.line, column: statement.column, statement });
    }
  }
  const { hazards, unused } = applyAccepts(found, [...file.accepts, ...accepts]);
  const located: LocatedHazard[] = found.map((h, i) => ({ ...h, ...hazards[i] }));
  return { hazards: located, blocking: located.filter(isBlocking).length, unused, searchPath, notes };
}

/**
 * One hazard measured on its own, so a probe the server rejects (a CHECK calling a function the
 * file creates first) leaves that hazard unmeasured, and blocking, instead of failing the check.
 */
async function measured(h: Hazard, db: Queryable, limits: ProbeLimits): Promise<Hazard> {
  if (!h.target) return h;
  const plan: Plan = {
    changes: [],
    statements: [{ sql: '', object: h.object, action: 'alter', phase: 'expand', change: h.object, hazards: [h] }],
  };
  try {
    return (await measureHazards(plan, db, limits)).statements[0]?.hazards?.[0] ?? h;
  } catch (error) {
    if (!isPgdriftError(error) || error.code !== 'query-failed') throw error;
    return { ...h, message: `${h.message} (not measured: ${error.message.split('\n')[0] ?? ''})` };
  }
}
