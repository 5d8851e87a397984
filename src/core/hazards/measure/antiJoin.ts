/**
 * A new foreign key's orphans, as diff/constraints.ts writes them (MATCH SIMPLE):
 *
 *   t."a" IS NOT NULL AND t."b" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "s"."parent" p WHERE p."x" = t."a" AND p."y" = t."b")
 *
 * Alone at the top of a WHERE, PostgreSQL turns NOT EXISTS into an anti-join. Inside a scan that
 * combines several questions (an OR of predicates) it cannot: it stays a correlated subplan, hashed
 * at best, and a correlated subplan keeps the whole scan from running in parallel. So the combined
 * scan asks it as a LEFT JOIN to the parent's distinct keys instead: a row is an orphan when its
 * key columns are set (the filter) and no parent key joined. DISTINCT keeps the join from
 * repeating a row when the parent's key is not unique yet on the from-database. Same equality
 * operator, so the same rows.
 */

export interface AntiJoin {
  /** The conditions before NOT EXISTS (the key columns are not NULL). */
  filter: string;
  parent: string;
  /** Each parent column (quoted) and the child expression it must equal. */
  pairs: { parent: string; child: string }[];
}

const QUOTED = '"(?:[^"]|"")+"';
const SHAPE = new RegExp(`^(.+) AND NOT EXISTS \\(SELECT 1 FROM (${QUOTED}\\.${QUOTED}) p WHERE (.+)\\)$`, 's');
const PAIR = new RegExp(`^p\\.(${QUOTED}) = (t\\.${QUOTED})$`);

/** The parts of an orphan predicate in exactly that shape; undefined for anything else. */
export function antiJoinOf(where: string): AntiJoin | undefined {
  const m = SHAPE.exec(where);
  if (!m) return undefined;
  const [, filter = '', parent = '', conditions = ''] = m;
  if (/\bSELECT\b/i.test(filter)) return undefined;
  const pairs = conditions.split(' AND ').map((c) => PAIR.exec(c));
  if (pairs.some((p) => p === null)) return undefined;
  return { filter, parent, pairs: pairs.map((p) => ({ parent: p?.[1] ?? '', child: p?.[2] ?? '' })) };
}

/** Whether a predicate holds a subquery (and so should not be combined unless it is an anti-join). */
export function hasSubquery(where: string): boolean {
  return /\bSELECT\b/i.test(where);
}
