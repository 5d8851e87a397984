/**
 * The Phases panel as the suites drive it: its snapshot (state and page text), its buttons clicked
 * as a user would, and the colour theme its pictures are taken in.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { PanelSnapshot } from '../../src/extension/panels/phasesPanel';
import type { PhasesPanelState } from '../../src/protocol/phases';
import { screenshot, until } from './harness';

export const snapshot = async (): Promise<PanelSnapshot> => (await vscode.commands.executeCommand<PanelSnapshot>('pgdrift.phases.snapshot'));

export async function stateNow(): Promise<PhasesPanelState> {
  const { state } = await snapshot();
  assert.ok(state, 'the panel has a state');
  return state;
}

/** Clicks a button of the page (as the user would) and asserts it was there and enabled. */
export async function click(action: string, phase?: string): Promise<void> {
  const clicked = await vscode.commands.executeCommand<{ found: boolean; disabled: boolean }>('pgdrift.phases.click', action, phase);
  assert.deepEqual(clicked, { found: true, disabled: false }, `the ${action}${phase ? ` ${phase}` : ''} button`);
}

/** Clicks and waits for the run it starts to end; returns the state then. */
export async function clickAndWait(action: string, phase?: string, timeoutMs = 180_000): Promise<PhasesPanelState> {
  const before = (await stateNow()).endedAt;
  await click(action, phase);
  return until(async () => {
    const state = await stateNow();
    return !state.running && state.endedAt !== before ? state : undefined;
  }, `the end of ${action} ${phase ?? ''}`, timeoutMs);
}

/** The page's text once it shows `pattern`. */
export async function pageShows(pattern: RegExp, what: string): Promise<string> {
  let last: PanelSnapshot | undefined;
  try {
    return await until(async () => {
      last = await snapshot();
      return last.text !== undefined && pattern.test(last.text) ? last.text : undefined;
    }, what, 45_000);
  } catch (error) {
    await screenshot(`phases-panel-timeout-${what.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 40)}`).catch(() => undefined);
    throw new Error(`${(error as Error).message}; the panel: visible ${last?.visible}, ready ${last?.ready}, problems ${JSON.stringify(last?.problems)}, text:\n${last?.text}`);
  }
}

export async function useTheme(theme: 'Default Light Modern' | 'Default Dark Modern'): Promise<void> {
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
}
