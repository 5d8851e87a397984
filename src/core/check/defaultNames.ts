/**
 * The names PostgreSQL gives unnamed constraints and indexes (makeObjectName in
 * src/backend/commands/indexcmds.c): table, columns joined by "_", and a label ("pkey", "key",
 * "fkey", "check", "idx", "excl"), shortened to fit 63 bytes by trimming the longer part first.
 * Hazards name those objects so an accept directive can name them too. A name already taken
 * gets a number appended by the server; that case is not predicted.
 */
const MAX_NAME_BYTES = 63;

export function defaultName(table: string, columns: readonly string[], label: string): string {
  const addition = columns.length ? clipBytes(columns.join('_'), MAX_NAME_BYTES) : undefined;
  let n1 = Buffer.byteLength(table);
  let n2 = addition === undefined ? 0 : Buffer.byteLength(addition);
  const overhead = (addition === undefined ? 0 : 1) + label.length + 1;
  const available = MAX_NAME_BYTES - overhead;
  while (n1 + n2 > available) {
    if (n1 > n2) n1 -= 1;
    else n2 -= 1;
  }
  const head = clipBytes(table, n1);
  return addition === undefined ? `${head}_${label}` : `${head}_${clipBytes(addition, n2)}_${label}`;
}

/** The longest prefix of whole characters that fits in `bytes` UTF-8 bytes. */
function clipBytes(text: string, bytes: number): string {
  let used = 0;
  let out = '';
  for (const ch of text) {
    const width = Buffer.byteLength(ch);
    if (used + width > bytes) break;
    used += width;
    out += ch;
  }
  return out;
}
