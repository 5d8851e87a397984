import { statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ProfileSession } from '../../core/connect/pool';
import type { Profile } from '../../core/connect/profile';
import type { Inspection } from '../../core/model/types';
import type { Migration, RefusalCode, RunEvent, RunMode, RunRequest, RunResult, RunSummary } from '../../core/run/types';
import type { ComparisonState } from '../compare/comparisonState';
import type { ConnectionService } from '../connections';
import { folderTarget } from '../diagnostics/targets';
import type { ProfileStore } from '../profiles/profileStore';

/**
 * What the "Run Migration File…" command and the Phases panel share: which migration, on which
 * profile, validated against which desired state, and the RunRequest the core's runMigration
 * takes (guards, confirmation, executor, validation and journal are all the core's). The engine
 * loads on the first run, not with this class.
 */
export interface RunOptions {
  mode?: RunMode;
  /** Phase names to run; all when absent. */
  phases?: readonly string[];
  /** The profile to run on; without it the file's target, else a QuickPick. */
  profile?: string;
  /**
   * The desired state the validation compares with: 'none', 'comparison' (the Schema Differences
   * view's "to" side), a profile name, or a path of SQL files. Without it: the comparison's "to"
   * side when there is one, else a QuickPick (or none when `interactive` is false).
   */
  to?: string;
  /** False: never ask (tests, scripts); what is missing is an error. Default true. */
  interactive?: boolean;
}

/** A migration loaded and its target chosen: ready to run. */
export interface PreparedRun {
  uri: vscode.Uri;
  migration: Migration;
  profile: Profile;
  mode: RunMode;
  phases?: readonly string[];
  /** The desired state, for messages ("validated against to_db"); absent without one. */
  toLabel?: string;
  to?: () => Promise<Inspection>;
}

export type RunServiceOutcome =
  | { status: 'finished'; result: RunResult; migration: Migration; profile: string }
  | { status: 'refused'; refusal: RefusalCode; message: string; details: readonly string[]; profile: string }
  /** Nothing ran: the migration could not be read, the profile reached, … */
  | { status: 'error'; message: string; profile?: string }
  /** The user closed a picker. */
  | { status: 'dismissed' };

export class RunService {
  constructor(
    private readonly store: ProfileStore,
    private readonly connections: ConnectionService,
    private readonly comparison: ComparisonState,
  ) {}

  /** prepare, then execute: what the panel calls. */
  async run(uri: vscode.Uri, options: RunOptions, onEvent: (event: RunEvent) => void, token: vscode.CancellationToken): Promise<RunServiceOutcome> {
    const prepared = await this.prepare(uri, options);
    if ('status' in prepared) return prepared;
    return this.execute(prepared, onEvent, token);
  }

  /**
   * Loads the migration (saving its open editors first: what runs is what the user sees) and
   * settles the profile, the mode and the desired state, asking for what the options leave open.
   */
  async prepare(uri: vscode.Uri, options: RunOptions): Promise<PreparedRun | Extract<RunServiceOutcome, { status: 'error' | 'dismissed' }>> {
    const interactive = options.interactive !== false;
    await saveOpenEditors(uri);
    const { loadMigration } = await import('../../core/run/load.js');
    let migration: Migration;
    try {
      migration = await loadMigration(uri.fsPath);
    } catch (error) {
      return { status: 'error', message: `${vscode.workspace.asRelativePath(uri)}: ${messageOf(error)}` };
    }

    const profile = await this.pickProfile(uri, migration, options.profile, interactive);
    if (!profile) return { status: 'dismissed' };
    if ('error' in profile) return { status: 'error', message: profile.error };

    const mode = options.mode ?? (interactive ? await pickMode(migration, profile) : 'rehearse');
    if (!mode) return { status: 'dismissed' };

    const to = await this.pickTo(options.to, profile, interactive);
    if (!to) return { status: 'dismissed' };
    if ('error' in to) return { status: 'error', message: to.error, profile: profile.name };

    const prepared: PreparedRun = { uri, migration, profile, mode };
    if (options.phases) prepared.phases = options.phases;
    if (to.load) {
      prepared.to = to.load;
      prepared.toLabel = to.label;
    }
    return prepared;
  }

