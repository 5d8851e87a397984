/**
 * What leaving changes out (--exclude, unchecked items in the editor) means for the data
 * statements, which are not changes of their own: the rows they write need their table and its
 * new columns. (The validate phase's object counts follow the plan that runs: remedies.ts.)
 */
import { displayName } from '../render/objectName';
import type { ExcludedChange } from './index';

/**
 * Table id → what of it the plan leaves out: the table's own creation, or a new column the rows
 * would be written to ("column public.t.c"). Data statements for these tables cannot run.
 */
export function leftOutTables(excluded: readonly ExcludedChange[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const { change } of excluded) {
    if (change.kind === 'table' && (change.action === 'create' || change.action === 'recreate')) out.set(change.id, `the creation of ${displayName(change.id)}`);
    else if (change.kind === 'column' && change.action === 'create' && change.parent && !out.has(change.parent)) out.set(change.parent, `column ${displayName(change.id)}`);
  }
  return out;
}
