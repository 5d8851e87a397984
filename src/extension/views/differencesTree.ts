import * as vscode from 'vscode';
import type { ComparisonState } from '../compare/comparisonState';

/**
 * The Schema Differences view. Until a comparison has run it has no items, and VS Code shows the
 * view's welcome content instead (package.json "viewsWelcome": what the view is for, with "Add a
 * Database" and "Compare Databases" buttons). After "Compare Databases…" it shows the comparison
 * as the CLI's `diff` prints it: the summary, then kinds, objects, members and their hazards, each
 * nested by its indentation.
 */
interface Node {
  label: string;
  children: Node[];
}

export class DifferencesTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: Node[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(state: ComparisonState) {
    this.subscription = state.onDidChange((current) => this.show(current?.tree ?? ''));
  }

  show(treeText: string): void {
    this.roots = parseIndented(treeText);
    this.changed.fire();
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const hazard = /^! /.test(node.label);
    const item = new vscode.TreeItem(
      hazard ? node.label.slice(2) : node.label,
      node.children.length === 0 ? vscode.TreeItemCollapsibleState.None
        : this.roots.includes(node) || node.children.some((c) => c.children.length > 0) ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed,
    );
    if (hazard) item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    item.tooltip = node.label;
    return item;
  }

  getChildren(node?: Node): Node[] {
    return node ? node.children : this.roots;
  }

  dispose(): void {
    this.changed.dispose();
    this.subscription.dispose();
  }
}

/** Lines indented by two spaces per level become a forest; blank lines separate top-level groups. */
function parseIndented(text: string): Node[] {
  const roots: Node[] = [];
  const stack: { depth: number; node: Node }[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const depth = line.length - line.trimStart().length;
    const node: Node = { label: line.trim(), children: [] };
    while (stack.length > 0 && stack[stack.length - 1]!.depth >= depth) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) parent.node.children.push(node);
    else roots.push(node);
    stack.push({ depth, node });
  }
  return roots;
}
