import * as vscode from 'vscode';
import type { ObjectId } from '../../core/model/types';
import { describeRequirement } from '../../core/plan/select';
import type { Change } from '../../core/plan/types';
import { kindLabel } from '../../core/render/changeKinds';
import { displayName, kindOfId } from '../../core/render/objectName';
import type { ChangeSelection } from '../compare/selection';

/** What the hidden `pgdrift.differences.select` command (and a checkbox) ends with, for tests. */
export interface SelectOutcome {
  status: 'excluded' | 'included' | 'cancelled';
  /** Changes left out or brought back besides the ones asked for. */
  also: ObjectId[];
  /** Every change left out afterwards. */
  excluded: ObjectId[];
}

/**
 * A box unchecked or checked in the Schema Differences view. Leaving out a change that others need
 * asks first, naming them ("Exclude All 3" or Cancel, which puts the box back); the change's own
 * members (the primary key of a table left out) go with it without asking. Including a change
 * again brings back what it needs, and says so.
 */
export async function setIncluded(selection: ChangeSelection, changes: ReadonlyMap<ObjectId, Change>, ids: readonly ObjectId[], included: boolean): Promise<SelectOutcome> {
  if (included) {
    const back = selection.wouldBringBack(ids);
    selection.include(ids);
    if (back.length) {
      void vscode.window.showInformationMessage(`pgdrift: included again, as ${ids.map(name).join(', ')} ${ids.length === 1 ? 'needs' : 'need'} ${back.length === 1 ? 'it' : 'them'}: ${back.map(name).join(', ')}.`);
    }
    return { status: 'included', also: back, excluded: selection.excludedIds };
  }
  const forced = selection.wouldForce(ids);
  const asked = new Set(ids);
  // Members of a table left out are shown under it and obviously go with it.
  const others = forced.filter((f) => {
    const parent = changes.get(f.change)?.parent;
    return !(parent && asked.has(parent));
  });
  if (others.length) {
    const count = ids.length + forced.length;
    // Named as the user sees them: the table, not its members under it.
    const shown = ids.filter((id) => {
      const parent = changes.get(id)?.parent;
      return !(parent && asked.has(parent));
    });
    const lines = others.map((f) => `${capitalised(name(f.change))} ${describeRequirement(f.requirement)}.`);
    const choice = await vscode.window.showWarningMessage(
      `Leaving out ${shown.map(name).join(', ')} leaves out ${others.length === 1 ? 'a change that needs it' : `${others.length} changes that need it`} too.`,
      { modal: true, detail: `${lines.join('\n')}\n\nThe migration is generated without all of them.` },
      `Exclude All ${count}`,
    );
    if (!choice) {
      selection.refresh();
      return { status: 'cancelled', also: [], excluded: selection.excludedIds };
    }
  }
  selection.exclude(ids);
  return { status: 'excluded', also: forced.map((f) => f.change), excluded: selection.excludedIds };
}

/** 'foreign key public."TimeEntry"."TimeEntry_roleId_fkey"', 'table public."Role"'. */
function name(id: ObjectId): string {
  return `${kindLabel(kindOfId(id), 1)} ${displayName(id)}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
