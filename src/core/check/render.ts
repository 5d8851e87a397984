/**
 * `pgdrift check` output. Text: one line per hazard in file order,
 * `file:line:column severity CODE message`, "(accepted)" after accepted ones, then a count.
 * JSON: format "pgdrift.check/1", keys in a fixed order, optional keys left out.
 */
import { isBlocking } from '../hazards/accept';
import type { Evidence, HazardCode, HazardSeverity } from '../hazards/types';
import type { CheckResult } from './index';

export const CHECK_JSON_FORMAT = 'pgdrift.check/1';

export interface CheckJsonTarget {
  database: string;
  serverVersion: string;
  fingerprint: string;
  searchPath: string[];
}

export interface CheckJsonHazard {
  line: number;
  column: number;
  /** The statement's text, first token to last, without its semicolon. */
  statement: string;
  code: HazardCode;
  severity: HazardSeverity;
  object: string;
  message: string;
  evidence?: Evidence;
  accepted?: 'policy' | 'directive';
  /** Present, and true, when this hazard alone would make the exit code 3. */
  blocking?: true;
}

export interface CheckJson {
  format: typeof CHECK_JSON_FORMAT;
  file: string;
  target: CheckJsonTarget;
  hazards: CheckJsonHazard[];
  blocking: number;
}

export function renderCheckText(file: string, result: CheckResult): string {
  const lines = result.hazards.map((h) => `${file}:${h.line}:${h.column} ${h.severity} ${h.code} ${h.message}${h.accepted ? ' (accepted)' : ''}`);
  const n = result.hazards.length;
  lines.push(`${n} ${n === 1 ? 'hazard' : 'hazards'}, ${result.blocking} blocking`);
  return `${lines.join('\n')}\n`;
}

export function checkJsonOf(file: string, target: Omit<CheckJsonTarget, 'searchPath'>, result: CheckResult): CheckJson {
  return {
    format: CHECK_JSON_FORMAT,
    file,
    target: { ...target, searchPath: result.searchPath },
    hazards: result.hazards.map((h) => ({
      line: h.line,
      column: h.column,
      statement: h.statement.sql,
      code: h.code,
      severity: h.severity,
      object: h.object,
      message: h.message,
      ...(h.evidence ? { evidence: h.evidence } : {}),
      ...(h.accepted ? { accepted: h.accepted } : {}),
      ...(isBlocking(h) ? { blocking: true as const } : {}),
    })),
    blocking: result.blocking,
  };
}

export function renderCheckJson(file: string, target: Omit<CheckJsonTarget, 'searchPath'>, result: CheckResult): string {
  return `${JSON.stringify(checkJsonOf(file, target, result), null, 2)}\n`;
}
