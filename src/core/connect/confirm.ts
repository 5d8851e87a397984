/**
 * The production guard: a write to a production profile needs a confirmation the user gave by
 * typing the database's name (as GitHub asks for a repository's name before deleting it). The
 * confirmation is an object only this module creates and remembers, so a caller cannot forge one
 * from a string or reuse one given for another profile; openForWrite consumes it.
 */
import { expandField } from './expand';
import type { Profile } from './profile';

export class WriteConfirmation {
  readonly #profile: string;
  readonly #database: string;

  private constructor(profile: string, database: string) {
    this.#profile = profile;
    this.#database = database;
  }

  /**
   * The only way to a token that redeem accepts: `new` (private to TypeScript only, not at run
   * time) makes an object that was never added to `issued`.
   */
  static forTypedName(profile: Profile, typedDatabaseName: string, env: NodeJS.ProcessEnv): WriteConfirmation | undefined {
    const database = expandField(profile, 'database', env);
    if (typedDatabaseName.trim() !== database) return undefined;
    const token = new WriteConfirmation(profile.name, database);
    issued.add(token);
    return token;
  }

  /** What the token was given for, for messages. */
  get profile(): string {
    return this.#profile;
  }

  /** True once for a token this module issued for this profile and database; then it is spent. */
  static redeem(token: unknown, profile: string, database: string): boolean {
    if (!(token instanceof WriteConfirmation) || !issued.has(token)) return false;
    if (token.#profile !== profile || token.#database !== database) return false;
    issued.delete(token);
    return true;
  }
}

/** Tokens issued and not yet spent. A WeakSet: an unused token is collected with its holder. */
const issued = new WeakSet<WriteConfirmation>();

/**
 * A token when `typedDatabaseName` is the profile's database name (after `${env:…}` expansion,
 * since that is the database the write would reach), undefined otherwise. Surrounding spaces are
 * ignored; case is not: PostgreSQL database names are case-sensitive once created quoted.
 */
export function confirmWrite(profile: Profile, typedDatabaseName: string, env: NodeJS.ProcessEnv = process.env): WriteConfirmation | undefined {
  return WriteConfirmation.forTypedName(profile, typedDatabaseName, env);
}
