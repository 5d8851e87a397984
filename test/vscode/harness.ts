/**
 * What a suite in test/vscode/suites/ can ask of the bench it runs in (inside the extension host):
 *
 *   await screenshot('tree-after-connect')   // .cache/screenshots/tree-after-connect.png
 *   await readmeScreenshot('phases-panel')   // the same, and docs/screenshots/phases-panel.png
 *   const url = postgresUrl(15)              // superuser URL of a private PostgreSQL 15 cluster
 *   const dir = extensionsDir()              // where the .vsix under test was installed
 *
 * Screenshots are taken by the driver (test/vscode/run.ts) with playwright: the extension host
 * cannot reach the browser, so the suite leaves a request file and waits for the picture.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ENV, KEYS_DONE, KEYS_REQUEST, SHOT_ERROR, SHOT_NAME, SHOT_REQUEST, type KeyAction } from './support/protocol';

export { EXTENSION_ID } from './support/protocol';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Screenshot of the whole browser page (the workbench) as `<name>.png` in .cache/screenshots/;
 * resolves with its path once written. `settleMs` waits before the shot so the workbench can paint
 * what the suite just did. Where no driver takes screenshots (desktop VS Code) it resolves with
 * undefined.
 */
export async function screenshot(name: string, options: { settleMs?: number; timeoutMs?: number } = {}): Promise<string | undefined> {
  const dir = process.env[ENV.screenshots];
  if (!dir) return undefined;
  if (!SHOT_NAME.test(name)) throw new Error(`screenshot name ${JSON.stringify(name)}: letters, digits, . _ - only`);
  await sleep(options.settleMs ?? 500);
  const png = join(dir, `${name}.png`);
  const error = join(dir, `${name}${SHOT_ERROR}`);
  rmSync(png, { force: true });
  rmSync(error, { force: true });
  writeFileSync(join(dir, `${name}${SHOT_REQUEST}`), `${new Date().toISOString()}\n`);
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (existsSync(png)) return png;
    if (existsSync(error)) throw new Error(`screenshot ${name}: ${readFileSync(error, 'utf8').trim()}`);
    await sleep(100);
  }
  throw new Error(`screenshot ${name}: the driver did not answer within ${options.timeoutMs ?? 30_000} ms`);
}

/**
 * A picture of the README: taken as `screenshot` takes it (.cache/screenshots/), and copied to
 * docs/screenshots/ of the checkout whose .cache/ the driver named, where the README links it
 * (test/unit/readme-screens.test.ts checks both sides). Resolves with the docs/ copy's path, or
 * undefined where no driver takes screenshots.
 */
export async function readmeScreenshot(name: string, options: { settleMs?: number; timeoutMs?: number } = {}): Promise<string | undefined> {
  const png = await screenshot(name, options);
  if (!png) return undefined;
  const docs = join(dirname(dirname(dirname(png))), 'docs', 'screenshots');
  mkdirSync(docs, { recursive: true });
  const copy = join(docs, `${name}.png`);
  copyFileSync(png, copy);
  return copy;
}

/** Superuser URL of a private cluster the driver started (database `postgres` unless named). */
export function postgresUrl(major?: number, database = 'postgres'): string {
  const all = JSON.parse(process.env[ENV.postgres] ?? '{}') as Record<string, string>;
  const key = major === undefined ? Object.keys(all)[0] : String(major);
  const url = key === undefined ? undefined : all[key];
  if (!url) throw new Error(`no PostgreSQL ${major ?? ''} server started for the integration suites (${ENV.postgres}=${process.env[ENV.postgres] ?? ''})`);
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** The --extensions-dir VS Code runs with, or undefined where the driver did not say. */
export function extensionsDir(): string | undefined {
  return process.env[ENV.extensionsDir] || undefined;
}

let keysCounter = 0;

/**
 * Types into the workbench as a user would (the driver sends the keys through the browser), for
 * QuickInput flows and dialogs. Resolves once every key was sent. Where no driver answers (desktop
 * VS Code) it throws: such a test cannot run there.
 */
export async function keys(...actions: KeyAction[]): Promise<void> {
  const dir = process.env[ENV.screenshots];
  if (!dir) throw new Error('keyboard input needs the VS Code for the Web driver (test/vscode/run.ts)');
  const name = `keys-${process.pid}-${(keysCounter += 1)}`;
  const done = join(dir, `${name}${KEYS_DONE}`);
  const error = join(dir, `${name}${SHOT_ERROR}`);
  writeFileSync(join(dir, `${name}${KEYS_REQUEST}.tmp`), JSON.stringify(actions));
  // Renamed into place so the driver never reads a half-written request.
  renameSync(join(dir, `${name}${KEYS_REQUEST}.tmp`), join(dir, `${name}${KEYS_REQUEST}`));
  const deadline = Date.now() + 30_000 + actions.length * 500;
  while (Date.now() < deadline) {
    if (existsSync(done)) {
      rmSync(done, { force: true });
      return;
    }
    if (existsSync(error)) throw new Error(`keys: ${readFileSync(error, 'utf8').trim()}`);
    await sleep(50);
  }
  throw new Error('keys: the driver did not type them in time');
}

/** Text to type, then Enter: one step of a QuickInput. */
export const enter = (text = ''): KeyAction[] => [...(text ? [{ type: text }] : []), { press: 'Enter' }];

/** Replaces what an input box holds (select all first). */
export const replace = (text: string): KeyAction[] => [{ press: 'Control+A' }, ...(text ? [{ type: text }] : [{ press: 'Backspace' }]), { press: 'Enter' }];

/** Waits until `check` returns a value (not undefined), polling; for state the UI changes asynchronously. */
export async function until<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
