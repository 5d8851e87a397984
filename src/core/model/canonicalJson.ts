/**
 * JSON with object keys in sorted order, so equal models give byte-identical text whatever order
 * their fields were filled in. Undefined fields are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(canonical(value), null, indent);
}

/**
 * The value with every object's keys in sorted order. An object or array that is already so is
 * returned as it is, not copied: the model's most numerous objects (columns, dependency edges) are
 * built with their keys in order, and the fingerprint of a 5,000-table model would otherwise copy
 * some 100,000 objects.
 */
function canonical(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const c = canonical(item);
      if (c !== item && !copy) copy = value.slice(0, i);
      copy?.push(c);
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let inOrder = true;
  for (let i = 0; i < keys.length && inOrder; i++) {
    const key = keys[i] as string;
    if (record[key] === undefined || (i > 0 && (keys[i - 1] as string) >= key)) inOrder = false;
  }
  const values = new Map<string, unknown>();
  let unchanged = true;
  for (const key of keys) {
    const v = canonical(record[key]);
    values.set(key, v);
    if (v !== record[key]) unchanged = false;
  }
  if (inOrder && unchanged) return record;
  const out: Record<string, unknown> = {};
  for (const key of keys.sort()) {
    const v = values.get(key);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
