/**
 * The live validation of a run (issue 8): row counts before the run, then after each phase the row
 * counts against the previous ones, the object counts against the to-source, the phase's
 * expectations, the backups against their manifest, and after the last phase the differences that
 * remain. It only reads; inside a rehearsal's open transaction it reads in a savepoint it rolls
 * back, so the rehearsal goes on as it was (its search_path and settings included). A check that
 * cannot be made becomes a note, never a failure of the run.
 */
import type { Queryable } from '../../db/queryable';
import type { DiffOptions } from '../../diff/options';
import { messageOf } from '../../errors';
import { introspect } from '../../introspect';
import type { Inspection } from '../../model/types';
import { insideTransaction } from '../nested';
import { DEFAULT_EXACT_COUNT_LIMIT, type Phase, type PhaseValidation, type TableCount } from '../types';
import { countBackups } from './backups';
import { objectCounts } from './objectCounts';
import { rediff } from './rediff';
import { countRows, type RowCountSnapshot } from './rowCounts';
import { readScope } from './scope';

export interface ValidatorOptions {
  /** The desired state: object counts and the final re-diff compare against it. */
  to?: () => Promise<Inspection>;
  /** Tables the planner believes larger than this get an estimated count (DEFAULT_EXACT_COUNT_LIMIT). */
  exactCountLimit?: number;
  /** host:port/database and the database name of the target, for messages. */
  where: string;
  database: string;
  serverVersionNum: number;
  serverVersion: string;
  /** How the plan compared (owners, privileges, comments), for the re-diff; the defaults otherwise. */
  diff?: Partial<DiffOptions>;
  /** SQL files as the to-source: extensions created without a VERSION. */
  toUnpinnedExtensions?: readonly string[];
}

export interface Validator {
  /** Row counts before the run (outside any transaction). */
  start(q: Queryable): Promise<void>;
  /**
   * After a phase that succeeded: in a run after its COMMIT (`inTransaction` false), in a
   * rehearsal inside the still-open transaction (`inTransaction` true).
   */
  afterPhase(phase: Phase, q: Queryable, last: boolean, expectations: PhaseValidation['expectations'], inTransaction: boolean): Promise<PhaseValidation>;
}

export function createValidator(options: ValidatorOptions): Validator {
  const limit = options.exactCountLimit ?? DEFAULT_EXACT_COUNT_LIMIT;
  let before: RowCountSnapshot | undefined;
  let startNote: string | undefined;
  let desired: Promise<Inspection> | undefined;
  const toSource = options.to;

  return {
    async start(q) {
      try {
        before = await readScope(q, false, (db) => countRows(db, limit));
      } catch (error) {
        startNote = `row counts before the run could not be read: ${messageOf(error)}`;
      }
    },

    async afterPhase(_phase, q, last, expectations, inTransaction) {
      const notes: string[] = [];
      if (startNote) notes.push(startNote);
      startNote = undefined;

      let tables: TableCount[] = [];
      try {
        const rows = await readScope(q, inTransaction, (db) => countRows(db, limit));
        tables = compareCounts(before, rows, notes);
        notes.push(...rows.notes);
        before = rows;
      } catch (error) {
        notes.push(`row counts could not be read: ${messageOf(error)}`);
      }

      let backups: PhaseValidation['backups'] = [];
      try {
        const read = await readScope(q, inTransaction, countBackups);
        backups = read.backups;
        notes.push(...read.notes);
      } catch (error) {
        notes.push(`backups could not be counted against pgdrift_backup.manifest: ${messageOf(error)}`);
      }

      let target: Inspection | undefined;
      try {
        target = await introspect({
          db: inTransaction ? insideTransaction(q) : q,
          where: options.where,
          database: options.database,
          server: { versionNum: options.serverVersionNum, version: options.serverVersion },
        });
      } catch (error) {
        notes.push(`the target's schema could not be read: ${messageOf(error)}`);
      }

      let to: Inspection | undefined;
      if (toSource) {
        desired ??= toSource();
        try {
          to = await desired;
        } catch (error) {
          notes.push(`the to-source could not be read: ${messageOf(error)}`);
        }
      }

      const report: PhaseValidation = {
        tables,
        objects: target ? objectCounts(target.model, to?.model) : [],
        expectations,
        backups,
        notes,
      };
      if (last && target && to) {
        try {
          report.rediff = await rediff(target, to, {
            ...(options.diff ? { diff: options.diff } : {}),
            ...(options.toUnpinnedExtensions ? { toUnpinnedExtensions: options.toUnpinnedExtensions } : {}),
          });
        } catch (error) {
          notes.push(`the re-diff against the to-source failed: ${messageOf(error)}`);
        }
      }
      return report;
    },
  };
}

/**
 * Every table before or after, in name order. A kept table (there before and after) with fewer
 * rows is a decrease when both counts are exact; estimates move on their own (ANALYZE samples),
 * so a falling estimate is only noted.
 */
export function compareCounts(before: RowCountSnapshot | undefined, after: RowCountSnapshot, notes: string[]): TableCount[] {
  const names = [...new Set([...(before?.counts.keys() ?? []), ...after.counts.keys()])].sort();
  return names.map((table) => {
    const b = before?.counts.get(table);
    const a = after.counts.get(table);
    const exact = (b?.exact ?? true) && (a?.exact ?? true);
    const decreased = b !== undefined && a !== undefined && a.rows < b.rows && exact;
    if (b && a && a.rows < b.rows && !exact) notes.push(`${table}: the estimate fell from ~${b.rows} to ~${a.rows} rows (not counted exactly)`);
    return { table, ...(b ? { before: b.rows } : {}), ...(a ? { after: a.rows } : {}), exact, decreased };
  });
}
