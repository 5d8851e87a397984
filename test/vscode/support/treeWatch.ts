/**
 * The driver's side of a tree watch (protocol.ts, WATCH_REQUEST): when the Schema Differences
 * view is on the page with a comparison's rows, and how long the page's main thread was blocked
 * meanwhile. The page is the workbench window, so a long task there is the window not responding
 * to input for that long.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SHOT_ERROR, WATCH_DONE, WATCH_READY, type TreeWatchRequest, type TreeWatchResult } from './protocol';

// Page scripts as text: this program is typed without the DOM's types.
const START = `(() => {
  window.pgdriftWatch?.observer.disconnect();
  const tasks = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push({ start: performance.timeOrigin + e.startTime, durationMs: e.duration });
  });
  observer.observe({ type: 'longtask' });
  window.pgdriftWatch = { tasks, observer };
  return performance.timeOrigin + performance.now();
})()`;

/** Called in every animation frame: the frame in which the rows are first there is the one that paints them. */
const SEEN = `({ text, childText }) => {
  const rows = [...document.querySelectorAll('.monaco-list-row[role="treeitem"]')];
  const summary = rows.find((row) => (row.textContent ?? '').includes(text));
  const list = summary?.closest('.monaco-list');
  if (!list) return false;
  const listRows = [...list.querySelectorAll('.monaco-list-row[role="treeitem"]')];
  if (!listRows.some((row) => row.getAttribute('aria-level') === '2' && (row.textContent ?? '').includes(childText))) return false;
  return { seenAt: performance.timeOrigin + performance.now(), rows: listRows.length };
}`;

const STOP = `(() => {
  window.pgdriftWatch?.observer.disconnect();
  const tasks = window.pgdriftWatch?.tasks ?? [];
  delete window.pgdriftWatch;
  return tasks;
})()`;

/** Runs one watch; answers through the files and never throws. */
export async function watchTree(page: Page, dir: string, name: string, request: string, log: (line: string) => void): Promise<void> {
  const answer = (suffix: string, text: string) => {
    writeFileSync(join(dir, `.${name}${suffix}.tmp`), text);
    renameSync(join(dir, `.${name}${suffix}.tmp`), join(dir, `${name}${suffix}`));
  };
  try {
    const r = JSON.parse(readFileSync(request, 'utf8')) as TreeWatchRequest;
    rmSync(request, { force: true });
    const readyAt = (await page.evaluate(START)) as number;
    answer(WATCH_READY, `${readyAt}\n`);
    const seen = await page.waitForFunction(`(${SEEN})(${JSON.stringify({ text: r.text, childText: r.childText })})`, undefined, { polling: 'raf', timeout: r.timeoutMs });
    const { seenAt, rows } = (await seen.jsonValue()) as { seenAt: number; rows: number };
    await new Promise((resolve) => setTimeout(resolve, r.settleMs));
    const longTasks = (await page.evaluate(STOP)) as TreeWatchResult['longTasks'];
    const result: TreeWatchResult = { readyAt, seenAt, rows, longTasks };
    answer(WATCH_DONE, `${JSON.stringify(result)}\n`);
    log(`tree watch ${name}: rows on the page ${(seenAt - readyAt).toFixed(0)} ms after the watch started, ${longTasks.length} long tasks`);
  } catch (error) {
    rmSync(request, { force: true });
    answer(SHOT_ERROR, `${error instanceof Error ? error.message : String(error)}\n`);
  }
}
