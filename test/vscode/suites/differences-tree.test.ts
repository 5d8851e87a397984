/**
 * The Schema Differences view in the real VS Code, built from the comparison's plan: a summary
 * node with the counts `pgdrift diff` prints (the packaged CLI is run on the same two databases)
 * and the hazard counts, kinds, objects, members under their table with the essence of each change
 * ("3 non-null values would be lost", "all NULL: nothing lost"), hazard children; the hazard
 * filter; Refresh, Swap and "Compare again" (the last pair, remembered per workspace).
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, enter, keys, postgresUrl, screenshot } from '../harness';
import {
  admin, closeEditors, differencesSnapshot, findNode, packagedCli, recreateDatabases, registerCleanUp, serverProfile, useProfiles, within,
  type SnapshotNode,
} from '../workspace';
type Outcome = { status: string; tree?: string; message?: string } | undefined;

const FROM = 'tree_from';
const TO = 'tree_to';


/** The counts after "from ← to: ". */
const countsOf = (line: string) => line.slice(line.indexOf(': ') + 2);

describe('pgdrift in VS Code: the Schema Differences tree', function () {
  this.timeout(180_000);

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await recreateDatabases([FROM, TO]);
    // tree_from: legacy_code holds 3 values, notes only NULLs, audit_log 2 rows (all dropped).
    await admin(FROM, (client) => client.query(`
      CREATE TABLE customer (id integer PRIMARY KEY, name text NOT NULL, legacy_code text, notes text);
      INSERT INTO customer VALUES (1, 'Ada', 'A-17', NULL), (2, 'Brian', NULL, NULL), (3, 'Chen', 'C-03', NULL), (4, 'Dana', NULL, NULL), (5, 'Emil', 'E-99', NULL);
      CREATE TABLE audit_log (id integer PRIMARY KEY, entry text);
      INSERT INTO audit_log VALUES (1, 'created'), (2, 'updated');
    `));
    await admin(TO, (client) => client.query(`
      CREATE TABLE customer (id integer PRIMARY KEY, name text NOT NULL, loyalty_points integer NOT NULL DEFAULT 0);
      CREATE INDEX customer_name_idx ON customer (name);
      CREATE TABLE invoice (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customer (id), total numeric(12, 2));
    `));
    await useProfiles([serverProfile(FROM), serverProfile(TO)]);
    await closeEditors();
  });

  registerCleanUp([FROM, TO]);

  afterEach(async function () {
    await vscode.commands.executeCommand('pgdrift.differences.showAllChanges');
  });

  it('shows the summary with the CLI\'s counts, kinds, members under their table, essences and hazards', async function () {
    const running = vscode.commands.executeCommand<Outcome>('pgdrift.compare');
    await keys({ waitMs: 800 }, ...enter(FROM), { waitMs: 400 }, ...enter(TO));
    const outcome = await within(running, 'Compare Databases');
    assert.equal(outcome?.status, 'compared', JSON.stringify(outcome));

    const roots = await differencesSnapshot();
    const summary = roots[0]?.label ?? '';
    assert.ok(summary.startsWith(`${FROM} ← ${TO}: `), summary);

    // The packaged CLI on the same two databases prints the same counts on its first line.
    const cli = await packagedCli(process.cwd(), 'diff', '--from', postgresUrl(undefined, FROM), '--to', postgresUrl(undefined, TO));
    const cliFirst = cli.stdout.split('\n')[0] ?? '';
    assert.ok(cliFirst.includes(' ← '), `CLI output: ${cli.stdout}\n${cli.stderr}`);
    assert.ok(countsOf(summary).startsWith(countsOf(cliFirst)), `${summary}\nvs CLI: ${cliFirst}`);
    assert.equal(countsOf(outcome?.tree?.split('\n')[0] ?? ''), countsOf(cliFirst));
    assert.match(summary, /, \d+ data-loss warnings?/, summary);

    const tables = roots.find((n) => /^tables \(\d+\)$/.test(n.label));
    assert.ok(tables, JSON.stringify(roots.map((n) => n.label)));
    assert.equal(tables.label, `tables (${tables.children.length})`);
    const customer = findNode(tables.children, 'public.customer');
    assert.ok(customer, JSON.stringify(tables.children.map((n) => n.label)));
    assert.equal(customer.icon, 'edit');
    const legacy = findNode(customer.children, 'column legacy_code');
    assert.equal(legacy?.icon, 'remove');
    assert.match(legacy?.description ?? '', /3 non-null values would be lost/);
    assert.ok(legacy?.children.some((h) => /^DL-02 /.test(h.label) && /3 non-null values/.test(h.label) && (h.icon === 'warning' || h.icon === 'error')), JSON.stringify(legacy));
    assert.match(findNode(customer.children, 'column notes')?.description ?? '', /all NULL: nothing lost/);
    assert.equal(findNode(customer.children, 'column loyalty_points')?.icon, 'add');
    assert.equal(findNode(customer.children, 'index customer_name_idx')?.icon, 'add');
    assert.equal(findNode(tables.children, 'public.invoice')?.icon, 'add');
    const audit = findNode(tables.children, 'public.audit_log');
    assert.equal(audit?.icon, 'remove');
    assert.match(audit?.description ?? '', /2 rows would be lost/);

    await vscode.commands.executeCommand('workbench.view.extension.pgdrift');
    await vscode.commands.executeCommand('pgdrift.differences.focus');
    await vscode.commands.executeCommand('notifications.clearAll');
    await screenshot('differences-tree-all', { settleMs: 1500 });
  });

  it('the hazard filter keeps only the changes with hazards, and shows in the view title', async function () {
    await vscode.commands.executeCommand('pgdrift.differences.showHazardsOnly');
    const roots = await differencesSnapshot();
    const tables = roots.find((n) => n.label.startsWith('tables ('));
    assert.ok(tables);
    const labels = tables.children.map((n) => n.label);
    assert.ok(labels.includes('public.audit_log') && labels.includes('public.customer'), JSON.stringify(labels));
    const customer = findNode(tables.children, 'public.customer');
    assert.ok(findNode(customer?.children ?? [], 'column legacy_code'));
    // Every object left has a hazard of its own or in a member; the others are gone.
    const hazardous = (n: SnapshotNode): boolean => n.children.some((c) => /^[A-Z]{2}-\d\d /.test(c.label) || hazardous(c));
    const objects = (list: readonly SnapshotNode[]): SnapshotNode[] => list.flatMap((n) => (/^[A-Z]{2}-\d\d /.test(n.label) ? [] : [n, ...objects(n.children)]));
    assert.deepEqual(objects(tables.children).filter((n) => !hazardous(n)).map((n) => n.label), []);
    await vscode.commands.executeCommand('pgdrift.differences.focus');
    await screenshot('differences-tree-hazards-only', { settleMs: 1500 });
    await vscode.commands.executeCommand('pgdrift.differences.showAllChanges');
    const all = objects((await differencesSnapshot()).find((n) => n.label.startsWith('tables ('))?.children ?? []);
    assert.ok(all.some((n) => !hazardous(n)), 'without the filter, changes without hazards are back');
    assert.ok(all.length > objects(tables.children).length);
  });

  it('Swap compares to ← from, Refresh the same sides again, and Compare again offers the last pair', async function () {
    const swapped = await within(vscode.commands.executeCommand<Outcome>('pgdrift.differences.swap'), 'Swap');
    assert.equal(swapped?.status, 'compared', JSON.stringify(swapped));
    assert.ok((await differencesSnapshot())[0]?.label.startsWith(`${TO} ← ${FROM}: `));
    // Swapped, audit_log is created and invoice dropped.
    assert.equal(findNode(await differencesSnapshot(), 'public.audit_log')?.icon, 'add');
    await closeEditors();

    const refreshed = await within(vscode.commands.executeCommand<Outcome>('pgdrift.differences.refresh'), 'Refresh');
    assert.equal(refreshed?.status, 'compared');
    assert.ok((await differencesSnapshot())[0]?.label.startsWith(`${TO} ← ${FROM}: `));
    await closeEditors();

    const running = vscode.commands.executeCommand<Outcome>('pgdrift.compare');
    await keys({ waitMs: 800 }, ...enter('Compare again'));
    const again = await within(running, 'Compare again');
    assert.equal(again?.status, 'compared', JSON.stringify(again));
    assert.ok((await differencesSnapshot())[0]?.label.startsWith(`${TO} ← ${FROM}: `));
    await closeEditors();
  });
});
