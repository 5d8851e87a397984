/**
 * Suite side of a page request (support/protocol.ts, PAGE_REQUEST): what the workbench page shows,
 * and clicks on it, through the driver. Needs the VS Code for the Web driver (test/vscode/run.ts).
 *
 *   const steps = await readPage('.getting-started-step h3')          // [{ text: 'Add a database', … }, …]
 *   await readPage('.getting-started-step', { click: 'Compare' })     // clicks it first
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV, PAGE_DONE, PAGE_REQUEST, SHOT_ERROR, type PageElement, type PageRequest } from './support/protocol';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let counter = 0;

/** Every element matching `selector` once one does (an error after `timeoutMs`), with the attributes asked for. */
export async function readPage(selector: string, options: Omit<PageRequest, 'selector'> = {}): Promise<PageElement[]> {
  const dir = process.env[ENV.screenshots];
  if (!dir) throw new Error('reading the page needs the VS Code for the Web driver (test/vscode/run.ts)');
  const name = `page-${process.pid}-${(counter += 1)}`;
  const request: PageRequest = { selector, ...options };
  writeFileSync(join(dir, `${name}${PAGE_REQUEST}.tmp`), JSON.stringify(request));
  // Renamed into place so the driver never reads a half-written request.
  renameSync(join(dir, `${name}${PAGE_REQUEST}.tmp`), join(dir, `${name}${PAGE_REQUEST}`));
  const file = join(dir, `${name}${PAGE_DONE}`);
  const error = join(dir, `${name}${SHOT_ERROR}`);
  const deadline = Date.now() + (options.timeoutMs ?? 15_000) + 30_000;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      rmSync(file, { force: true });
      return JSON.parse(text) as PageElement[];
    }
    if (existsSync(error)) {
      const message = readFileSync(error, 'utf8').trim();
      rmSync(error, { force: true });
      throw new Error(`page ${selector}: ${message}`);
    }
    await sleep(50);
  }
  throw new Error(`page ${selector}: the driver did not answer in time`);
}
