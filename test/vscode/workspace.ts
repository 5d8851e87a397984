/**
 * What several integration suites do the same way: the workspace's `pgdrift.profiles`, the
 * outcomes pgdrift's commands return, SQL as the superuser on the suites' server, pgdrift's open
 * sessions, Compare Databases answered by typing, and closing editors without a save question.
 */
import { Client } from 'pg';
import * as vscode from 'vscode';
import { enter, keys, postgresUrl } from './harness';

/** A profile as the suites write it into the workspace settings. */
export interface StoredProfile {
  name: string;
  host: string;
  port?: number;
  database: string;
  user: string;
  environment?: string;
  readOnly?: boolean;
  tls?: { mode: string };
  ssh?: Record<string, unknown>;
}

/** What `pgdrift.testConnection` returns. */
export type TestOutcome =
  | { status: 'connected'; serverVersion: string; roundTripMs: number }
  | { status: 'failed'; code: string; message: string; fix?: string }
  | { status: 'cancelled' };

/** What `pgdrift.compare` returns. */
export type CompareOutcome =
  | { status: 'compared'; tree: string; script: string; differences: boolean }
  | { status: 'failed'; message: string; fix?: string; profile?: string }
  | { status: 'cancelled' };

const settings = () => vscode.workspace.getConfiguration('pgdrift');

export const profiles = (): StoredProfile[] => settings().inspect<StoredProfile[]>('profiles')?.workspaceValue ?? [];

export const setProfiles = (list: readonly StoredProfile[] | undefined) => settings().update('profiles', list, vscode.ConfigurationTarget.Workspace);

export const testConnection = (name: string) => vscode.commands.executeCommand<TestOutcome>('pgdrift.testConnection', name);

/** Runs `work` as the superuser on a database of the suites' server. */
export async function admin<T>(database: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: postgresUrl(undefined, database) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Connections pgdrift holds open on the suites' server. */
export function pgdriftSessions(): Promise<number> {
  return admin('postgres', async (client) => {
    const open = await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'pgdrift'");
    return Number(open.rows[0]?.n);
  });
}

/** A command's promise, or an error naming what did not finish (a key typed into the wrong step leaves a wizard waiting). */
export async function within<T>(work: Thenable<T>, what: string, timeoutMs = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs "Compare Databases…", answers its two QuickPicks by typing each profile's name, and waits for the outcome. */
export async function compare(from: string, to: string, timeoutMs = 60_000): Promise<CompareOutcome | undefined> {
  const running = vscode.commands.executeCommand<CompareOutcome | undefined>('pgdrift.compare');
  await keys({ waitMs: 800 }, ...enter(from), { waitMs: 400 }, ...enter(to));
  return within(running, 'Compare Databases', timeoutMs);
}

/**
 * Closes every editor without the save question an untitled plan (unsaved, so dirty) would ask:
 * closeAllEditors would wait for an answer nobody gives.
 */
export async function closeEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isUntitled && d.isDirty)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
