/**
 * Acceptance per statement: a data-loss or failure hazard blocks the plan until the user accepts
 * it by name, with `-- pgdrift:accept <CODE> <object>` in a migration file or
 * `--accept <CODE>:<object>` on the command line. There is deliberately no accept-all.
 *
 * Objects are named without quotes, dot-separated and case-sensitive, as a user would type them:
 * `public.OvertimeSettings.overtimeMode` for a column, `public.OvertimeSettings` for a table,
 * `public.Account.Account_code_key` for a constraint.
 */
import { PgdriftError } from '../errors';
import type { ObjectId } from '../model/types';
import type { BoundedCount, Hazard, HazardCode } from './types';
import { SEVERITY } from './types';

export interface Accept {
  code: HazardCode;
  object: string;
  /** Where it was written ("plan.sql:3", "--accept"), for messages. */
  source: string;
}

const CODE = /^[A-Z]{2}-\d{2}$/;
const DIRECTIVE = /^\s*--\s*pgdrift:accept\s+(\S+)\s+(.+?)\s*$/;

/** The object name users write for an id: `column:"public"."T"."c"` → `public.T.c`. */
export function acceptName(id: ObjectId): string {
  const body = id.slice(id.indexOf(':') + 1);
  const parts: string[] = [];
  const re = /"((?:[^"]|"")*)"|([^".()]+)/g;
  // Only the leading quoted path counts: a routine's argument list is not part of its name here.
  const path = body.includes('(') ? body.slice(0, body.indexOf('(')) : body;
  for (let m = re.exec(path); m; m = re.exec(path)) parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : (m[2] ?? ''));
  return parts.filter((p) => p !== '').join('.');
}

/** Parses one `CODE:object` from the command line. */
export function parseAcceptOption(text: string): Accept {
  const colon = text.indexOf(':');
  const code = text.slice(0, colon);
  const object = text.slice(colon + 1).trim();
  if (colon < 0 || !isHazardCode(code) || object === '') {
    throw new PgdriftError('usage', `--accept "${text}": expected CODE:object, e.g. --accept DL-02:public.OvertimeSettings.overtimeMode`);
  }
  return { code, object, source: '--accept' };
}

/** Every `-- pgdrift:accept CODE object` line of a file, with its line number. */
export function parseAcceptDirectives(text: string, file: string): Accept[] {
  const out: Accept[] = [];
  text.split('\n').forEach((line, i) => {
    const m = DIRECTIVE.exec(line);
    if (!m) return;
    const code = m[1] ?? '';
    if (!isHazardCode(code)) throw new PgdriftError('usage', `${file}:${i + 1}: pgdrift:accept names an unknown hazard code "${code}"`);
    out.push({ code, object: m[2] ?? '', source: `${file}:${i + 1}` });
  });
  return out;
}

export function isHazardCode(code: string): code is HazardCode {
  return CODE.test(code) && code in SEVERITY;
}

export function renderAcceptDirective(h: Hazard): string {
  return `-- pgdrift:accept ${h.code} ${acceptName(h.object)}`;
}

/** Marks the hazards the accepts name; returns them and the accepts that matched nothing. */
export function applyAccepts(hazards: readonly Hazard[], accepts: readonly Accept[]): { hazards: Hazard[]; unused: Accept[] } {
  const used = new Set<Accept>();
  const out = hazards.map((h) => {
    const match = accepts.find((a) => a.code === h.code && a.object === acceptName(h.object));
    if (!match) return h;
    used.add(match);
    return h.accepted ? h : { ...h, accepted: 'directive' as const };
  });
  return { hazards: out, unused: accepts.filter((a) => !used.has(a)) };
}

/**
 * What a measured hazard found that would actually be lost or rejected; 0 means the probe proved
 * nothing is, undefined that it was not measured (or could not be).
 */
export function affected(h: Hazard): number | undefined {
  const e = h.evidence;
  if (!e || e.unknown) return undefined;
  const pick = (c: BoundedCount | undefined) => c?.value;
  switch (h.code) {
    case 'DL-01': case 'DL-06': case 'FL-01': return pick(e.rows);
    case 'DL-02': case 'DL-04': return pick(e.values);
    case 'DL-05': return pick(e.conflicts);
    case 'FL-02': return pick(e.nulls);
    default: return pick(e.failing);
  }
}

/**
 * A data-loss or failure hazard blocks unless the user decided (a chosen remedy or an accept) or
 * a probe proved that nothing is affected. An unmeasured one blocks: no proof, no pass.
 */
export function isBlocking(h: Hazard): boolean {
  if (h.severity !== 'data-loss' && h.severity !== 'failure') return false;
  if (h.accepted) return false;
  return affected(h) !== 0;
}

/** applyAccepts over every statement of a plan. */
export function acceptInPlan<P extends { statements: readonly { hazards?: Hazard[] }[] }>(plan: P, accepts: readonly Accept[]): { plan: P; unused: Accept[] } {
  const used = new Set<Accept>();
  const statements = plan.statements.map((s) => {
    if (!s.hazards?.length) return s;
    const r = applyAccepts(s.hazards, accepts);
    for (const a of accepts) if (!r.unused.includes(a)) used.add(a);
    return { ...s, hazards: r.hazards };
  });
  return { plan: { ...plan, statements }, unused: accepts.filter((a) => !used.has(a)) };
}

/** The hazards that still block, in plan order. */
export function blockingHazards(plan: { statements: readonly { hazards?: Hazard[] }[] }): Hazard[] {
  return plan.statements.flatMap((s) => (s.hazards ?? []).filter(isBlocking));
}
