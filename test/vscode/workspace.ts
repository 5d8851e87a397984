/**
 * What several integration suites do the same way: the workspace's `pgdrift.profiles`, the
 * outcomes pgdrift's commands return, SQL as the superuser on the suites' server, pgdrift's open
 * sessions, Compare Databases answered by typing, and closing editors without a save question;
 * the workspace folder, the packaged CLI, the Schema Differences snapshot, the suites' databases
 * and profiles, and the clean-up after each test.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import * as vscode from 'vscode';
import type { SnapshotNode } from '../../src/extension/views/differencesTree';
import { enter, EXTENSION_ID, keys, postgresUrl, until } from './harness';

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

/** The path of the first workspace folder (the suites run with one open). */
export function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri.fsPath;
}

/** How a run of the packaged CLI ended. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the packaged CLI in `cwd`, as a user of the extension's bundled dist/cli.js would. */
export function packagedCli(cwd: string, ...args: string[]): Promise<CliRun> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension);
  const cli = join(extension.extensionPath, 'dist', 'cli.js');
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args],
      { cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

/** A node of the Schema Differences tree as `pgdrift.differences.snapshot` returns it (a type only: nothing of src/ is loaded). */
export type { SnapshotNode } from '../../src/extension/views/differencesTree';

/** The Schema Differences tree's roots, with their children. */
export const differencesSnapshot = async (): Promise<SnapshotNode[]> =>
  (await vscode.commands.executeCommand<SnapshotNode[]>('pgdrift.differences.snapshot')) ?? [];

/** The first node whose label is `label`, anywhere under `nodes` (depth first). */
export function findNode(nodes: readonly SnapshotNode[], label: string): SnapshotNode | undefined {
  for (const node of nodes) {
    if (node.label === label) return node;
    const inner = findNode(node.children, label);
    if (inner) return inner;
  }
  return undefined;
}

/**
 * The default side bar cuts the hazard lines short; a reader widens it, and so do the pictures.
 * VS Code resizes the part that has DOM focus and falls back to the editor area, which is what it
 * resizes in the headless browser (whose page never has focus): narrowing the editor widens the bar.
 */
export async function widenSideBar(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.focusSideBar');
  for (let i = 0; i < 3; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
}

/**
 * Drops (if they exist) and creates these databases on the suites' server, empty; `force` ends
 * whatever sessions still use them first.
 */
export function recreateDatabases(names: readonly string[], { force = false } = {}): Promise<void> {
  return admin('postgres', async (client) => {
    for (const db of names) {
      await client.query(`DROP DATABASE IF EXISTS ${db}${force ? ' WITH (FORCE)' : ''}`);
      await client.query(`CREATE DATABASE ${db}`);
    }
  });
}

/** Drops these databases of the suites' server, ending the sessions that still use them. */
export function dropDatabases(names: readonly string[]): Promise<void> {
  return admin('postgres', async (client) => {
    for (const db of names) await client.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  });
}

/**
 * A profile of the suites' server as the superuser: `database` (by default the profile's name),
 * in the `environment` given (development by default).
 */
export function serverProfile(name: string, database = name, environment = 'development'): StoredProfile {
  const server = new URL(postgresUrl());
  return { name, host: server.hostname, port: Number(server.port), user: 'postgres', environment, database };
}

const COUNTS = ['no', 'one', 'two', 'three', 'four', 'five'];

/** Writes `list` as the workspace's profiles and waits until the settings hold that many. */
export async function useProfiles(list: readonly StoredProfile[], what = `the ${COUNTS[list.length] ?? list.length} profiles in the settings`): Promise<void> {
  await setProfiles(list);
  await until(() => (profiles().length === list.length ? true : undefined), what);
}

/**
 * Adds `profile` to the workspace's profiles (replacing one of the same name), waits until the
 * settings hold it, and returns the profiles there were before, for the suite to put back.
 */
export async function addProfile(profile: StoredProfile): Promise<StoredProfile[]> {
  const previous = profiles();
  await setProfiles([...previous.filter((p) => p.name !== profile.name), profile]);
  await until(() => (profiles().some((p) => p.name === profile.name) ? true : undefined), 'the profile in the settings');
  return previous;
}

/**
 * After each test: a failed one may leave a QuickInput or a dialog open, so Escape closes it and
 * the next test starts clean; the notifications are cleared either way.
 */
export async function afterFailure(test: { state?: string | undefined } | undefined): Promise<void> {
  if (test?.state === 'failed') await keys({ press: 'Escape' }, { press: 'Escape' }).catch(() => undefined);
  await vscode.commands.executeCommand('notifications.clearAll');
}

/** Removes the workspace's migrations/ folder (where Generate Migration writes), if there is one. */
export function removeMigrations(): void {
  rmSync(join(workspaceFolder(), 'migrations'), { recursive: true, force: true });
}

/**
 * The end of a suite that compared databases of its own: no profiles left in the settings, no
 * editors open, migrations/ removed (with `migrations`), and its databases dropped.
 */
export async function endSuite(databases: readonly string[], { migrations = false } = {}): Promise<void> {
  await setProfiles(undefined);
  await closeEditors();
  if (migrations) removeMigrations();
  await dropDatabases(databases);
}

/**
 * Registers, in the calling `describe`, the clean-up of a suite that compares databases of its own:
 * afterFailure after each test, endSuite after the last (hooks the suite adds later run after these).
 */
export function registerCleanUp(databases: readonly string[], options: { migrations?: boolean } = {}): void {
  afterEach(async function () {
    await afterFailure(this.currentTest);
  });
  after(async function () {
    await endSuite(databases, options);
  });
}
