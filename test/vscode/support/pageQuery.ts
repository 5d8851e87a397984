/**
 * The driver's side of a page request (protocol.ts, PAGE_REQUEST): reads, and clicks when asked,
 * elements of the workbench page that the extension host cannot see.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PAGE_DONE, SHOT_ERROR, type PageElement, type PageRequest } from './protocol';

// A page script as text: this program is typed without the DOM's types.
const READ = `({ selector, attributes }) => [...document.querySelectorAll(selector)].map((el) => ({
  text: (el.innerText ?? el.textContent ?? '').trim(),
  attributes: Object.fromEntries(attributes.map((a) => [a, el.getAttribute(a)])),
}))`;

/** Answers one request through the files; never throws. */
export async function answerPage(page: Page, dir: string, name: string, request: string): Promise<void> {
  const answer = (suffix: string, text: string) => {
    writeFileSync(join(dir, `.${name}${suffix}.tmp`), text);
    renameSync(join(dir, `.${name}${suffix}.tmp`), join(dir, `${name}${suffix}`));
  };
  try {
    const r = JSON.parse(readFileSync(request, 'utf8')) as PageRequest;
    rmSync(request, { force: true });
    const timeout = r.timeoutMs ?? 15_000;
    await page.locator(r.selector).first().waitFor({ state: 'attached', timeout });
    if (r.click !== undefined) await page.locator(r.selector).filter({ hasText: r.click }).first().click({ timeout });
    const found = (await page.evaluate(`(${READ})(${JSON.stringify({ selector: r.selector, attributes: r.attributes ?? [] })})`)) as PageElement[];
    answer(PAGE_DONE, JSON.stringify(found));
  } catch (error) {
    rmSync(request, { force: true });
    answer(SHOT_ERROR, `${error instanceof Error ? error.message : String(error)}\n`);
  }
}
