/**
 * Values as SQL literals. Each value was read as `column::text`, which is PostgreSQL's own output
 * function, and is written back as `'text'::type`, which is its input function: for every built-in
 * type the pair round-trips exactly (bytea in hex, json/jsonb, arrays, numeric with its scale,
 * timestamptz with the offset of the reading session's TimeZone, floats with extra_float_digits).
 * Literals are standard-conforming strings (the default since PostgreSQL 9.1): only the quote is
 * doubled, a backslash is an ordinary character.
 */
import { quoteIdent } from '../model/ids';

export function sqlLiteral(text: string | null, type: string): string {
  if (text === null) return 'NULL';
  return `'${text.replace(/'/g, "''")}'::${type}`;
}

/** `"public"."Role"` for a table's schema and name. */
export function qualifiedName(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** `"public"."Role"` → schema and name; `public.Role` and `Role` (schema public) too. */
export function parseTableName(text: string): { schema: string; name: string } | undefined {
  const parts: string[] = [];
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    if (s[i] === '"') {
      let part = '';
      i += 1;
      for (;;) {
        if (i >= s.length) return undefined;
        if (s[i] === '"') {
          if (s[i + 1] === '"') { part += '"'; i += 2; continue; }
          i += 1;
          break;
        }
        part += s[i];
        i += 1;
      }
      parts.push(part);
    } else {
      const dot = s.indexOf('.', i);
      const end = dot === -1 ? s.length : dot;
      parts.push(s.slice(i, end));
      i = end;
    }
    if (i < s.length) {
      if (s[i] !== '.') return undefined;
      i += 1;
      if (i === s.length) return undefined;
    }
  }
  if (parts.some((p) => p === '')) return undefined;
  if (parts.length === 1 && parts[0] !== undefined) return { schema: 'public', name: parts[0] };
  if (parts.length === 2 && parts[0] !== undefined && parts[1] !== undefined) return { schema: parts[0], name: parts[1] };
  return undefined;
}