  /** Runs (or rehearses) a prepared migration; the core's guards may refuse it. */
  async execute(prepared: PreparedRun, onEvent: (event: RunEvent) => void, token: vscode.CancellationToken): Promise<RunServiceOutcome> {
    const { profile, migration, uri } = prepared;
    const [{ runMigration }, { runSessionOf }, { confirmWrite }, { expandField }, { RunRefused }] = await Promise.all([
      import('../../core/run/orchestrate.js'),
      import('../../core/run/session.js'),
      import('../../core/connect/confirm.js'),
      import('../../core/connect/expand.js'),
      import('../../core/run/types.js'),
    ]);
    let inspect: ProfileSession;
    try {
      inspect = await this.connections.session(profile);
    } catch (error) {
      return { status: 'error', message: `"${profile.name}": ${messageOf(error)}`, profile: profile.name };
    }
    const database = expandField(profile, 'database', process.env);
    const controller = new AbortController();
    const cancelling = token.onCancellationRequested(() => controller.abort());
    const settings = vscode.workspace.getConfiguration('pgdrift.run', uri);
    const seconds = (key: string, fallback: number) => {
      const value = settings.get<number>(key);
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : fallback;
    };
    const workspace = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
    const request: RunRequest = {
      migration,
      mode: prepared.mode,
      target: { name: profile.name, environment: profile.environment ?? 'development', readOnly: profile.readOnly === true, where: inspect.where, database },
      inspect: { db: inspect, serverVersionNum: inspect.serverVersionNum, serverVersion: inspect.serverVersion },
      confirm: (summary) => confirmByName(summary, profile, database, inspect.where, (typed) => confirmWrite(profile, typed)),
      openSession: async (confirmation) => {
        const connection = await this.connections.openForWrite(profile, confirmation);
        // Cancelling runs pg_cancel_backend on the profile's read-only pool, a second session of the same role.
        return runSessionOf(connection, async () => inspect);
      },
      lockTimeoutMs: seconds('lockTimeout', 5_000),
      statementTimeoutMs: seconds('statementTimeout', 0),
      signal: controller.signal,
      onEvent,
    };
    if (prepared.phases) request.phases = prepared.phases;
    if (prepared.to) request.to = prepared.to;
    if (workspace) {
      request.journalDir = join(workspace.uri.fsPath, '.pgdrift');
      request.journalFile = vscode.workspace.asRelativePath(uri, false);
    }
    try {
      const result = await runMigration(request);
      return { status: 'finished', result, migration, profile: profile.name };
    } catch (error) {
      if (error instanceof RunRefused) {
        // The core names files by absolute path (a SQLite file's misfits); the workspace's are shown relative to it.
        const folder = workspace ? `${workspace.uri.fsPath}/` : undefined;
        const shorten = (text: string) => (folder ? text.split(folder).join('') : text);
        return { status: 'refused', refusal: error.refusal, message: shorten(error.message), details: error.details.map(shorten), profile: profile.name };
      }
      return { status: 'error', message: messageOf(error), profile: profile.name };
    } finally {
      cancelling.dispose();
    }
  }

