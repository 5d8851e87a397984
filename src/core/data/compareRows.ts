/**
 * Rows matched by primary key and compared column by column on their `::text` form, which is
 * exact: PostgreSQL's output function prints equal values alike and different ones differently,
 * for every built-in type, under the same session settings (read.ts pins them on both sides).
 * A column the target does not have yet (the plan adds it) makes every row differ: its value
 * must be written.
 */
import type { TextRow } from './read';

export type NamedRow = Map<string, string | null>;

export interface RowComparison {
  /** Rows only in --to, in --to's key order. */
  added: NamedRow[];
  /** Rows in both whose values differ, in --to's key order. */
  changed: NamedRow[];
  /** Rows only in the target. */
  missing: NamedRow[];
}

export function named(columns: readonly string[], rows: readonly TextRow[]): NamedRow[] {
  return rows.map((row) => new Map(columns.map((c, i) => [c, row[i] ?? null])));
}

export function keyOf(row: NamedRow, columns: readonly string[]): string {
  return JSON.stringify(columns.map((c) => row.get(c) ?? null));
}

export function compareRows(desired: readonly NamedRow[], target: readonly NamedRow[], key: readonly string[], columns: readonly string[]): RowComparison {
  const byKey = new Map(target.map((r) => [keyOf(r, key), r]));
  const seen = new Set<string>();
  const added: NamedRow[] = [];
  const changed: NamedRow[] = [];
  for (const row of desired) {
    const k = keyOf(row, key);
    seen.add(k);
    const old = byKey.get(k);
    if (!old) added.push(row);
    else if (columns.some((c) => !old.has(c) || old.get(c) !== row.get(c))) changed.push(row);
  }
  return { added, changed, missing: target.filter((r) => !seen.has(keyOf(r, key))) };
}
