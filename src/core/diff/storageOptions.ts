/**
 * Storage parameters (reloptions: fillfactor, autovacuum_*, security_barrier, check_option, …) of
 * a table, view or index change in place: RESET the ones that go, SET the new values. Only the
 * options that differ are written (ALTER … SET on a view reads every option as a view option).
 */
import type { ObjectId } from '../model/types';
import type { Statement } from '../plan/types';
import { alterStatement } from './kind';

function optionName(option: string): string {
  const eq = option.indexOf('=');
  return eq < 0 ? option : option.slice(0, eq);
}

/** `target` is what follows ALTER: `TABLE "s"."t"`, `INDEX "s"."i"`, `VIEW "s"."v"`. */
export function storageOptionChange(
  target: string, id: ObjectId, from: readonly string[], to: readonly string[],
): { statements: Statement[]; details: string[] } {
  const reset = from.map(optionName).filter((k) => !to.some((o) => optionName(o) === k));
  const set = to.filter((o) => !from.includes(o));
  if (!reset.length && !set.length) return { statements: [], details: [] };
  const statements: Statement[] = [];
  if (reset.length) statements.push(alterStatement(`ALTER ${target} RESET (${reset.join(', ')})`, id, { needs: [id] }));
  if (set.length) statements.push(alterStatement(`ALTER ${target} SET (${set.join(', ')})`, id, { needs: [id] }));
  return { statements, details: [`storage options: ${to.join(', ') || 'defaults'}`] };
}