  /** The profile named in the options; else the file's target (offered first) or a pick among all. */
  private async pickProfile(uri: vscode.Uri, migration: Migration, named: string | undefined, interactive: boolean): Promise<Profile | { error: string } | undefined> {
    if (named !== undefined) return this.store.get(named)?.profile ?? { error: `there is no profile named "${named}"` };
    const target = defaultTarget(uri, migration);
    const all = this.store.list().map((s) => s.profile);
    const preferred = target ? all.find((p) => p.name === target.profile) : undefined;
    if (!interactive) {
      if (preferred) return preferred;
      return { error: target ? `the migration's target "${target.profile}" is not a profile` : 'the migration names no target (-- pgdrift:target <profile>); choose a profile' };
    }
    if (all.length === 0) {
      void vscode.window.showWarningMessage('pgdrift: no database profiles yet: add one to run a migration.', 'Add Database…').then((choice) => {
        if (choice) void vscode.commands.executeCommand('pgdrift.addProfile');
      });
      return undefined;
    }
    type Item = vscode.QuickPickItem & { profile: Profile };
    const items: Item[] = [...(preferred ? [preferred] : []), ...all.filter((p) => p !== preferred)].map((p) => ({
      label: `$(database) ${p.name}`,
      description: `${p.environment ?? 'development'}${p.readOnly ? ' · read-only' : ''} · ${p.user}@${p.host}/${p.database}`,
      ...(p === preferred && target ? { detail: target.from === 'header' ? 'the file\'s target (-- pgdrift:target)' : `the target of ${target.folder}/ (pgdrift.migrationTargets)` } : {}),
      profile: p,
    }));
    const title = `Run ${vscode.workspace.asRelativePath(uri)}: on which database?`;
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: target && !preferred ? `The target "${target.profile}" is not a profile: pick one` : 'The database the migration changes', ignoreFocusOut: true });
    return picked?.profile;
  }

  /**
   * The desired state for object counts and the last phase's re-diff: as the options say; else
   * asked, the Schema Differences view's "to" side first (already read: no second reading), then
   * None; without asking, that side or none.
   */
  private async pickTo(option: string | undefined, profile: Profile, interactive: boolean): Promise<ToChoice | { error: string } | undefined> {
    const current = this.comparison.current;
    const fromComparison = (): ToChoice | undefined => (current ? { label: `${current.to.label} (the comparison's "to" side)`, load: async () => current.comparison.to.inspection } : undefined);
    if (option === 'none') return { label: 'none' };
    if (option === 'comparison') return fromComparison() ?? { error: 'there is no comparison in the Schema Differences view' };
    if (option !== undefined) return this.readTo(option);
    const compared = fromComparison();
    if (!interactive) return compared ?? { label: 'none' };
    type Item = vscode.QuickPickItem & { choice?: string };
    const items: Item[] = [
      ...(current ? [{ label: `$(git-compare) ${current.to.label}`, description: `the "to" side of the comparison ${current.from.label} ← ${current.to.label}`, choice: 'comparison' }] : []),
      { label: '$(circle-slash) None', description: 'row counts and expectations only', choice: 'none' },
      ...this.store.list().filter((s) => s.profile.name !== profile.name).map((s) => ({ label: `$(database) ${s.profile.name}`, description: `${s.profile.environment ?? 'development'} · ${s.profile.host}/${s.profile.database}`, choice: s.profile.name })),
      { label: '$(file-code) SQL file or folder…', description: 'a schema.sql or pg_dump --schema-only output' },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Validate against which desired state?', placeHolder: 'Object counts and the final re-diff compare the database with it', ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    if (picked.choice === 'none') return { label: 'none' };
    if (picked.choice === 'comparison') return compared;
    if (picked.choice) return this.readTo(picked.choice);
    const uris = await vscode.window.showOpenDialog({ title: 'The desired state', canSelectFiles: true, canSelectFolders: true, canSelectMany: false, filters: { SQL: ['sql'] }, openLabel: 'Use' });
    return uris?.[0] ? this.readTo(uris[0].fsPath) : undefined;
  }

  /** A profile name or a path, read (once, when the validation asks) as `pgdrift run` reads its --to. */
  private readTo(spec: string): ToChoice {
    const isProfile = this.store.get(spec) !== undefined;
    const label = isProfile ? spec : vscode.workspace.asRelativePath(spec);
    let read: Promise<Inspection> | undefined;
    return {
      label,
      load: () => {
        read ??= this.inspect(isProfile ? spec : undefined, isProfile ? undefined : spec);
        return read;
      },
    };
  }

  private async inspect(profile: string | undefined, path: string | undefined): Promise<Inspection> {
    const [{ openSource, PROFILE_PREFIX }, { introspect }, { cacheDirOf }, { profileResolver }] = await Promise.all([
      import('../../core/sources/index.js'),
      import('../../core/introspect/index.js'),
      import('../../core/sources/cacheDir.js'),
      import('../compare/profileResolver.js'),
    ]);
    const spec = profile ? `${PROFILE_PREFIX}${profile}` : (path ?? '');
    const profiles = await profileResolver(profile ? [{ spec, label: profile, profile }] : [], this.store, this.connections);
    const source = await openSource(spec, { env: process.env, profiles, cacheDir: cacheDirOf(process.env) });
    try {
      return await introspect(source);
    } finally {
      await source.close();
    }
  }
}

