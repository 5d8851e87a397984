/**
 * `pgdrift check` without measuring: each statement's hazards from its parse tree and a schema,
 * nothing probed, nothing connected. With the target's schema (read earlier, with the search path
 * it resolved) it is the check minus the numbers; without one, the schema is presumed from the
 * file (presumed.ts), so a DROP COLUMN still says it deletes values. Unmeasured data-loss and
 * failure hazards block, as they do in the check.
 */
import { applyAccepts, isBlocking, type Accept } from '../hazards/accept';
import type { SchemaModel } from '../model/types';
import { FileCatalog } from './catalog';
import type { StatementContext } from './context';
import { hazardsOf } from './hazardsOf';
import type { CheckResult, LocatedHazard, PreparedFile } from './index';
import { PRESUMED_SEARCH_PATH, presumedModel } from './presumed';

export interface KnownSchema {
  model: SchemaModel;
  /** The target's search path as checkOnTarget resolved it. */
  searchPath: string[];
}

export function checkStatic(file: PreparedFile, schema?: KnownSchema, accepts: readonly Accept[] = []): CheckResult {
  const searchPath = schema?.searchPath ?? PRESUMED_SEARCH_PATH;
  const model = schema?.model ?? presumedModel(file.split.statements);
  const ctx: StatementContext = { catalog: new FileCatalog(model, [...searchPath]), file: file.split };
  const found: LocatedHazard[] = [];
  for (const statement of file.split.statements) {
    for (const h of hazardsOf(ctx, statement)) found.push({ ...h, line: statement.line, column: statement.column, statement });
  }
  const { hazards, unused } = applyAccepts(found, [...file.accepts, ...accepts]);
  const located: LocatedHazard[] = found.map((h, i) => ({ ...h, ...hazards[i] }));
  const notes = schema ? [] : ['no target database: the tables the file changes were presumed to exist, and nothing was measured'];
  return { hazards: located, blocking: located.filter(isBlocking).length, unused, searchPath: [...searchPath], notes };
}
