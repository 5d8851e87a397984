/**
 * Object ids ("table:\"public\".\"Job\"", "function:\"public\".\"touch\"(integer)") turned into the
 * names a person reads: public."Job", public.touch(integer). A name part is left bare only when
 * PostgreSQL would fold it to itself unquoted (lower case, letters, digits, _ and $, not starting
 * with a digit or $); anything else keeps its double quotes, so the name can be pasted into SQL.
 */
import type { ObjectId } from '../model/types';

export interface ParsedId {
  /** The kind prefix of the id: "table", "materialized view", "function", … */
  kind: string;
  /** The unquoted name parts: schema, then object, then (for columns and the like) member. */
  parts: string[];
  /** Whatever follows the name parts: the argument list of a routine. */
  suffix: string;
}

export function parseId(id: ObjectId): ParsedId {
  const colon = id.indexOf(':');
  const kind = colon < 0 ? '' : id.slice(0, colon);
  const parts: string[] = [];
  let i = colon + 1;
  while (id[i] === '"') {
    let part = '';
    i += 1;
    while (i < id.length) {
      if (id[i] === '"') {
        if (id[i + 1] === '"') {
          part += '"';
          i += 2;
          continue;
        }
        i += 1;
        break;
      }
      part += id[i];
      i += 1;
    }
    parts.push(part);
    if (id[i] === '.' && id[i + 1] === '"') i += 1;
    else break;
  }
  // An id that is not in the quoted form (none are today) is shown as it is.
  if (parts.length === 0) return { kind, parts: [id.slice(colon + 1)], suffix: '' };
  return { kind, parts, suffix: id.slice(i) };
}

export function displayIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** The full qualified name: public."Job", public."Job".status, public.touch(integer). */
export function displayName(id: ObjectId): string {
  const { parts, suffix } = parseId(id);
  return parts.map(displayIdent).join('.') + suffix;
}

/** The last name part only, for a member shown under its table: status, "Job_pkey". */
export function memberName(id: ObjectId): string {
  const { parts, suffix } = parseId(id);
  return displayIdent(parts[parts.length - 1] ?? '') + suffix;
}

/** The kind prefix of an id ("table", "view", "materialized view", …). */
export function kindOfId(id: ObjectId): string {
  return parseId(id).kind;
}
