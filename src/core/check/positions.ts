/**
 * Positions in a migration file. The parser reports byte offsets into the UTF-8 text (and error
 * cursors in characters); users want 1-based lines and columns, editors want string indexes.
 * Columns count characters (code points), so an accented letter or an emoji counts once.
 * Line breaks are \n, \r\n and a lone \r, as editors show them.
 */
export interface LineColumn {
  line: number;
  column: number;
}

export class SourceText {
  private readonly lineStarts: number[] = [0];
  private byteIndex: Int32Array | undefined;

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i += 1) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.lineStarts.push(i + 1);
    }
  }

  /** The string index of a UTF-8 byte offset (offsets inside a character map to its start). */
  indexOfByte(byte: number): number {
    const map = this.byteMap();
    return map[Math.max(0, Math.min(byte, map.length - 1))] ?? this.text.length;
  }

  /** The string index of the n-th code point (0-based). */
  indexOfCodePoint(n: number): number {
    let index = 0;
    for (let k = 0; k < n && index < this.text.length; k += 1) index += isHighSurrogateAt(this.text, index) ? 2 : 1;
    return index;
  }

  position(index: number): LineColumn {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= index) lo = mid;
      else hi = mid - 1;
    }
    const start = this.lineStarts[lo] ?? 0;
    return { line: lo + 1, column: [...this.text.slice(start, index)].length + 1 };
  }

  private byteMap(): Int32Array {
    if (this.byteIndex) return this.byteIndex;
    const bytes = Buffer.byteLength(this.text, 'utf8');
    const map = new Int32Array(bytes + 1);
    let byte = 0;
    for (let i = 0; i < this.text.length;) {
      const cp = this.text.codePointAt(i) ?? 0;
      const width = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      for (let k = 0; k < width; k += 1) map[byte + k] = i;
      byte += width;
      i += cp >= 0x10000 ? 2 : 1;
    }
    map[bytes] = this.text.length;
    this.byteIndex = map;
    return map;
  }
}

function isHighSurrogateAt(text: string, index: number): boolean {
  const c = text.charCodeAt(index);
  return c >= 0xd800 && c <= 0xdbff;
}
