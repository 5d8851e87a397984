/**
 * Debian's Chromium driven by playwright-core: opens the workbench (which starts the extension
 * host) and answers the suites' screenshot requests (see support/protocol.ts).
 */
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { answerPage } from './pageQuery';
import { KEYS_DONE, KEYS_REQUEST, PAGE_REQUEST, SHOT_ERROR, SHOT_NAME, SHOT_REQUEST, WATCH_REQUEST, type KeyAction } from './protocol';
import { watchTree } from './treeWatch';

export const CHROMIUM = '/usr/bin/chromium';

// As root Chromium needs --no-sandbox; the rest keeps it off the network and quick to start.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface Workbench {
  readonly browser: Browser;
  readonly page: Page;
  /** Browser console errors and page errors, for the failure report. */
  readonly consoleErrors: string[];
  close(): Promise<void>;
}

export async function openWorkbench(url: string): Promise<Workbench> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: run scripts/setup.sh (Debian package chromium)`);
  // launch() gives a fresh temporary profile each time.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  const consoleErrors: string[] = [];
  try {
    // Clipboard permissions: VS Code for the Web copies through the browser's clipboard API, which
    // waits for a permission prompt nobody answers in a headless browser.
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    return { browser, page, consoleErrors, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/**
 * Takes the screenshots suites ask for in `dir` until stopped: `<name>.request` becomes
 * `<name>.png` (whole page), or `<name>.error`.
 */
export function serveScreenshots(page: Page, dir: string, log: (line: string) => void): { stop(): Promise<void> } {
  let stopped = false;
  // Tree watches run beside the loop: the suite types and takes screenshots while one waits.
  const watches: Promise<void>[] = [];
  const loop = (async () => {
    while (!stopped) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith(WATCH_REQUEST))) {
        const name = file.slice(0, -WATCH_REQUEST.length);
        if (SHOT_NAME.test(name)) watches.push(watchTree(page, dir, name, join(dir, file), log));
        else rmSync(join(dir, file), { force: true });
      }
      for (const file of readdirSync(dir).filter((f) => f.endsWith(SHOT_REQUEST))) {
        const name = file.slice(0, -SHOT_REQUEST.length);
        const request = join(dir, file);
        try {
          if (!SHOT_NAME.test(name)) throw new Error('bad screenshot name');
          const tmp = join(dir, `.${name}.png.tmp`);
          await page.screenshot({ path: tmp, type: 'png', timeout: 20_000 });
          renameSync(tmp, join(dir, `${name}.png`));
          log(`screenshot ${join(dir, `${name}.png`)}`);
        } catch (error) {
          writeFileSync(join(dir, `${name}${SHOT_ERROR}`), `${error instanceof Error ? error.message : String(error)}\n`);
        } finally {
          rmSync(request, { force: true });
        }
      }
      for (const file of readdirSync(dir).filter((f) => f.endsWith(KEYS_REQUEST))) {
        const name = file.slice(0, -KEYS_REQUEST.length);
        const request = join(dir, file);
        try {
          if (!SHOT_NAME.test(name)) throw new Error('bad request name');
          const actions = JSON.parse(readFileSync(request, 'utf8')) as KeyAction[];
          for (const action of actions) {
            if ('type' in action) await page.keyboard.type(action.type, { delay: 5 });
            else if ('press' in action) await page.keyboard.press(action.press);
            else await new Promise((r) => setTimeout(r, action.waitMs));
            // The workbench handles each key asynchronously (QuickInput steps replace each other).
            await new Promise((r) => setTimeout(r, 120));
          }
          writeFileSync(join(dir, `${name}${KEYS_DONE}`), 'ok\n');
        } catch (error) {
          writeFileSync(join(dir, `${name}${SHOT_ERROR}`), `${error instanceof Error ? error.message : String(error)}\n`);
        } finally {
          rmSync(request, { force: true });
        }
      }
      // Answered in order with the keys: a suite reads the page after what it typed.
      for (const file of readdirSync(dir).filter((f) => f.endsWith(PAGE_REQUEST))) {
        const name = file.slice(0, -PAGE_REQUEST.length);
        if (SHOT_NAME.test(name)) await answerPage(page, dir, name, join(dir, file));
        else rmSync(join(dir, file), { force: true });
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await Promise.all(watches);
    },
  };
}
