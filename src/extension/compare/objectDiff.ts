import * as vscode from 'vscode';
import type { ComparisonState } from './comparisonState';

/**
 * Side-by-side DDL: one object's CREATE statements in the from- and the to-database, in VS Code's
 * diff editor. Both are read-only virtual documents (`pgdrift-ddl:/from/<name>.sql?id=…`, SQL by
 * their extension) written from the current comparison's models by the planner itself
 * (core/render/objectDdl); a side without the object holds a one-line comment. The provider is
 * registered at activation but loads the engine only when a document is opened.
 *
 * The command's argument is the change's ObjectId (Change.id, e.g. `table:"public"."Job"`); a
 * column opens its table.
 */
export const DDL_SCHEME = 'pgdrift-ddl';

type DdlSide = 'from' | 'to';

export class DdlDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly state: ComparisonState) {
    // Open DDL documents follow the comparison: a new one rewrites them, none empties them.
    this.subscription = state.onDidChange(() => {
      for (const document of vscode.workspace.textDocuments) if (document.uri.scheme === DDL_SCHEME) this.changed.fire(document.uri);
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { side, id } = parseDdlUri(uri);
    const current = this.state.current;
    if (!current || !id) return '-- no comparison: run "pgdrift: Compare Databases…" first\n';
    const { renderObjectDdl, ddlObjectOf } = await import('../../core/render/objectDdl.js');
    const { displayName } = await import('../../core/render/objectName.js');
    const label = current[side].label;
    const ddl = renderObjectDdl(current.comparison[side].inspection.model, id);
    return ddl ?? `-- ${displayName(ddlObjectOf(id))} does not exist in ${label}\n`;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export function ddlUri(side: DdlSide, id: string, name: string): vscode.Uri {
  const file = name.replace(/[/\\?#%]/g, '_') || 'object';
  return vscode.Uri.from({ scheme: DDL_SCHEME, path: `/${side}/${file}.sql`, query: new URLSearchParams({ id }).toString() });
}

function parseDdlUri(uri: vscode.Uri): { side: DdlSide; id: string | undefined } {
  const side: DdlSide = uri.path.startsWith('/to/') ? 'to' : 'from';
  return { side, id: new URLSearchParams(uri.query).get('id') ?? undefined };
}

/** The ObjectId passed by the tree (a string), or an item that carries one. */
function idOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object') {
    const o = arg as { id?: unknown; changeId?: unknown };
    if (typeof o.changeId === 'string') return o.changeId;
    if (typeof o.id === 'string') return o.id;
  }
  return undefined;
}

/** "pgdrift.showObjectDiff": opens the diff editor for one object of the current comparison. */
export async function showObjectDiff(state: ComparisonState, arg: unknown): Promise<boolean> {
  const current = state.current;
  const id = idOf(arg);
  if (!current) {
    const choice = await vscode.window.showInformationMessage('pgdrift: no comparison yet: compare two databases to see their DDL side by side.', 'Compare Databases');
    if (choice) await vscode.commands.executeCommand('pgdrift.compare');
    return false;
  }
  if (!id) {
    void vscode.window.showErrorMessage('pgdrift: Show Object Diff needs an object of the Schema Differences view.');
    return false;
  }
  const { ddlObjectOf } = await import('../../core/render/objectDdl.js');
  const { parseId } = await import('../../core/render/objectName.js');
  const shown = ddlObjectOf(id);
  const name = parseId(shown).parts.at(-1) ?? shown;
  const title = `${name} (${current.from.label} ↔ ${current.to.label})`;
  await vscode.commands.executeCommand('vscode.diff', ddlUri('from', shown, name), ddlUri('to', shown, name), title, { preview: true });
  return true;
}
