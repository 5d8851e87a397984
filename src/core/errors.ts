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
  | 'ssh-failed'
  | 'ssh-auth-failed'
  | 'ssh-host-key'
  | 'write-refused'
  | 'statement-failed'
  | 'expectation-failed'
  | 'fingerprint-mismatch'
  | 'not-confirmed'
  | 'cancelled'
  | 'internal';

/**
 * What the user can do about an error, for surfaces that offer a button: the extension turns
 * 'edit-profile' into "Edit profile" (wrong password, host not found, a TLS file that cannot be
 * read, an unset environment variable) and 'retry' into "Retry" (server down, no answer in time).
 */
export type ErrorFix = 'edit-profile' | 'retry';

export class PgdriftError extends Error {
  /** Set when one action fixes the error; undefined when there is none to offer. */
  readonly fix?: ErrorFix;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; fix?: ErrorFix | undefined },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PgdriftError';
    if (options?.fix) this.fix = options.fix;
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
