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

/**
 * Reading the workbench page (what VS Code draws itself, such as the Get Started walkthrough): a
 * suite writes `<dir>/<name>.page` holding a PageRequest; the driver waits until `selector` matches
 * (or `timeoutMs` passes), clicks the first match holding `click` when asked, then writes
 * `<name>.read` holding PageElement[] for every match (or `<name>.error`).
 */
export const PAGE_REQUEST = '.page';
export const PAGE_DONE = '.read';

export interface PageRequest {
  /** A CSS selector in the workbench's document (not inside webviews). */
  selector: string;
  /** Attributes to report for each match. */
  attributes?: string[];
  /** Click the first match whose text holds this, as a user would, before reading. */
  click?: string;
  timeoutMs?: number;
}

export interface PageElement {
  /** innerText: what is shown, as it is laid out. */
  text: string;
  attributes: Record<string, string | null>;
}

/**
 * Watching the workbench for a tree (the Schema Differences benchmark): a suite writes
 * `<dir>/<name>.watch` holding a TreeWatchRequest; the driver starts recording the page's long tasks,
 * writes `<name>.watching`, waits until a tree row whose text holds `text` is on the page with a
 * second-level row holding `childText` in the same list, then, `settleMs` later, writes
 * `<name>.seen` holding a TreeWatchResult (or `<name>.error`).
 */
export const WATCH_REQUEST = '.watch';
export const WATCH_READY = '.watching';
export const WATCH_DONE = '.seen';

export interface TreeWatchRequest {
  text: string;
  childText: string;
  settleMs: number;
  timeoutMs: number;
}

export interface TreeWatchResult {
  /** Epoch ms (the machine's clock, which the extension host shares) when recording started. */
  readyAt: number;
  /** Epoch ms of the animation frame in which both rows were first in the page. */
  seenAt: number;
  /** Rows of the tree in the page then (VS Code renders only the visible ones). */
  rows: number;
  /** The page's main-thread tasks over 50 ms (PerformanceObserver 'longtask'), from readyAt to seenAt + settleMs. */
  longTasks: { start: number; durationMs: number }[];
}

/**
 * The Schema Differences benchmark (bench/tree.ts, suites/tree-bench.test.ts): the suite's test
 * runs only when the driver's environment names the file for its results.
 */
export const TREE_BENCH_ENV = { out: 'PGDRIFT_TREE_BENCH_OUT', runs: 'PGDRIFT_TREE_BENCH_RUNS' } as const;

export interface TreeBenchRun {
  /** From executing pgdrift.compare to the tree's rows on the page (the frame that paints them). */
  populatedMs: number;
  /** From executing pgdrift.compare to its promise resolving (the plan's editor open too). */
  commandMs: number;
  /** What pgdrift.compare reports: engine (read both sides, plan, probes), tree text and script, the view's items, waiting for VS Code to fetch them, opening the plan. */
  timings: { engineMs: number; renderMs: number; viewMs: number; shownMs?: number; openMs: number };
  /** Tree rows in the page when populated. */
  rows: number;
  /** The workbench page's main-thread tasks over 50 ms, from the command to 3 s after the tree was populated. */
  page: { longestMs: number; count: number; totalMs: number };
  /** The extension host's event loop over the same time: the longest delay of a 10 ms timer, and delays over 50 ms. */
  host: { longestMs: number; over50: number; totalOver50Ms: number };
}

export interface TreeBenchResult {
  vscodeVersion: string;
  serverVersion: string;
  /** The view's summary line, and the sum of the counts in it (the changes the plan holds). */
  summary: string;
  changes: number;
  /** Items in the view (every level), from pgdrift.differences.snapshot. */
  items: number;
  /** The packaged CLI's `pgdrift diff` on the same pair: its first line and wall times. */
  cliFirstLine: string;
  cliMs: number[];
  runs: TreeBenchRun[];
}
