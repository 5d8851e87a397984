/**
 * Server-printed expressions that do not survive their own round trip. `x IN ('a', 'b')` on a
 * varchar column is stored as `x::text = ANY (ARRAY['a'::varchar, 'b'::varchar]::text[])`, a cast
 * of the whole array. Creating a constraint or index from that printed text makes the parser push
 * the cast into the elements, `ARRAY['a'::varchar::text, 'b'::varchar::text]`, which prints
 * differently although it means the same. The model keeps the second spelling, which is a fixed
 * point, so a database built from either form reads the same. pg_get_indexdef (not pretty) puts
 * parentheses around both the array and each element: `(ARRAY[…])::text[]` → `ARRAY[(…)::text, …]`.
 */
const LITERAL = String.raw`'(?:[^']|'')*'::[A-Za-z_][\w ."]*?`;
const ELEMENTS = String.raw`(${LITERAL}(?:, ${LITERAL})*)`;
const ARRAY_CAST = new RegExp(String.raw`(?:\(ARRAY\[${ELEMENTS}\]\)|ARRAY\[${ELEMENTS}\])::([A-Za-z_][\w ."]*?)\[\]`, 'g');
const ELEMENT = new RegExp(LITERAL + String.raw`(?=, |$)`, 'g');

export function normaliseExpression(text: string): string {
  if (!text.includes('ARRAY[')) return text;
  return text.replace(ARRAY_CAST, (whole, parenthesised: string | undefined, bare: string | undefined, type: string) => {
    const elements = parenthesised ?? bare ?? '';
    const parts = elements.match(ELEMENT) ?? [];
    if (parts.join(', ') !== elements) return whole;
    return `ARRAY[${parts.map((p) => (parenthesised ? `(${p})::${type}` : `${p}::${type}`)).join(', ')}]`;
  });
}
