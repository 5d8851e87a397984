import type { ErrorCode } from '../core/errors';

/**
 * Exit codes are part of the CLI's contract (README, "Exit codes"); CI scripts branch on them.
 * 0 is success (for diff and plan: no differences); 2 means diff or plan found differences; 3
 * means a data-loss or failure hazard nobody accepted (plan, check); 4 and up are errors, one per
 * kind of failure so a script can tell a wrong password from a database that is down; a usage
 * error is 64, sysexits' EX_USAGE.
 */
export const EXIT = { ok: 0, differences: 2, unacceptedHazards: 3 } as const;

export const ERROR_EXIT_CODES: Record<ErrorCode, number> = {
  usage: 64,
  internal: 4,
  'query-failed': 5,
  timeout: 6,
  'plan-cycle': 7,
  unsupported: 8,
  'source-failed': 9,
  'host-unreachable': 10,
  'connection-refused': 11,
  'authentication-failed': 12,
  'tls-failed': 13,
  'database-missing': 14,
  'unsupported-version': 15,
  'ssh-failed': 16,
  'ssh-auth-failed': 17,
  'ssh-host-key': 18,
  'write-refused': 19,
  'statement-failed': 20,
  'expectation-failed': 21,
  'fingerprint-mismatch': 22,
  'not-confirmed': 23,
  // 128 + SIGINT, what a shell reports for a program stopped by Ctrl-C.
  cancelled: 130,
};
