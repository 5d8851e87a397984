/**
 * The workspace's mapping file in the editor: with `pgdrift.mapping.json` declaring a column
 * rename, Compare shows the rename (its own icon, "renamed from …", no data loss) instead of a
 * drop and an add, and Generate Migration writes what `pgdrift plan --mapping pgdrift.mapping.json`
 * prints; `pgdrift.mappingFile` naming a file that is not there fails the comparison saying so.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../harness';
import {
  admin, closeEditors, compare, differencesSnapshot, findNode, packagedCli, recreateDatabases, registerCleanUp, serverProfile,
  useProfiles, workspaceFolder,
} from '../workspace';

const FROM = 'mp_from';
const TO = 'mp_to';

describe('pgdrift in VS Code: the mapping file', function () {
  this.timeout(120_000);
  const mappingFile = () => join(workspaceFolder(), 'pgdrift.mapping.json');
  const settings = () => vscode.workspace.getConfiguration('pgdrift');

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await recreateDatabases([FROM, TO]);
    await admin(FROM, (client) => client.query(`
      CREATE TABLE customer (id integer PRIMARY KEY, legacy_name text);
      INSERT INTO customer VALUES (1, 'Ada'), (2, 'Brian');
    `));
    await admin(TO, (client) => client.query('CREATE TABLE customer (id integer PRIMARY KEY, full_name text);'));
    await useProfiles([serverProfile(FROM), serverProfile(TO)]);
    await closeEditors();
  });

  registerCleanUp([FROM, TO], { migrations: true });

  after(async function () {
    rmSync(mappingFile(), { force: true });
    await settings().update('mappingFile', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('without a mapping file, the rename reads as a drop that loses 2 values and an add', async function () {
    const outcome = await compare(FROM, TO);
    assert.equal(outcome?.status, 'compared', JSON.stringify(outcome));
    await closeEditors();
    const tree = await differencesSnapshot();
    assert.equal(findNode(tree, 'column legacy_name')?.icon, 'remove');
    assert.match(findNode(tree, 'column legacy_name')?.description ?? '', /2 non-null values would be lost/);
    assert.equal(findNode(tree, 'column full_name')?.icon, 'add');
  });

  it('with pgdrift.mapping.json, the column is renamed (its own icon, nothing lost) and Generate Migration writes what plan --mapping prints', async function () {
    writeFileSync(mappingFile(), `${JSON.stringify({ columns: { 'public.customer': { legacy_name: 'full_name' } } }, null, 2)}\n`);
    const outcome = await compare(FROM, TO);
    assert.equal(outcome?.status, 'compared', JSON.stringify(outcome));
    await closeEditors();
    const tree = await differencesSnapshot();
    const renamed = findNode(tree, 'column full_name');
    assert.equal(renamed?.icon, 'diff-renamed', JSON.stringify(tree));
    assert.match(renamed?.description ?? '', /renamed from legacy_name/);
    assert.equal(findNode(tree, 'column legacy_name'), undefined, 'no drop of the old name');

    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('pgdrift.generateMigration');
    assert.ok(uri, 'a file was written');
    const text = readFileSync(uri.fsPath, 'utf8');
    assert.match(text, /ALTER TABLE "public"\."customer" RENAME COLUMN "legacy_name" TO "full_name"/, text);
    assert.doesNotMatch(text, /DROP COLUMN/);
    const cli = await packagedCli(workspaceFolder(), 'plan', '--from', `profile:${FROM}`, '--to', `profile:${TO}`, '--mapping', 'pgdrift.mapping.json');
    assert.equal(text, cli.stdout, `the file is what pgdrift plan --mapping prints (exit ${cli.code}: ${cli.stderr})`);
    await closeEditors();
  });

  it('a mapping file named in the settings that is not there fails the comparison, naming it', async function () {
    await settings().update('mappingFile', 'mappings/missing.json', vscode.ConfigurationTarget.Workspace);
    const outcome = await compare(FROM, TO);
    assert.equal(outcome?.status, 'failed', JSON.stringify(outcome));
    assert.match(outcome?.status === 'failed' ? outcome.message : '', /missing\.json: cannot read the mapping file/);
    await settings().update('mappingFile', undefined, vscode.ConfigurationTarget.Workspace);
  });
});
