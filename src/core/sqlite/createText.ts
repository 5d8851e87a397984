/**
 * What pragmas do not tell about a table or index, read from the CREATE statement SQLite keeps in
 * sqlite_schema: CHECK constraints (table and column level, with their CONSTRAINT names),
 * AUTOINCREMENT, WITHOUT ROWID and STRICT; an index's key expressions and partial WHERE clause.
 */
import { matchingParen, nameOf, splitTopLevel, tokenize, type Token } from './tokens';

export interface CheckText {
  /** CONSTRAINT name, when the statement gave one. */
  name?: string;
  /** The column a column-level CHECK is written on. */
  column?: string;
  /** The expression's tokens, without the enclosing parentheses. */
  tokens: Token[];
  /** The expression as SQLite keeps it. */
  text: string;
}

export interface TableText {
  checks: CheckText[];
  /** The column declared INTEGER PRIMARY KEY AUTOINCREMENT. */
  autoincrement?: string;
  withoutRowid: boolean;
  strict: boolean;
  /** Foreign keys written DEFERRABLE (pragmas do not say), by their child columns. */
  deferrable: { columns: string[]; initiallyDeferred: boolean }[];
}

const TABLE_CONSTRAINT = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);
const CLAUSES = new Set(['PRIMARY', 'UNIQUE', 'NOT', 'DEFAULT', 'REFERENCES', 'COLLATE', 'GENERATED', 'FOREIGN']);

export function readTableText(sql: string): TableText {
  const tokens = tokenize(sql);
  const open = tokens.findIndex((t) => t.kind === 'punct' && t.text === '(');
  const result: TableText = { checks: [], withoutRowid: false, strict: false, deferrable: [] };
  if (open < 0) return result; // CREATE TABLE … AS SELECT: no constraints at all.
  const close = matchingParen(tokens, open);
  for (const definition of splitTopLevel(tokens, open + 1, close)) {
    const first = definition[0];
    const isColumn = !(first?.kind === 'word' && TABLE_CONSTRAINT.has(first.value));
    const column = isColumn ? nameOf(first) : undefined;
    let pendingName: string | undefined;
    for (let i = isColumn ? 1 : 0; i < definition.length; i += 1) {
      const t = definition[i];
      if (t?.kind !== 'word') continue;
      if (t.value === 'CONSTRAINT') {
        pendingName = nameOf(definition[i + 1]);
        i += 1;
      } else if (t.value === 'CHECK' && definition[i + 1]?.text === '(') {
        const end = matchingParen(definition, i + 1);
        const inner = definition.slice(i + 2, end);
        const text = inner.length ? sql.slice(inner[0]?.start ?? 0, inner[inner.length - 1]?.end ?? 0) : '';
        result.checks.push({ ...(pendingName !== undefined ? { name: pendingName } : {}), ...(column !== undefined ? { column } : {}), tokens: inner, text });
        pendingName = undefined;
        i = end;
      } else if (t.value === 'AUTOINCREMENT' && column !== undefined) {
        result.autoincrement = column;
      } else if (CLAUSES.has(t.value)) {
        // A name given with CONSTRAINT belongs to the clause right after it only.
        pendingName = undefined;
      }
    }
  }
  for (const definition of splitTopLevel(tokens, open + 1, close)) readDeferrable(definition, result);
  const tail = tokens.slice(close + 1).filter((t) => t.kind === 'word').map((t) => t.value);
  result.withoutRowid = tail.includes('ROWID');
  result.strict = tail.includes('STRICT');
  return result;
}

/**
 * `REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED` on a column, or after `FOREIGN KEY (a, b)` in a
 * table constraint. NOT DEFERRABLE and DEFERRABLE INITIALLY IMMEDIATE check each statement.
 */
function readDeferrable(definition: Token[], result: TableText): void {
  const words = definition.map((t) => (t.kind === 'word' ? t.value : ''));
  const at = words.indexOf('DEFERRABLE');
  if (at < 0 || words[at - 1] === 'NOT') return;
  const initiallyDeferred = words[at + 1] === 'INITIALLY' && words[at + 2] === 'DEFERRED';
  const foreign = words.indexOf('FOREIGN');
  if (foreign >= 0 && definition[foreign + 2]?.text === '(') {
    const end = matchingParen(definition, foreign + 2);
    const columns = definition.slice(foreign + 3, end).map(nameOf).filter((n): n is string => n !== undefined);
    result.deferrable.push({ columns, initiallyDeferred });
  } else if (words[0] !== 'CONSTRAINT' && words.includes('REFERENCES')) {
    const column = nameOf(definition[0]);
    if (column !== undefined) result.deferrable.push({ columns: [column], initiallyDeferred });
  }
}

export interface IndexText {
  /** Each key as written (a column name or an expression), with ASC/DESC/COLLATE left out. */
  keys: { tokens: Token[]; text: string; descending: boolean }[];
  where?: { tokens: Token[]; text: string };
}

export function readIndexText(sql: string): IndexText {
  const tokens = tokenize(sql);
  const open = tokens.findIndex((t) => t.kind === 'punct' && t.text === '(');
  if (open < 0) return { keys: [] };
  const close = matchingParen(tokens, open);
  const keys = splitTopLevel(tokens, open + 1, close).map((part) => {
    let end = part.length;
    let descending = false;
    const last = part[end - 1];
    if (last?.kind === 'word' && (last.value === 'ASC' || last.value === 'DESC')) {
      descending = last.value === 'DESC';
      end -= 1;
    }
    const collate = part.findIndex((t, i) => i < end && t.kind === 'word' && t.value === 'COLLATE');
    if (collate > 0) end = collate;
    const kept = part.slice(0, end);
    return { tokens: kept, text: kept.length ? sql.slice(kept[0]?.start ?? 0, kept[kept.length - 1]?.end ?? 0) : '', descending };
  });
  const whereAt = tokens.findIndex((t, i) => i > close && t.kind === 'word' && t.value === 'WHERE');
  if (whereAt < 0) return { keys };
  const where = tokens.slice(whereAt + 1);
  return { keys, where: { tokens: where, text: sql.slice(where[0]?.start ?? 0).trim().replace(/;$/, '') } };
}
