/**
 * Inline hazards in migration files: diagnostics, hover, CodeLens and quick fixes, all reading
 * one MigrationDiagnostics. Registering them loads no engine; the first migration file does.
 */
import * as vscode from 'vscode';
import type { ConnectionService } from '../connections';
import type { ProfileStore } from '../profiles/profileStore';
import { MigrationDiagnostics } from './controller';
import { APPLY_FIX_COMMAND, CHECK_COMMAND, HazardFixes, applyFix } from './fixes';
import { HazardHover, HazardLenses } from './lens';

const SQL: vscode.DocumentSelector = [{ language: 'sql', scheme: 'file' }, { language: 'sql', scheme: 'untitled' }];

export function registerMigrationDiagnostics(store: ProfileStore, connections: ConnectionService, log: vscode.LogOutputChannel): {
  disposables: vscode.Disposable[];
  commands: Record<string, (...args: unknown[]) => unknown>;
} {
  const diagnostics = new MigrationDiagnostics(store, connections, log);
  return {
    disposables: [
      diagnostics,
      vscode.languages.registerCodeActionsProvider(SQL, new HazardFixes(diagnostics), { providedCodeActionKinds: HazardFixes.kinds }),
      vscode.languages.registerCodeLensProvider(SQL, new HazardLenses(diagnostics)),
      vscode.languages.registerHoverProvider(SQL, new HazardHover(diagnostics)),
    ],
    commands: {
      [CHECK_COMMAND]: (uri) => diagnostics.check(uri),
      [APPLY_FIX_COMMAND]: (uri, version, index, kind) => applyFix(diagnostics, uri, version, index, kind),
    },
  };
}
