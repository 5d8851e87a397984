import * as vscode from 'vscode';
import { PendingChangeActions } from './codeActions/provider';
import { ComparisonState } from './compare/comparisonState';
import { DDL_SCHEME, DdlDocuments } from './compare/objectDiff';
import { ConnectionService } from './connections';
import { registerDirectiveCompletion } from './directives/completion';
import { registerMigrationDiagnostics } from './diagnostics';
import { registerPhasesPanel } from './panels';
import { registerRun } from './run';
import { ProfileCommands } from './profiles/profileCommands';
import { ProfileStore } from './profiles/profileStore';
import { DatabasesTree } from './views/databasesTree';
import { DifferencesTree } from './views/differencesTree';
import { registerWalkthrough } from './walkthrough';

/**
 * Entry point of the extension host side. Activation only builds the views and registers the
 * commands: nothing connects to a database until the user asks for it (test connection, compare).
 * Commands are registered from one table so that the manifest and the code cannot drift apart (a
 * test in the real VS Code checks both directions).
 */
export function activate(context: vscode.ExtensionContext): void {
  const store = new ProfileStore(context.secrets);
  const output = vscode.window.createOutputChannel('pgdrift', { log: true });
  const connections = new ConnectionService(store, output);
  const profiles = new ProfileCommands(store, connections);
  const databases = new DatabasesTree(store);
  const comparison = new ComparisonState(context.workspaceState);
  const differences = new DifferencesTree(comparison);
  const ddl = new DdlDocuments(comparison);
  context.subscriptions.push(ddl, vscode.workspace.registerTextDocumentContentProvider(DDL_SCHEME, ddl));
  // `-- pgdrift:` directives in SQL files: names, then profiles, phases and hazard codes (from settings and constants).
  context.subscriptions.push(registerDirectiveCompletion(() => store.list().map((p) => p.profile.name)));
  // Hazards of migration files as diagnostics, hover, CodeLens and quick fixes; the engine loads with the first migration opened.
  const migrations = registerMigrationDiagnostics(store, connections, output);
  context.subscriptions.push(...migrations.disposables);
  // Run Migration File… and the run journal; the Phases panel runs through the same service (run.service).
  const run = registerRun(store, connections, comparison);
  context.subscriptions.push(...run.disposables);
  // The Phases panel: the migration's phases, run or rehearsed through the same service, with the checks after each.
  const phases = registerPhasesPanel(context, run.service, store, output);
  context.subscriptions.push(...phases.disposables);
  // The first-comparison walkthrough (Get Started) and the profile count its steps complete on.
  const walkthrough = registerWalkthrough(context, store);
  context.subscriptions.push(...walkthrough.disposables);
  // "Insert pending change ▸ …" in SQL files, from the current comparison.
  context.subscriptions.push(vscode.languages.registerCodeActionsProvider({ language: 'sql' }, new PendingChangeActions(comparison, () => new Set(differences.selection.excludedIds)), PendingChangeActions.metadata));
  context.subscriptions.push(
    store,
    output,
    connections,
    databases,
    comparison,
    differences,
    vscode.window.createTreeView('pgdrift.databases', { treeDataProvider: databases, showCollapseAll: false }),
    // Checkboxes: a table's box covers its members by the tree's own rules, not VS Code's.
    differences.attach(vscode.window.createTreeView('pgdrift.differences', { treeDataProvider: differences, manageCheckboxStateManually: true })),
  );

  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'pgdrift.addProfile': () => profiles.add(),
    'pgdrift.importProfile': () => profiles.importUrl(),
    'pgdrift.editProfile': (arg) => profiles.edit(arg),
    'pgdrift.duplicateProfile': (arg) => profiles.duplicate(arg),
    'pgdrift.removeProfile': (arg) => profiles.remove(arg),
    'pgdrift.testConnection': (arg) => profiles.test(arg),
    'pgdrift.copyProfileUrl': (arg) => profiles.copyUrl(arg),
    'pgdrift.refreshDatabases': () => databases.refresh(),
    // The engine (introspection, planning, PGlite for SQL files) loads on the first comparison.
    // Optional arguments: two profile names (from, to), compared without the pickers.
    'pgdrift.compare': async (from, to) => (await import('./compare/compareCommand.js')).compareCommand(store, connections, comparison, output, from, to),
    // With changes unchecked in Schema Differences, the plan is made again without them.
    'pgdrift.generateMigration': async () => (await import('./compare/generateMigration.js')).generateMigration(comparison, { excluded: differences.selection.excludedIds, store, connections, log: output }),
    // The argument is the change's ObjectId (Change.id), as the Schema Differences view passes it.
    'pgdrift.showObjectDiff': async (id) => (await import('./compare/objectDiff.js')).showObjectDiff(comparison, id),
    // Arguments (from the code actions): { uri, position, id? }; from the palette: the active editor's cursor.
    'pgdrift.insertPendingChange': async (arg) => (await import('./codeActions/insertCommand.js')).insertPendingChange(comparison, arg, new Set(differences.selection.excludedIds)),
    'pgdrift.insertAllPendingChanges': async (arg) => (await import('./codeActions/insertCommand.js')).insertAllPendingChanges(comparison, arg, { excluded: differences.selection.excludedIds, store, connections, log: output }),
    'pgdrift.differences.refresh': async () => (await import('./compare/compareCommand.js')).recompare(false, store, connections, comparison, output),
    'pgdrift.differences.swap': async () => (await import('./compare/compareCommand.js')).recompare(true, store, connections, comparison, output),
    'pgdrift.differences.showHazardsOnly': () => differences.setHazardsOnly(true),
    'pgdrift.differences.showAllChanges': () => differences.setHazardsOnly(false),
    'pgdrift.differences.snapshot': () => differences.snapshot(),
    // Hidden, for tests: (change ids, included) does what their checkboxes do, warning included.
    'pgdrift.differences.select': (ids, included) => differences.select(Array.isArray(ids) ? ids.map(String) : [String(ids)], included !== false),
    // Reference data (setting pgdrift.referenceData): the argument is a table item of the view, or a table's id; each compares again.
    'pgdrift.differences.markReferenceData': async (arg) => (await import('./compare/referenceData.js')).markReferenceData(arg, true),
    'pgdrift.differences.unmarkReferenceData': async (arg) => (await import('./compare/referenceData.js')).markReferenceData(arg, false),
    // The desired state's tables of the current comparison; with a list of table names (scripts, tests), that list.
    'pgdrift.chooseReferenceData': async (arg) => (await import('./compare/referenceData.js')).chooseReferenceData(comparison, arg),
    ...migrations.commands,
    ...run.commands,
    ...phases.commands,
    ...walkthrough.commands,
    'pgdrift.showVersion': () => {
      const version = String(context.extension.packageJSON.version ?? 'unknown');
      return vscode.window.showInformationMessage(`pgdrift ${version}`);
    },
  };
  for (const [id, handler] of Object.entries(commands)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  }
}

export function deactivate(): void {}
