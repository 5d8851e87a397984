/**
 * The runner's vocabulary, shared by the executor, the validation, the guards, the journal, the
 * CLI and the extension (output channel and phases panel): one executor, one event stream.
 *
 * A migration is a file or a folder. Its phases come from `-- pgdrift:phase NAME` markers, or one
 * phase per numbered file of a folder (`01-expand.sql`, `02-contract.sql`), or one phase for a
 * plain file. Each phase runs in its own transaction; a statement PostgreSQL refuses inside a
 * transaction block (CREATE INDEX CONCURRENTLY, VACUUM, …) commits on its own between the
 * transactional stretches of its phase. A rehearsal runs every phase in one transaction that is
 * rolled back at the end, and skips the statements that cannot run in one.
 */
import type { Accept } from '../hazards/accept';
import type { Expectation } from '../plan/expect';
import type { CopySource } from '../plan/types';

export type RunMode = 'run' | 'rehearse';

/** One SQL statement of the migration, where it stands in its file. */
export interface RunStatement {
  kind: 'statement';
  /** 0-based, across the whole migration (all files, all phases). */
  index: number;
  /** The file it is in, as the migration names it (the path given, or folder/name). */
  file: string;
  /** Its text, first token to last, without the semicolon; sent to the server as it is. */
  sql: string;
  /** String indexes in the file's text of its first character and just after its last. */
  start: number;
  end: number;
  /** 1-based line and column of its first token. */
  line: number;
  column: number;
  /** False for statements PostgreSQL refuses inside a transaction block, or marked `-- pgdrift:no-transaction`. */
  transactional: boolean;
  /** DROP, TRUNCATE, DELETE, ALTER … DROP …, UPDATE without WHERE: counted in the confirmation. */
  destructive: boolean;
  /** One line for logs: the statement's first line, shortened. */
  summary: string;
  /** COPY … FROM STDIN: the SQLite table its rows are streamed from (path made absolute). */
  copy?: CopySource;
}

/** A `-- pgdrift:expect <query> <op> <n>` line: checked where it stands, inside the phase's transaction. */
export interface RunExpectation {
  kind: 'expect';
  index: number;
  file: string;
  line: number;
  column: number;
  expectation: Expectation;
  /** The directive as written. */
  text: string;
}

export type RunStep = RunStatement | RunExpectation;

export interface Phase {
  /** As the marker names it, or the file name without `.sql` for a folder's file, or the file's name for a plain file. */
  name: string;
  /** 0-based. */
  index: number;
  /** The file the phase is in, and the line of its marker (1 when there is none). */
  file: string;
  line: number;
  steps: RunStep[];
}

export interface MigrationFile {
  /** As the migration names it (the path given for a file; folder/name for a folder's file). */
  path: string;
  text: string;
  /** "sha256:<hex>" of the file's bytes. */
  sha256: string;
}

export interface Migration {
  /** The file or folder as given. */
  path: string;
  files: MigrationFile[];
  /** "sha256:<hex>": the file's, or for a folder the hash of its files' names and hashes in order. */
  sha256: string;
  phases: Phase[];
  /**
   * Session settings before the first phase marker (a plan's `SET check_function_bodies = off`):
   * run at the start of every session, outside the phases, so a phase run on its own gets them too.
   */
  preamble: RunStatement[];
  /** `-- pgdrift:fingerprint`: the schema the migration was written for. */
  fingerprint?: string;
  /** The schema the migration leads to, from a plan's second header line ("-- to match … sha256:…)"). */
  toFingerprint?: string;
  /** `-- pgdrift:target NAME`. */
  target?: string;
  accepts: Accept[];
  /** Things the user should know, one sentence each ("BEGIN at 01.sql:1 is left to the phase's transaction"). */
  notes: string[];
}

/** What happened to a phase. */
export type PhaseOutcome = 'pending' | 'running' | 'committed' | 'rehearsed' | 'rolled back' | 'failed' | 'cancelled' | 'skipped';

export interface PhaseResult {
  name: string;
  index: number;
  outcome: PhaseOutcome;
  /** Statements and expectations in the phase / run before it stopped. */
  steps: number;
  ran: number;
  durationMs: number;
}

