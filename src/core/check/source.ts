/**
 * A migration file's bytes as text. PostgreSQL reads a script in the client encoding, which for
 * pgdrift is always UTF-8; a file that is not valid UTF-8 is refused with the place of its first
 * bad byte, instead of guessing an encoding and locating statements wrongly.
 */
import { PgdriftError } from '../errors';

export function decodeSource(bytes: Uint8Array, file: string): string {
  try {
    // A leading byte-order mark is dropped, as editors do: columns on the first line then count
    // the way the editor shows them.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidByte(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
    const lines = before.split(/\r\n|\r|\n/);
    const column = [...(lines[lines.length - 1] ?? '')].length + 1;
    const hex = (bytes[bad] ?? 0).toString(16).padStart(2, '0');
    throw new PgdriftError('usage', `${file}:${lines.length}:${column}: not UTF-8 text (byte 0x${hex}); save the file as UTF-8`);
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    const b1 = bytes[i + 1] ?? 0;
    // Overlong forms, UTF-16 surrogates and code points above U+10FFFF are invalid too.
    if (length >= 3 && ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 > 0x9f) || (b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 > 0x8f))) return i;
    for (let k = 1; k < length; k += 1) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += length;
  }
  return bytes.length;
}
