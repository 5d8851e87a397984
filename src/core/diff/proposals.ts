/**
 * Rename proposals (HAZARDS.md DL-04, DL-06). A rename the user did not declare reads as a drop
 * and a create, which loses the old values. The plan is left as it is (guessing wrong would be
 * worse), but the drop's hazard says what it looks like and how to declare the rename:
 * - columns: in one table, a dropped and an added column of the same type whose folded names
 *   (twins.ts) are within an edit distance of a third of the longer one;
 * - tables: in one schema, a dropped and a created table with the same columns (names and types),
 *   or names equal up to case.
 * Each dropped object gets at most one proposal: the closest name, ties left unproposed.
 */
import type { Column, SchemaModel, Table } from '../model/types';
import type { Change, Statement } from '../plan/types';
import type { Hazard, HazardCode } from '../hazards/types';
import { hazard } from '../hazards/types';
import { columnId } from './context';
import { foldName } from './twins';

/** Appended to a DL-04/DL-06 message; the measure keeps it when it rewrites the message. */
export const PROPOSAL_MARK = ' It looks like a rename';

export function proposeRenames(changes: Change[], from: SchemaModel, to: SchemaModel): Change[] {
  const fromTables = new Map(from.tables.map((t) => [t.id, t]));
  const toTables = new Map(to.tables.map((t) => [t.id, t]));
  const proposals = new Map<string, { code: HazardCode; proposal: string }>();
  for (const [dropped, proposal] of columnProposals(changes, fromTables, toTables)) proposals.set(dropped, { code: 'DL-04', proposal });
  for (const [dropped, proposal] of tableProposals(changes, fromTables, toTables)) proposals.set(dropped, { code: 'DL-06', proposal });
  if (proposals.size === 0) return changes;
  return changes.map((c) => {
    const p = c.action === 'drop' ? proposals.get(c.id) : undefined;
    return p ? { ...c, statements: c.statements.map((s) => withProposal(s, p.code, p.proposal)) } : c;
  });
}

function withProposal(s: Statement, code: HazardCode, proposal: string): Statement {
  const plain = code === 'DL-04' ? 'DL-02' : 'DL-01';
  if (!s.hazards?.some((h) => h.code === plain)) return s;
  return {
    ...s,
    hazards: s.hazards.map((h): Hazard => (h.code === plain
      ? { ...hazard(code, h.object, `${h.message}${PROPOSAL_MARK}${proposal}`, h.target), ...(h.remedy ? { remedy: h.remedy } : {}) }
      : h)),
  };
}

/** The proposal part of a message (from PROPOSAL_MARK on), or ''. */
export function proposalOf(message: string): string {
  const i = message.indexOf(PROPOSAL_MARK);
  return i < 0 ? '' : message.slice(i);
}

function idsOf(changes: readonly Change[], kind: Change['kind'], action: Change['action']): Change[] {
  return changes.filter((c) => c.kind === kind && c.action === action);
}

/** Dropped column id → proposal text. */
function columnProposals(changes: readonly Change[], fromTables: Map<string, Table>, toTables: Map<string, Table>): Map<string, string> {
  const out = new Map<string, string>();
  const added = idsOf(changes, 'column', 'create');
  for (const drop of idsOf(changes, 'column', 'drop')) {
    const table = drop.parent ? fromTables.get(drop.parent) : undefined;
    const desired = drop.parent ? toTables.get(drop.parent) : undefined;
    const old = table?.columns.find((c) => drop.id === columnId(table.id, c.name));
    if (!table || !desired || !old) continue;
    const candidates = added.filter((a) => a.parent === drop.parent)
      .map((a) => desired.columns.find((c) => a.id === columnId(desired.id, c.name)))
      .filter((c): c is Column => c !== undefined && c.type === old.type);
    const best = closest(old.name, candidates.map((c) => c.name), (a, b) => similarity(a, b) <= 1 / 3);
    if (best === undefined) continue;
    const mapping = { columns: { [`${desired.schema}.${desired.name}`]: { [old.name]: best } } };
    out.set(drop.id, ` to ${JSON.stringify(best)}: add ${JSON.stringify(mapping)} to pgdrift.mapping.json.`);
  }
  return out;
}

/** Dropped table id → proposal text. */
function tableProposals(changes: readonly Change[], fromTables: Map<string, Table>, toTables: Map<string, Table>): Map<string, string> {
  const out = new Map<string, string>();
  const created = idsOf(changes, 'table', 'create').map((c) => toTables.get(c.id)).filter((t): t is Table => t !== undefined);
  for (const drop of idsOf(changes, 'table', 'drop')) {
    const old = fromTables.get(drop.id);
    if (!old) continue;
    const same = created.filter((t) => t.schema === old.schema && (t.name.toLowerCase() === old.name.toLowerCase() || columnSet(t) === columnSet(old)));
    if (same.length !== 1) continue;
    const best = same[0] as Table;
    const mapping = { tables: { [`${old.schema}.${old.name}`]: best.name } };
    out.set(drop.id, ` to ${JSON.stringify(best.name)}: add ${JSON.stringify(mapping)} to pgdrift.mapping.json.`);
  }
  return out;
}

function columnSet(t: Table): string {
  return JSON.stringify(t.columns.map((c) => [c.name, c.type]).sort());
}

/** The one candidate closest to `name` that `near` accepts; undefined if none or a tie. */
function closest(name: string, candidates: readonly string[], near: (a: string, b: string) => boolean): string | undefined {
  const scored = candidates.filter((c) => near(name, c)).map((c) => ({ c, d: similarity(name, c) })).sort((x, y) => x.d - y.d);
  const [first, second] = scored;
  if (!first || (second && second.d === first.d)) return undefined;
  return first.c;
}

/** Edit distance between the folded names over the longer one's length: 0 same, 1 unrelated. */
export function similarity(a: string, b: string): number {
  const x = foldName(a);
  const y = foldName(b);
  const longest = Math.max(x.length, y.length);
  return longest === 0 ? 0 : editDistance(x, y) / longest;
}

/** Levenshtein distance (insert, delete, substitute). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
