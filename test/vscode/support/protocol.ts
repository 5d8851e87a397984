/**
 * What the driver (test/vscode/run.ts, outside VS Code) and the runner extension plus the suites
 * (inside the extension host) agree on: environment variable names, the results file, and the
 * screenshot request files. Imported by both sides; nothing here imports `vscode` or playwright.
 */

/** Environment of the extension host, inherited from code-server (or desktop VS Code). */
export const ENV = {
  /** Where the runner writes its results (JSON, written to a temporary file and renamed). */
  results: 'PGDRIFT_VSCODE_RESULTS',
  /** Set by the driver: the runner starts the suites as soon as it activates. */
  autorun: 'PGDRIFT_VSCODE_AUTORUN',
  /** Optional mocha --grep for the suites. */
  grep: 'PGDRIFT_VSCODE_GREP',
  /** Folder where suites ask for screenshots and the driver answers (unset: screenshots are skipped). */
  screenshots: 'PGDRIFT_VSCODE_SCREENSHOTS',
  /** The --extensions-dir VS Code was started with (the .vsix was installed there). */
  extensionsDir: 'PGDRIFT_VSCODE_EXTENSIONS_DIR',
  /** JSON object: PostgreSQL major → superuser URL of a private cluster the driver started. */
  postgres: 'PGDRIFT_VSCODE_PG',
} as const;

/** The runner writes `<results>.started` as it activates, so the driver can tell a runner that never started. */
export const STARTED_SUFFIX = '.started';

/** The id of the extension under test (publisher.name in package.json). */
export const EXTENSION_ID = 'pgdrift.pgdrift';

export interface TestResult {
  fullTitle: string;
  file: string | undefined;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number | undefined;
  error?: { message: string; stack: string | undefined };
}

/** How long activating pgdrift took, measured by the runner before any suite ran. */
export interface ActivationMeasure {
  /** pgdrift was already active when the runner looked (VS Code activated it on an event). */
  wasActive: boolean;
  /** `getExtension(EXTENSION_ID).activate()`: loading the bundle and running activate(). */
  activateMs: number;
  /** Time since the extension host process started, when activate() resolved. */
  hostUptimeMs: number;
}

export interface RunResults {
  vscodeVersion: string;
  appHost: string;
  startedAt: string;
  durationMs: number;
  activation: ActivationMeasure | { error: string };
  stats: { tests: number; passes: number; failures: number; pending: number };
  tests: TestResult[];
  /** The spec reporter's text, without colours. */
  report: string;
  /** The runner itself failed (no suite could run). */
  fatal?: string;
}

/**
 * Screenshots: a suite writes `<dir>/<name>.request`; the driver takes the screenshot, writes
 * `<dir>/<name>.png` (via a temporary file and a rename) and deletes the request, or writes
 * `<dir>/<name>.error` with the reason.
 */
export const SHOT_REQUEST = '.request';
export const SHOT_ERROR = '.error';
export const SHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Keyboard input: the extension host cannot type into VS Code's own inputs (a QuickInput has no
 * API to fill it), so a suite writes `<dir>/<name>.keys` holding KeyAction[] as JSON; the driver
 * types them into the page in order, deletes the request and writes `<name>.typed` (or
 * `<name>.error`).
 */
export const KEYS_REQUEST = '.keys';
export const KEYS_DONE = '.typed';
export type KeyAction = { type: string } | { press: string } | { waitMs: number };