interface ToChoice {
  label: string;
  load?: () => Promise<Inspection>;
}

/** The file's `-- pgdrift:target` (the core read it), else the folder mapping of pgdrift.migrationTargets. */
function defaultTarget(uri: vscode.Uri, migration: Migration): { profile: string; from: 'header' } | { profile: string; from: 'folder'; folder: string } | undefined {
  if (migration.target) return { profile: migration.target, from: 'header' };
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return undefined;
  const relative = vscode.workspace.asRelativePath(uri, false);
  const mapping = vscode.workspace.getConfiguration('pgdrift', uri).get<Record<string, unknown>>('migrationTargets') ?? {};
  // A folder given as the migration is "inside" a mapped folder that is itself or one of its parents.
  const found = folderTarget(isDirectory(uri) ? `${relative}/.` : relative, mapping);
  return found ? { ...found, from: 'folder' } : undefined;
}

async function pickMode(migration: Migration, profile: Profile): Promise<RunMode | undefined> {
  const phases = migration.phases.length;
  const production = profile.environment === 'production';
  type Item = vscode.QuickPickItem & { mode: RunMode };
  const items: Item[] = [
    { label: '$(beaker) Rehearse', detail: 'One transaction, rolled back at the end: changes nothing', mode: 'rehearse' },
    { label: '$(play) Run', detail: phases === 1 ? 'One transaction, committed' : 'Each phase committed in its own transaction', mode: 'run' },
  ];
  if (production) for (const item of items) item.description = '$(warning) production: asks for the database name';
  const title = `${vscode.workspace.asRelativePath(migration.path)} (${phases} phase${phases === 1 ? '' : 's'}) on ${profile.name} (${profile.environment ?? 'development'})`;
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Rehearse or run', ignoreFocusOut: true });
  return picked?.mode;
}

/**
 * The production confirmation: the run's summary, and the database name typed as the answer. The
 * token comes from the core's confirmWrite, the only place that makes one.
 */
async function confirmByName(summary: RunSummary, profile: Profile, database: string, where: string, confirm: (typed: string) => unknown): Promise<unknown> {
  const parts = [
    `${summary.phases.length} phase${summary.phases.length === 1 ? '' : 's'} (${summary.phases.join(', ')})`,
    `${summary.statements} statement${summary.statements === 1 ? '' : 's'}`,
    `${summary.destructive} destructive`,
    `${summary.nonTransactional} outside a transaction`,
    `${summary.hazardsAccepted} hazard${summary.hazardsAccepted === 1 ? '' : 's'} accepted`,
  ];
  const verb = summary.mode === 'rehearse' ? 'Rehearse' : 'Run';
  const typed = await vscode.window.showInputBox({
    title: `${verb} on production "${profile.name}" (${where})`,
    prompt: `Type the database name "${database}" to ${verb.toLowerCase()}: ${parts.join(', ')}.`,
    placeHolder: 'the database name, as a confirmation',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' || value.trim() === database ? undefined : `Not the database name: type "${database}" exactly`),
  });
  if (typed === undefined || typed.trim() !== database) return undefined;
  return confirm(typed);
}

/** Unsaved edits of the file (or of the folder's files) are saved: the run reads the files from disk. */
async function saveOpenEditors(uri: vscode.Uri): Promise<void> {
  const prefix = uri.fsPath.endsWith('/') ? uri.fsPath : `${uri.fsPath}/`;
  for (const document of vscode.workspace.textDocuments) {
    if (!document.isDirty || document.uri.scheme !== 'file') continue;
    if (document.uri.fsPath === uri.fsPath || document.uri.fsPath.startsWith(prefix)) await document.save();
  }
}

function isDirectory(uri: vscode.Uri): boolean {
  try {
    return statSync(uri.fsPath).isDirectory();
  } catch {
    return false;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
