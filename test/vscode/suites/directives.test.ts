/**
 * `-- pgdrift:` directives in SQL files, in the real VS Code: completion offers the directive
 * names after a line's `--`, the profile names after `pgdrift:target`, the phases after
 * `pgdrift:phase` and the hazard codes after `pgdrift:accept`; a document full of directives is
 * shown with the injection grammar's colours (screenshot: the directive keywords and their
 * arguments are not comment-coloured).
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, screenshot } from '../harness';

const settings = () => vscode.workspace.getConfiguration('pgdrift');
const PROFILES = ['dir_production', 'dir_staging'];
const PHASES = ['preflight', 'backup', 'expand', 'migrate-data', 'routines', 'contract', 'validate'];
const DIRECTIVES = ['pgdrift:fingerprint', 'pgdrift:target', 'pgdrift:phase', 'pgdrift:expect', 'pgdrift:accept', 'pgdrift:no-transaction'];

const SAMPLE = [
  '-- pgdrift plan: dir_production ← schema.sql',
  '-- pgdrift:fingerprint 9c1f0e4b7a2d',
  '-- pgdrift:target dir_production',
  '-- pgdrift:accept DL-02 public.OvertimeSettings.overtimeMode',
  '',
  '-- pgdrift:phase preflight',
  '-- pgdrift:expect SELECT count(*) FROM "OvertimeSettings" >= 2',
  '',
  '-- pgdrift:phase contract',
  '-- an ordinary comment',
  'ALTER TABLE "OvertimeSettings" DROP COLUMN "overtimeMode";',
  '',
  '-- pgdrift:no-transaction',
  'CREATE INDEX CONCURRENTLY "Role_name" ON "Role" (name);',
  '',
].join('\n');

const labelOf = (item: vscode.CompletionItem): string => (typeof item.label === 'string' ? item.label : item.label.label);

async function labelsAt(document: vscode.TextDocument, line: number): Promise<string[]> {
  const position = new vscode.Position(line, document.lineAt(line).text.length);
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
  return list.items.map(labelOf);
}

describe('pgdrift in VS Code: directives in SQL files', function () {
  this.timeout(60_000);
  let previous: unknown;

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    previous = settings().inspect('profiles')?.workspaceValue;
    await settings().update('profiles', PROFILES.map((name) => ({ name, host: 'localhost', port: 5432, database: name, user: 'postgres' })), vscode.ConfigurationTarget.Workspace);
  });

  after(async function () {
    for (const document of vscode.workspace.textDocuments.filter((d) => d.isUntitled && d.isDirty)) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await settings().update('profiles', previous, vscode.ConfigurationTarget.Workspace);
  });

  it('offers the directive names after --, the profiles after target, the phases after phase, the codes after accept', async function () {
    const document = await vscode.workspace.openTextDocument({ language: 'sql', content: '-- \n--pgd\n-- pgdrift:target \n-- pgdrift:phase \n-- pgdrift:accept \n-- plain comment \nSELECT 1; -- \n' });
    const pgdrift = (labels: string[]) => labels.filter((l) => l.startsWith('pgdrift:'));
    assert.deepEqual(pgdrift(await labelsAt(document, 0)), DIRECTIVES);
    assert.deepEqual(pgdrift(await labelsAt(document, 1)), DIRECTIVES);
    const targets = await labelsAt(document, 2);
    for (const name of PROFILES) assert.ok(targets.includes(name), `${name} not offered after pgdrift:target: ${targets.join(', ')}`);
    const phases = await labelsAt(document, 3);
    assert.deepEqual(phases.filter((l) => PHASES.includes(l)), PHASES);
    const codes = await labelsAt(document, 4);
    for (const code of ['DL-01', 'DL-02', 'FL-03', 'LK-08', 'TX-01']) assert.ok(codes.includes(code), `${code} not offered after pgdrift:accept`);
    // No directive after an ordinary comment's text, nor after a comment that ends a statement.
    assert.deepEqual(pgdrift(await labelsAt(document, 5)), []);
    assert.deepEqual(pgdrift(await labelsAt(document, 6)), []);
  });

  it('inserts the directive after --, with a space when none was typed', async function () {
    const document = await vscode.workspace.openTextDocument({ language: 'sql', content: '--pgd' });
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(0, 5));
    const phase = list.items.find((i) => labelOf(i) === 'pgdrift:phase');
    assert.ok(phase);
    assert.equal(phase.insertText, ' pgdrift:phase ');
    const range = phase.range instanceof vscode.Range ? phase.range : phase.range?.replacing;
    assert.ok(range?.isEqual(new vscode.Range(0, 2, 0, 5)), JSON.stringify(range));
    assert.ok(phase.documentation, 'the directive has documentation');
  });

  it('colours the directives with the injection grammar (screenshot)', async function () {
    const document = await vscode.workspace.openTextDocument({ language: 'sql', content: SAMPLE });
    await vscode.window.showTextDocument(document);
    await screenshot('directives-highlighting', { settleMs: 1500 });
  });
});
