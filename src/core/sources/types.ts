/**
 * A source is where a schema comes from: a live server (a connection URL), SQL files loaded
 * into an embedded PostgreSQL (PGlite) inside the process, or a SQLite file whose translation is
 * loaded into one. Either way it is a Queryable that
 * introspection and the hazard probes read exactly as they read a server, a name for messages,
 * and a close() that releases the connection or the embedded database.
 */
import type { SshRoute } from '../connect/direct';
import type { ConnectionTarget } from '../db/target';
import type { IntrospectTarget } from '../introspect';
import type { Script } from './script';
import type { SqliteSnapshot, SqliteSpec } from './sqlite';

export interface Source extends IntrospectTarget {
  readonly kind: 'live' | 'files' | 'sqlite';
  /** The server's version as the catalog queries need it (always known once a source is open). */
  readonly server: { versionNum: number; version: string };
  /**
   * SQL files only: extensions created without a VERSION, whose version is whatever the embedded
   * database installs (extensions.ts); comparisons take the other side's version for them.
   */
  readonly unpinnedExtensions?: readonly string[];
  /** A SQLite file: its rows as the plan's data copy needs them (sqlite.ts). */
  readonly sqlite?: SqliteSnapshot;
  /** Closes the connection or shuts the embedded database down; safe to call twice. */
  close(): Promise<void>;
}

/** One SQL file, read and decoded: `name` is the path as messages show it. */
export interface SqlFile {
  name: string;
  text: string;
}

/**
 * A source checked but not opened yet: a parsed URL, or files that were found, read, decoded and
 * parsed, their extensions checked. Both sides of a comparison are resolved before either is
 * opened, so a typo in one path costs no connection and no embedded start-up.
 */
export type SourceSpec =
  | { kind: 'live'; target: ConnectionTarget; ssh?: SshRoute }
  | { kind: 'files'; path: string; scripts: Script[]; archives: string[] }
  | SqliteSpec;