/** Where and why a run stopped. Positions are the server's error position when it gave one. */
export interface RunFailure {
  phase: string;
  file: string;
  line: number;
  column: number;
  message: string;
  /** SQLSTATE, e.g. "23505"; "57014" for a cancelled statement. */
  sqlstate?: string;
  detail?: string;
  hint?: string;
  /** The step that failed; absent when COMMIT itself failed (a deferred constraint). */
  step?: RunStep;
  /** 'statement': the server refused it; 'expect': an expectation did not hold; 'commit'; 'cancelled'. */
  kind: 'statement' | 'expect' | 'commit' | 'cancelled';
}

export type RunOutcome = 'succeeded' | 'failed' | 'cancelled' | 'refused';

export interface RunResult {
  mode: RunMode;
  outcome: RunOutcome;
  phases: PhaseResult[];
  failure?: RunFailure;
  /** Rehearsal: statements not run because they cannot run in a transaction. */
  notRehearsed: RunStatement[];
  durationMs: number;
}

/** A server NOTICE, WARNING, INFO… raised while a step ran. */
export interface ServerNotice {
  severity: string;
  message: string;
  detail?: string;
  hint?: string;
}

/** Everything the executor reports, in order. Surfaces render these; none of them runs SQL itself. */
export type RunEvent =
  | { type: 'run-start'; mode: RunMode; phases: { name: string; steps: number; selected: boolean }[] }
  | { type: 'phase-start'; phase: string; index: number; transactional: boolean }
  | { type: 'step-start'; phase: string; step: RunStep }
  | { type: 'statement-end'; phase: string; statement: RunStatement; command: string; rowCount: number | null; durationMs: number }
  /** A COPY from a SQLite file: rows read from the file and handed to the COPY so far (about every 100,000 rows; the stream buffers a few chunks ahead of the server). */
  | { type: 'copy-progress'; phase: string; statement: RunStatement; rows: number }
  | { type: 'statement-skipped'; phase: string; statement: RunStatement; reason: string }
  | { type: 'expect-end'; phase: string; expectation: RunExpectation; ok: boolean; actual: number }
  | { type: 'notice'; phase: string; step?: RunStep; notice: ServerNotice }
  | { type: 'phase-end'; phase: string; index: number; outcome: PhaseOutcome; durationMs: number }
  | { type: 'validation'; phase: string; report: PhaseValidation }
  | { type: 'run-end'; result: RunResult }
  /** Something the user should know before or around the run (a guard's finding, a hazard a rehearsal does not refuse). */
  | { type: 'note'; message: string };

/** The database session a run uses: one connection that may write, and a way to cancel it. */
export interface RunSession {
  query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[]; rowCount: number | null; command?: string }>;
  /** Subscribes to the session's NOTICE/WARNING messages; returns the unsubscribe. */
  onNotice(listener: (notice: ServerNotice) => void): () => void;
  /** `COPY … FROM STDIN` fed with chunks of COPY text; resolves to the rows copied. */
  copyFrom(sql: string, chunks: AsyncIterable<string>): Promise<number>;
  /** Cancels the statement running now (pg_cancel_backend from a second connection). */
  cancel(): Promise<void>;
}

