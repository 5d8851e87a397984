/**
 * Every failure a user can meet carries a code. The CLI maps codes to exit codes, the extension to
 * messages; the message names what was being done and where, never a password.
 */
export type ErrorCode =
  | 'usage'
  | 'host-unreachable'
  | 'connection-refused'
  | 'authentication-failed'
  | 'tls-failed'
  | 'database-missing'
  | 'unsupported-version'
  | 'query-failed'
  | 'timeout'
  | 'plan-cycle'
  | 'unsupported'
  | 'source-failed'
  | 'internal';

export class PgdriftError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PgdriftError';
  }
}

export function isPgdriftError(error: unknown): error is PgdriftError {
  return error instanceof PgdriftError;
}

/** The message of any thrown value, for wrapping. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
