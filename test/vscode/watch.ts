/**
 * Suite side of a tree watch (support/protocol.ts, WATCH_REQUEST): asks the driver to watch the
 * page for a tree's rows and to record the page's long tasks meanwhile.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV, SHOT_ERROR, WATCH_DONE, WATCH_READY, WATCH_REQUEST, type TreeWatchRequest, type TreeWatchResult } from './support/protocol';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function answerOf(dir: string, name: string, suffix: string, timeoutMs: number): Promise<string> {
  const file = join(dir, `${name}${suffix}`);
  const error = join(dir, `${name}${SHOT_ERROR}`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      rmSync(file, { force: true });
      return text;
    }
    if (existsSync(error)) throw new Error(`tree watch ${name}: ${readFileSync(error, 'utf8').trim()}`);
    await sleep(20);
  }
  throw new Error(`tree watch ${name}: the driver did not answer within ${timeoutMs} ms`);
}

/**
 * Starts a watch and resolves once the driver records (so what follows is inside it); `done`
 * resolves with the result. Needs the VS Code for the Web driver (test/vscode/run.ts).
 */
export async function watchTree(name: string, request: TreeWatchRequest): Promise<{ done: Promise<TreeWatchResult> }> {
  const dir = process.env[ENV.screenshots];
  if (!dir) throw new Error('watching the page needs the VS Code for the Web driver (test/vscode/run.ts)');
  for (const suffix of [WATCH_READY, WATCH_DONE, SHOT_ERROR]) rmSync(join(dir, `${name}${suffix}`), { force: true });
  writeFileSync(join(dir, `${name}${WATCH_REQUEST}.tmp`), JSON.stringify(request));
  renameSync(join(dir, `${name}${WATCH_REQUEST}.tmp`), join(dir, `${name}${WATCH_REQUEST}`));
  await answerOf(dir, name, WATCH_READY, 30_000);
  const done = answerOf(dir, name, WATCH_DONE, request.timeoutMs + request.settleMs + 30_000).then((text) => JSON.parse(text) as TreeWatchResult);
  // Settled when awaited; a rejection before that is not an unhandled one.
  done.catch(() => undefined);
  return { done };
}

/** The extension host's event loop: how late a `intervalMs` timer fires, while running. */
export function stallMonitor(intervalMs = 10): { stop(): { longestMs: number; over50: number; totalOver50Ms: number } } {
  let last = performance.now();
  let longestMs = 0;
  let over50 = 0;
  let totalOver50Ms = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - intervalMs;
    last = now;
    longestMs = Math.max(longestMs, late);
    if (late > 50) {
      over50 += 1;
      totalOver50Ms += late;
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      // A stall still going on when stopped counts too.
      const late = performance.now() - last - intervalMs;
      return { longestMs: Math.max(longestMs, late), over50, totalOver50Ms };
    },
  };
}
