/**
 * SQLite expression text (a CHECK, a partial index's WHERE, a DEFAULT) → PostgreSQL expression
 * text, token by token, or the reason it is not translated. Only what means the same in both is
 * translated: column names (re-quoted the PostgreSQL way), literals, arithmetic and comparison
 * operators, AND/OR/NOT, IS [NOT] NULL, IN, BETWEEN, CASE, and functions that exist in PostgreSQL
 * with the same meaning. Anything else is reported rather than guessed:
 * - SQLite-only functions: typeof, datetime, date, time, julianday, strftime, unixepoch, ifnull,
 *   iif, instr, printf/format, glob, like() as a function, hex, unhex, zeroblob, randomblob,
 *   json_* and others: PostgreSQL has none of them, or one with another meaning.
 * - GLOB, REGEXP, MATCH: no PostgreSQL operator with that meaning.
 * - LIKE: ASCII case-insensitive in SQLite, case-sensitive in PostgreSQL.
 * - A comparison involving a column that becomes boolean (CHECK (active IN (0, 1))): PostgreSQL
 *   compares boolean with integer by error; the boolean type itself keeps only true and false.
 * - Blob literals (X'…'), bound parameters (?), subqueries, CURRENT_TIMESTAMP/DATE/TIME (UTC text
 *   in SQLite, the session's time zone in PostgreSQL).
 * Column names are spelt as quote_ident would (bare when lower case). `==` becomes `=`; a double-quoted word that names no column is a string in SQLite (a legacy
 * quirk) and is reported.
 */
import { pgIdent } from './pgNames';
import type { Token } from './tokens';

/** Functions with the same name and meaning in SQLite and PostgreSQL (for the argument types at hand). */
const SHARED_FUNCTIONS = new Set(['ABS', 'COALESCE', 'NULLIF', 'LENGTH', 'LOWER', 'UPPER', 'TRIM', 'LTRIM', 'RTRIM', 'REPLACE', 'SUBSTR', 'ROUND', 'MIN', 'MAX']);
// CURRENT_TIMESTAMP, CURRENT_DATE and CURRENT_TIME are left out: SQLite gives UTC text, PostgreSQL
// a value in the session's time zone, so a CHECK comparing with them would change meaning.
const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IS', 'NULL', 'IN', 'BETWEEN', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'TRUE', 'FALSE', 'DISTINCT', 'FROM']);
const UNSAFE_OPERATORS = new Set(['GLOB', 'REGEXP', 'MATCH', 'LIKE', 'ESCAPE', 'COLLATE', 'SELECT', 'EXISTS', 'CAST']);

export type Translated = { sql: string } | { problem: string };

export interface ExpressionContext {
  /** Column names of the table (as SQLite spells them), with their PostgreSQL types. */
  columns: ReadonlyMap<string, string>;
}

export function translateExpression(tokens: readonly Token[], ctx: ExpressionContext): Translated {
  const out: string[] = [];
  const columnsByLower = new Map([...ctx.columns.keys()].map((c) => [c.toLowerCase(), c]));
  const booleans = new Set([...ctx.columns].filter(([, type]) => type === 'boolean').map(([c]) => c));
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i];
    if (!t) continue;
    const next = tokens[i + 1];
    switch (t.kind) {
      case 'number':
        if (/^0x/i.test(t.text)) return { problem: `hexadecimal literal ${t.text}` };
        out.push(t.text);
        break;
      case 'string':
        out.push(`'${t.value.replace(/'/g, "''")}'${comparedWithText(tokens, i, ctx.columns, columnsByLower) ? '::text' : ''}`);
        break;
      case 'blob':
        return { problem: `blob literal ${t.text}` };
      case 'quoted':
      case 'word': {
        if (t.kind === 'word' && next?.text === '(' && !KEYWORDS.has(t.value)) {
          if (!SHARED_FUNCTIONS.has(t.value)) return { problem: `SQLite function ${t.text.toLowerCase()}() has no PostgreSQL equivalent with the same meaning` };
          out.push(t.text.toLowerCase());
          break;
        }
        if (t.kind === 'word' && UNSAFE_OPERATORS.has(t.value)) {
          return { problem: t.value === 'LIKE' ? 'LIKE ignores ASCII case in SQLite but not in PostgreSQL' : `${t.value} means something else in PostgreSQL or does not exist there` };
        }
        const column = columnsByLower.get((t.kind === 'quoted' ? t.value : t.text).toLowerCase());
        if (column !== undefined) {
          if (booleans.has(column)) return { problem: `compares ${column}, which becomes boolean (the type itself keeps only true and false)` };
          out.push(pgIdent(column));
          break;
        }
        if (t.kind === 'quoted') return { problem: `${t.text} names no column (SQLite would read it as a string)` };
        if (!KEYWORDS.has(t.value)) return { problem: `${t.text} is not a column or keyword pgdrift translates` };
        out.push(t.value);
        break;
      }
      case 'punct':
        if (t.text === '?' ) return { problem: 'bound parameter ?' };
        if (t.text === '.') return { problem: 'qualified name' };
        if (t.text === '->' || t.text === '->>') return { problem: `JSON operator ${t.text}` };
        out.push(t.text === '==' ? '=' : t.text);
        break;
    }
  }
  return { sql: join(out) };
}

const COMPARISONS = new Set(['=', '==', '<>', '!=', '<', '<=', '>', '>=']);

/**
 * A string literal compared with a text column: PostgreSQL resolves it to text and prints it as
 * 'open'::text, so the translation spells it that way too and reads like an introspected database.
 */
function comparedWithText(tokens: readonly Token[], i: number, types: ReadonlyMap<string, string>, byLower: ReadonlyMap<string, string>): boolean {
  const typeOf = (t: Token | undefined) => {
    if (!t || (t.kind !== 'word' && t.kind !== 'quoted')) return undefined;
    const name = byLower.get((t.kind === 'quoted' ? t.value : t.text).toLowerCase());
    return name === undefined ? undefined : types.get(name);
  };
  const before = COMPARISONS.has(tokens[i - 1]?.text ?? '') ? typeOf(tokens[i - 2]) : undefined;
  const after = COMPARISONS.has(tokens[i + 1]?.text ?? '') ? typeOf(tokens[i + 2]) : undefined;
  return before === 'text' || after === 'text';
}

/** Tokens joined with single spaces, none inside parentheses or before commas. */
function join(parts: string[]): string {
  let s = '';
  for (const p of parts) {
    if (s === '' || p === ')' || p === ',' || s.endsWith('(') || (p === '(' && /[a-z_]$/.test(s) && !/\b(AND|OR|NOT|IN|WHEN|THEN|ELSE)$/.test(s))) s += p;
    else s += ` ${p}`;
  }
  return s;
}
