/**
 * What a suite in test/vscode/suites/ can ask of the bench it runs in (inside the extension host):
 *
 *   await screenshot('tree-after-connect')   // .cache/screenshots/tree-after-connect.png
 *   const url = postgresUrl(15)              // superuser URL of a private PostgreSQL 15 cluster
 *   const dir = extensionsDir()              // where the .vsix under test was installed
 *
 * Screenshots are taken by the driver (test/vscode/run.ts) with playwright: the extension host
 * cannot reach the browser, so the suite leaves a request file and waits for the picture.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV, SHOT_ERROR, SHOT_NAME, SHOT_REQUEST } from './support/protocol';

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