export interface ExecuteOptions {
  mode: RunMode;
  /** Names of the phases to run, in migration order; all when absent. */
  phases?: readonly string[];
  /** SET lock_timeout / statement_timeout for every phase, in milliseconds; 0 is no limit. */
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  signal?: AbortSignal;
  onEvent: (event: RunEvent) => void;
  /**
   * Called after each phase that succeeded: in a run after its COMMIT, in a rehearsal inside the
   * still-open transaction (so it sees the rehearsed changes). The validation plugs in here.
   */
  afterPhase?: (phase: Phase, q: RunSession, last: boolean) => Promise<void>;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 0;

// ---- validation (run/validation) ----

export interface TableCount {
  /** Qualified display name: public."TimeEntry". */
  table: string;
  before?: number;
  after?: number;
  /** Exact count(*) (tables below the size threshold) or the planner's estimate (reltuples). */
  exact: boolean;
  /** A table that exists before and after and has fewer rows after: shown as an error. */
  decreased: boolean;
}

export interface ObjectCount {
  kind: 'tables' | 'views' | 'functions' | 'triggers' | 'indexes' | 'foreign keys' | 'sequences';
  actual: number;
  /** On the to-source; absent without one. */
  expected?: number;
}

export interface BackupCount {
  backup: string;
  source: string;
  manifest: number;
  actual: number;
}

export interface PhaseValidation {
  tables: TableCount[];
  objects: ObjectCount[];
  expectations: { text: string; ok: boolean; actual: number; file: string; line: number }[];
  backups: BackupCount[];
  /** After the last phase, with a to-source: the differences that remain ("0 differences remain"). */
  rediff?: { remaining: number; lines: string[] };
  /** Things that could not be measured, one sentence each. */
  notes: string[];
}

// ---- guards and the journal ----

/** What the production confirmation shows before the user types the database name. */
export interface RunSummary {
  mode: RunMode;
  phases: string[];
  statements: number;
  destructive: number;
  nonTransactional: number;
  hazardsAccepted: number;
  target: string;
}

export type RefusalCode = 'fingerprint-mismatch' | 'unaccepted-hazards' | 'read-only' | 'not-confirmed' | 'misfits';

export class RunRefused extends Error {
  constructor(readonly refusal: RefusalCode, message: string, readonly details: readonly string[] = []) {
    super(message);
    this.name = 'RunRefused';
  }
}

export interface JournalEntry {
  /** ISO 8601. */
  time: string;
  profile: string;
  environment: string;
  /** The migration as given (relative to the workspace when inside it) and its sha256. */
  file: string;
  sha256: string;
  mode: RunMode;
  outcome: RunOutcome;
  phases: { name: string; outcome: PhaseOutcome; durationMs: number }[];
  /** The target's fingerprint before the run and after it (after each committed phase, the last). */
  fingerprintBefore?: string;
  fingerprintAfter?: string;
  failure?: { phase: string; file: string; line: number; column: number; message: string };
  validation?: { decreasedTables: string[]; objectsMatching: boolean; expectationsFailed: number; backupsMatching: boolean; remaining?: number };
  durationMs: number;
}

// ---- one run, end to end (run/orchestrate.ts): guards, confirmation, executor, validation, journal ----

export interface RunTargetInfo {
  /** Profile name, or the URL's host:port/database for a URL (never a password). */
  name: string;
  environment: 'development' | 'staging' | 'production';
  readOnly: boolean;
  /** host:port/database, for messages. */
  where: string;
  database: string;
}

export interface RunRequest {
  migration: Migration;
  mode: RunMode;
  /** Phase names to run; all when absent. */
  phases?: readonly string[];
  target: RunTargetInfo;
  /**
   * A read-only connection to the target for the guards (fingerprint, hazard probes) and the row
   * counts before the run; the caller owns and closes it.
   */
  inspect: { db: import('../db/queryable').Queryable; serverVersionNum: number; serverVersion: string };
  /**
   * Production only: shows the summary and asks for the database name; resolves to the
   * confirmation to hand to openSession, or undefined when the user did not confirm.
   */
  confirm?: (summary: RunSummary) => Promise<unknown>;
  /** Opens the session that writes, with the confirmation production needs; the run closes it. */
  openSession: (confirmation: unknown) => Promise<RunSession & { close(): Promise<void> }>;
  /** The desired state, for object counts and the final re-diff; no such checks without it. */
  to?: () => Promise<import('../model/types').Inspection>;
  /** Extra accepts (CLI --accept), besides the migration's own directives. */
  accepts?: readonly Accept[];
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
  /** Tables with more rows than this (planner estimate) get an estimated count, labelled so. */
  exactCountLimit?: number;
  /** Folder of `journal.jsonl` (the workspace's `.pgdrift`); no journal without it. */
  journalDir?: string;
  /** The migration's path as the journal records it (relative to the workspace). */
  journalFile?: string;
  signal?: AbortSignal;
  onEvent: (event: RunEvent) => void;
  now?: () => Date;
}

export const DEFAULT_EXACT_COUNT_LIMIT = 1_000_000;
