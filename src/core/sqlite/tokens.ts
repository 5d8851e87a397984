/**
 * A tokenizer for the SQL text SQLite keeps in sqlite_schema: SQLite stores each CREATE statement
 * as it was written, so CHECK expressions, AUTOINCREMENT and partial-index WHERE clauses are read
 * from that text. Only what those readers need: quoted names ("x", `x`, [x]), string literals
 * ('it''s', X'00' blobs), numbers, words, punctuation; comments and white space are dropped.
 */
export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'blob' | 'punct';

export interface Token {
  kind: TokenKind;
  /** As written in the source text. */
  text: string;
  /** For words: upper case; for quoted names: the name unquoted; for strings: the value. */
  value: string;
  start: number;
  end: number;
}

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value: string) => out.push({ kind, text: sql.slice(start, end), value, start, end });
  while (i < sql.length) {
    const c = sql[i] ?? '';
    if (/\s/.test(c)) { i += 1; continue; }
    if (c === '-' && sql[i + 1] === '-') { const nl = sql.indexOf('\n', i); i = nl < 0 ? sql.length : nl + 1; continue; }
    if (c === '/' && sql[i + 1] === '*') { const close = sql.indexOf('*/', i + 2); i = close < 0 ? sql.length : close + 2; continue; }
    const start = i;
    if ((c === 'x' || c === 'X') && sql[i + 1] === "'") {
      const end = closing(sql, i + 1, "'");
      push('blob', start, end, sql.slice(i + 2, end - 1));
      i = end;
    } else if (c === "'") {
      const end = closing(sql, i, "'");
      push('string', start, end, sql.slice(i + 1, end - 1).replace(/''/g, "'"));
      i = end;
    } else if (c === '"' || c === '`') {
      const end = closing(sql, i, c);
      push('quoted', start, end, sql.slice(i + 1, end - 1).split(c + c).join(c));
      i = end;
    } else if (c === '[') {
      const close = sql.indexOf(']', i);
      const end = close < 0 ? sql.length : close + 1;
      push('quoted', start, end, sql.slice(i + 1, end - 1));
      i = end;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(0x[0-9a-f]+|[0-9]*\.?[0-9]*(e[+-]?[0-9]+)?)/i.exec(sql.slice(i));
      const end = i + Math.max(1, m?.[0].length ?? 1);
      push('number', start, end, sql.slice(start, end));
      i = end;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const m = /^[A-Za-z_0-9$\u0080-\uffff]+/.exec(sql.slice(i));
      const end = i + (m?.[0].length ?? 1);
      push('word', start, end, sql.slice(start, end).toUpperCase());
      i = end;
    } else {
      const two = sql.slice(i, i + 2);
      const len = ['||', '==', '!=', '<>', '<=', '>=', '<<', '>>', '->'].includes(two) ? (sql.slice(i, i + 3) === '->>' ? 3 : 2) : 1;
      push('punct', start, i + len, sql.slice(i, i + len));
      i += len;
    }
  }
  return out;
}

/** The end (exclusive) of a quoted run starting at `from`, where a doubled quote is part of it. */
function closing(sql: string, from: number, quote: string): number {
  let i = from + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) { i += 2; continue; }
      return i + 1;
    }
    i += 1;
  }
  return sql.length;
}

/** The index of the token closing the parenthesis opened at `open`. */
export function matchingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i += 1) {
    const t = tokens[i];
    if (t?.kind !== 'punct') continue;
    if (t.text === '(') depth += 1;
    else if (t.text === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return tokens.length - 1;
}

/** Splits tokens[from, to) at top-level commas. */
export function splitTopLevel(tokens: readonly Token[], from: number, to: number): Token[][] {
  const parts: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (let i = from; i < to; i += 1) {
    const t = tokens[i];
    if (!t) continue;
    if (t.kind === 'punct' && t.text === '(') depth += 1;
    if (t.kind === 'punct' && t.text === ')') depth -= 1;
    if (depth === 0 && t.kind === 'punct' && t.text === ',') {
      parts.push(current);
      current = [];
    } else {
      current.push(t);
    }
  }
  if (current.length) parts.push(current);
  return parts;
}

/** A name token's name: quoted names unquoted, bare words as written. */
export function nameOf(t: Token | undefined): string | undefined {
  if (!t) return undefined;
  if (t.kind === 'quoted') return t.value;
  if (t.kind === 'string') return t.value;
  if (t.kind === 'word') return t.text;
  return undefined;
}
