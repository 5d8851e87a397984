/**
 * JSON with comments and trailing commas, the dialect of VS Code's settings.json: `//` and `/* *\/`
 * comments and commas before `}` or `]` are removed outside strings, then JSON.parse reads the
 * rest. Enough to read settings a person wrote; positions in errors are of the cleaned text, whose
 * line breaks are kept, so line numbers still match the file.
 */
export function parseJsonc(text: string): unknown {
  const src = text.replace(/^\uFEFF/, '');
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '"') {
      const end = stringEnd(src, i);
      out += src.slice(i, end);
      i = end;
    } else if (isCommentStart(src, i)) {
      const end = commentEnd(src, i);
      // Blanked, not cut: JSON.parse's positions stay on the file's line and column.
      out += src.slice(i, end).replace(/[^\n]/g, ' ');
      i = end;
    } else {
      out += c === ',' && closesNext(src, i + 1) ? ' ' : c;
      i++;
    }
  }
  return JSON.parse(out);
}

function isCommentStart(text: string, i: number): boolean {
  return text[i] === '/' && (text[i + 1] === '/' || text[i + 1] === '*');
}

/** Index just past the comment that starts at `i` (a line comment ends before its line break). */
function commentEnd(text: string, i: number): number {
  if (text[i + 1] === '/') {
    const lineBreak = text.indexOf('\n', i);
    return lineBreak < 0 ? text.length : lineBreak;
  }
  const close = text.indexOf('*/', i + 2);
  return close < 0 ? text.length : close + 2;
}

/** Whether the next token after `i` (past spaces and comments) closes an object or array: a trailing comma. */
function closesNext(text: string, i: number): boolean {
  while (i < text.length) {
    if (/\s/.test(text[i] ?? '')) i++;
    else if (isCommentStart(text, i)) i = commentEnd(text, i);
    else break;
  }
  return text[i] === '}' || text[i] === ']';
}

/** Index just past the string that starts with the quote at `start` (or the end of the text). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else i++;
  }
  return text.length;
}
