/**
 * The first-comparison walkthrough in the real VS Code: "pgdrift: Get Started" opens it on VS Code's
 * Get Started page with its five steps; a step's button, clicked on the page as a user would, runs
 * its command and ticks the step; a second profile in the settings ticks "Choose the desired state".
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, keys, screenshot, until } from '../harness';
import { readPage } from '../page';
import { ENV } from '../support/protocol';
import { profiles, serverProfile, useProfiles, type StoredProfile } from '../workspace';

const WALKTHROUGH = `${EXTENSION_ID}#firstComparison`;
const STEPS = ['database', 'desiredState', 'compare', 'generate', 'run'] as const;
type Step = (typeof STEPS)[number];
const TITLES = ['Add a database', 'Choose the desired state', 'Compare the two sides', 'Generate the migration', 'Rehearse, then run'];

const stepButton = (id: Step) => `button.getting-started-step[data-step-id="${WALKTHROUGH}#${id}"]`;

/** The step's checkbox on the page: 'true' once done. */
async function done(id: Step): Promise<string | null | undefined> {
  const [box] = await readPage(`[data-done-step-id="${WALKTHROUGH}#${id}"]`, { attributes: ['aria-checked'] });
  return box?.attributes['aria-checked'];
}

const ticked = (id: Step) => until(async () => ((await done(id)) === 'true' ? true : undefined), `the step "${id}" ticked`);

/** Selects the step on the page (it expands), then clicks the button in its text, then lets the command's first QuickInput go. */
async function clickStepButton(id: Step, title: string, button: string): Promise<void> {
  await readPage(stepButton(id), { click: title });
  const [step] = await readPage(stepButton(id), { attributes: ['aria-expanded'] });
  assert.equal(step?.attributes['aria-expanded'], 'true', `the step "${title}" expanded`);
  await readPage(`[x-step-description-for="${WALKTHROUGH}#${id}"] .monaco-button`, { click: button });
  // The command asks its first question in a QuickInput: Escape answers nothing, and nothing is changed.
  await keys({ waitMs: 700 }, { press: 'Escape' });
}

// The steps are read and clicked on the page, which only the VS Code for the Web driver can do.
const DRIVER = Boolean(process.env[ENV.screenshots]);

describe(`pgdrift in VS Code: Walkthrough${DRIVER ? '' : ' — skipped: reading the walkthrough page needs the VS Code for the Web driver (desktop VS Code has none)'}`, function () {
  this.timeout(120_000);
  let original: StoredProfile[] = [];

  before(async function () {
    if (!DRIVER) this.skip();
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    original = profiles();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async function () {
    if (original.length) await useProfiles(original);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('"pgdrift: Get Started" opens the walkthrough with its five steps in order', async function () {
    await vscode.commands.executeCommand('pgdrift.openWalkthrough');
    const titles = await readPage(`button.getting-started-step[data-step-id^="${WALKTHROUGH}#"] h3.step-title`);
    assert.deepEqual(titles.map((t) => t.text), TITLES);
    const steps = await readPage(`button.getting-started-step[data-step-id^="${WALKTHROUGH}#"]`, { attributes: ['data-step-id'] });
    assert.deepEqual(steps.map((s) => s.attributes['data-step-id']), STEPS.map((id) => `${WALKTHROUGH}#${id}`));
    // The walkthrough's own title and the steps' texts come from package.nls.json: no %key% left.
    const [page] = await readPage('.gettingStartedContainer');
    assert.match(page?.text ?? '', /Your First Schema Comparison/);
    assert.doesNotMatch(page?.text ?? '', /%walkthrough\./);
  });

  it('clicking "Add a Database" on the page runs the command and ticks "Add a database"', async function () {
    await clickStepButton('database', 'Add a database', 'Add a Database');
    await ticked('database');
    assert.equal(await done('generate'), 'false');
  });

  it('a second profile in the settings ticks "Choose the desired state"', async function () {
    const first = original[0] ?? serverProfile('integration', 'postgres');
    await useProfiles([first, serverProfile('walkthrough second side', 'postgres')]);
    await ticked('desiredState');
  });

  it('clicking "Compare Databases" on the page runs the command and ticks "Compare"', async function () {
    await clickStepButton('compare', 'Compare the two sides', 'Compare Databases');
    await ticked('compare');
    assert.equal(await done('generate'), 'false');
    assert.equal(await done('run'), 'false');
    await screenshot('walkthrough', { settleMs: 1500 });
  });

  it('selecting a step shows its page without ticking it (its completion events decide)', async function () {
    await readPage(stepButton('desiredState'), { click: 'Choose the desired state' });
    await screenshot('walkthrough-desired-state', { settleMs: 1500 });
    await readPage(stepButton('generate'), { click: 'Generate the migration' });
    const [step] = await readPage(stepButton('generate'), { attributes: ['aria-expanded'] });
    assert.equal(step?.attributes['aria-expanded'], 'true');
    await screenshot('walkthrough-generate', { settleMs: 1500 });
    assert.equal(await done('generate'), 'false');
  });
});
