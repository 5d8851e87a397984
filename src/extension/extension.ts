import * as vscode from 'vscode';

/**
 * Entry point of the extension host side. Commands are registered from one table so that the
 * manifest and the code cannot drift apart (a test checks both directions).
 */
export function activate(context: vscode.ExtensionContext): void {
  const commands: Record<string, () => unknown> = {
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
