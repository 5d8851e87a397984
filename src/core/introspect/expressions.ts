/**
 * Server-printed expressions that do not survive their own round trip. `x IN ('a', 'b')` on a
 * varchar column is stored as `x::text = ANY (ARRAY[…]::text[])`, which PostgreSQL prints with the
 * array in parentheses, `(ARRAY['a'::character varying, …])::text[]`; creating a constraint or
 * index from that text stores the cast on the array itself, printed without them. Both mean the
 * same, so the model keeps the second spelling and a database built from either reads the same.
 */
const PARENTHESISED_ARRAY_CAST = /\((ARRAY\[[^[\]]*\])\)(?=::)/g;

export function normaliseExpression(text: string): string {
  return text.includes('(ARRAY[') ? text.replace(PARENTHESISED_ARRAY_CAST, '$1') : text;
}
