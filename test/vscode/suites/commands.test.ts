/**
 * The extension as installed from the .vsix: it is the packaged copy, every command the manifest
 * declares is registered and every registered pgdrift command is declared, and activating it
 * connected to no database.
 */
import { strict as assert } from 'node:assert';
import { realpathSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { Client } from 'pg';
import * as vscode from 'vscode';
import { EXTENSION_ID, extensionsDir, postgresUrl, screenshot } from '../harness';

interface Manifest {
  contributes?: { commands?: { command: string }[]; views?: Record<string, { id: string }[]> };
}

/** Commands VS Code itself registers for every contributed view, named after the view's id. */
const VIEW_COMMANDS = ['focus', 'open', 'removeView', 'resetViewLocation', 'toggleVisibility'];

function generatedByVsCode(manifest: Manifest): Set<string> {
  const views = Object.values(manifest.contributes?.views ?? {}).flat();
  return new Set(views.flatMap((v) => VIEW_COMMANDS.map((c) => `${v.id}.${c}`)));
}

function pgdrift(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension;
}

const inside = (child: string, parent: string): boolean => {
  const rel = relative(realpathSync(parent), realpathSync(child));
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..';
};

describe('pgdrift in VS Code: the installed extension', function () {
  before(async function () {
    await pgdrift().activate();
  });

  it('is the packaged .vsix installed in the extensions folder, not the source checkout', function () {
    const dir = extensionsDir();
    if (!dir) {
      // Desktop VS Code (npm run test:desktop) loads the extension from the checkout: nothing to check.
      this.test!.title += ' (SKIPPED: the driver named no extensions folder, as in desktop VS Code)';
      this.skip();
    }
    const { extensionPath, packageJSON } = pgdrift();
    assert.ok(inside(extensionPath, dir), `${extensionPath} is not under ${dir}`);
    // The allow-list .vscodeignore keeps sources out of the package.
    assert.equal(vscode.Uri.file(extensionPath).scheme, 'file');
    assert.equal((packageJSON as { name: string }).name, 'pgdrift');
  });

  it('registers every command package.json declares', async function () {
    const declared = ((pgdrift().packageJSON as Manifest).contributes?.commands ?? []).map((c) => c.command);
    assert.ok(declared.length > 0, 'package.json declares no command');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter((id) => !registered.has(id)), [], 'declared but not registered');
  });

  it('declares every pgdrift command it registers', async function () {
    const manifest = pgdrift().packageJSON as Manifest;
    const declared = new Set((manifest.contributes?.commands ?? []).map((c) => c.command));
    const generated = generatedByVsCode(manifest);
    const registered = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('pgdrift.') && !generated.has(id));
    assert.deepEqual(registered.filter((id) => !declared.has(id)).sort(), [], 'registered but not declared in package.json');
  });

  it('opened no database connection on activation', async function () {
    const client = new Client({ connectionString: postgresUrl(), application_name: 'pgdrift-integration-suite' });
    await client.connect();
    try {
      const { rows } = await client.query<{ application_name: string; datname: string | null }>(
        "SELECT application_name, datname FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
      );
      assert.deepEqual(rows, [], 'connections other than this suite\'s');
    } finally {
      await client.end();
    }
  });

  it('shows the workbench (screenshot)', async function () {
    // A notification from pgdrift, so the picture shows the extension at work (not awaited: the
    // message's promise settles only when it is dismissed).
    if ((await vscode.commands.getCommands(true)).includes('pgdrift.showVersion')) void vscode.commands.executeCommand('pgdrift.showVersion');
    const path = await screenshot('workbench', { settleMs: 1500 });
    if (!path) {
      this.test!.title += ' (SKIPPED: no driver takes screenshots here, as in desktop VS Code)';
      this.skip();
    }
  });
});
