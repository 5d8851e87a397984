/**
 * Just enough reading of a SQL file for the code actions, without the parser (a file being edited
 * is often not valid SQL yet, and this runs as the cursor moves): where statements begin and end,
 * which names a piece of text mentions, and where inserted statements go.
 *
 * A semicolon ends a statement unless it is inside a string literal ('…' with '' doubled, E'…'
 * with backslash escapes), a quoted identifier, a dollar-quoted string ($$…$$, $tag$…$tag$), a
 * line comment or a block comment (which PostgreSQL nests).
 */

export interface Span {
  /** String index of the statement's first character (comments and blanks before it excluded). */
  start: number;
  /** String index just after its semicolon, or the end of the text when it has none. */
  end: number;
}

/** The statements of a text, in order. */
export function statementSpans(text: string): Span[] {
  const spans: Span[] = [];
  let start: number | undefined;
  let i = 0;
  const n = text.length;
  const begin = () => {
    if (start === undefined) start = i;
  };
  while (i < n) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol + 1;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') { depth += 1; i += 2; }
        else if (text[i] === '*' && text[i + 1] === '/') { depth -= 1; i += 2; }
        else i += 1;
      }
    } else if (c === "'" || c === '"') {
      begin();
      const escapes = c === "'" && /[eE]/.test(text[i - 1] ?? '') && !/[\w$]/.test(text[i - 2] ?? '');
      i += 1;
      while (i < n) {
        if (escapes && text[i] === '\\') { i += 2; continue; }
        if (text[i] === c) {
          if (text[i + 1] === c) { i += 2; continue; }
          i += 1;
          break;
        }
        i += 1;
      }
    } else if (c === '$' && !/[\w$]/.test(text[i - 1] ?? '')) {
      begin();
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
      } else i += 1;
    } else if (c === ';') {
      begin();
      spans.push({ start: start as number, end: i + 1 });
      start = undefined;
      i += 1;
    } else {
      if (!/\s/.test(c)) begin();
      i += 1;
    }
  }
  if (start !== undefined) spans.push({ start, end: n });
  return spans;
}

/** The statement the offset is in: after its first character, up to and including just after its semicolon. */
export function statementAt(text: string, offset: number): Span | undefined {
  return statementSpans(text).find((s) => s.start < offset && offset <= s.end);
}

/** One name part as written: `"Role"` is quoted and exact, `role` is unquoted. */
export interface NamePart {
  name: string;
  quoted: boolean;
}

const PART = String.raw`(?:"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*)`;
const CHAIN = new RegExp(String.raw`${PART}(?:\s*\.\s*${PART})*`, 'g');
const PART_ONE = new RegExp(PART, 'g');

/** The dotted names a text mentions: `public."Role"` is [public, Role], `x` is [x]. */
export function nameChains(text: string): NamePart[][] {
  const out: NamePart[][] = [];
  for (const m of text.matchAll(CHAIN)) {
    out.push([...m[0].matchAll(PART_ONE)].map(([p]) => (p.startsWith('"') ? { name: p.slice(1, -1).replace(/""/g, '"'), quoted: true } : { name: p, quoted: false })));
  }
  return out;
}

/**
 * Whether a name as written designates `name`. A quoted name must match exactly; an unquoted one
 * is matched regardless of case (PostgreSQL folds it to lower case, but someone typing Role
 * unquoted in a note or a query still means the table "Role").
 */
export function designates(part: NamePart, name: string): boolean {
  return part.quoted ? part.name === name : part.name.toLowerCase() === name.toLowerCase();
}

/** The text the relevance is read from: the statement at the offset, or else the offset's line. */
export function contextAt(text: string, offset: number): string {
  const span = statementSpans(text).find((s) => s.start <= offset && offset <= s.end);
  if (span) return text.slice(span.start, span.end);
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const eol = text.indexOf('\n', offset);
  return text.slice(lineStart, eol < 0 ? text.length : eol);
}

export interface Insertion {
  /** Where the text goes: always the start of a line (or the end of a text without a final newline). */
  offset: number;
  /** The inserted statements with the line breaks that keep one blank line around them. */
  text: string;
}

/**
 * Where statements inserted "at the cursor" go, and the text with its surrounding line breaks:
 * inside a statement, at the start of the line after it (never splitting it); on a line with only
 * blanks before the cursor, at the start of that line; after something else on the line (a
 * comment, a finished statement), at the start of the next line. One blank line separates the
 * inserted statements from the text before and after them; nothing is added to an empty file
 * besides the statements and their final newline.
 */
export function insertionAt(text: string, offset: number, body: string): Insertion {
  const lineStartOf = (at: number) => text.lastIndexOf('\n', at - 1) + 1;
  const nextLineStart = (at: number) => {
    const eol = text.indexOf('\n', at);
    return eol < 0 ? text.length : eol + 1;
  };
  const span = statementAt(text, offset);
  let at: number;
  if (span) at = nextLineStart(Math.max(span.start, span.end - 1));
  else if (/^\s*$/.test(text.slice(lineStartOf(offset), offset))) at = lineStartOf(offset);
  else at = nextLineStart(offset);

  const before = text.slice(0, at);
  const after = text.slice(at);
  let prefix = '';
  if (before.length > 0) {
    if (!before.endsWith('\n')) prefix = '\n\n';
    else if (!/\n\s*\n$/.test(`\n${before}`) && before.trim() !== '') prefix = '\n';
  }
  const nextLine = after.slice(0, after.indexOf('\n') < 0 ? after.length : after.indexOf('\n'));
  const suffix = nextLine.trim() !== '' ? '\n' : '';
  return { offset: at, text: `${prefix}${body.trimEnd()}\n${suffix}` };
}

/** A text with all white space removed: what "already in the file" compares, whatever the layout. */
export function squeeze(text: string): string {
  return text.replace(/\s+/g, '');
}
