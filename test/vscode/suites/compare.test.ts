/**
 * Compare Databases in the real VS Code: two databases on the suites' server, one profile each,
 * the command's two QuickPicks answered by typing as a user would; the Schema Differences view shows
 * the comparison with the dropped column's data loss measured on the from-database, and the plan
 * opens in an untitled SQL editor. A profile without its password fails with a message that says so.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, screenshot, until } from '../harness';
import { admin, closeEditors, compare, recreateDatabases, registerCleanUp, serverProfile, useProfiles } from '../workspace';


const FROM = 'from_db';
const TO = 'to_db';
/** A scram role (every role but postgres needs a password on 127.0.0.1) whose password is never stored. */
const ROLE = 'pgdrift_compare';
const NO_SECRET = 'compare without password';





describe('pgdrift in VS Code: Compare Databases', function () {
  this.timeout(120_000);

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await recreateDatabases([FROM, TO]);
    await admin('postgres', async (client) => {
      await client.query(`DROP ROLE IF EXISTS ${ROLE}`);
      await client.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD 'never stored'`);
    });
    // from_db: the database to change, with rows; three of its five legacy codes are set.
    await admin(FROM, (client) => client.query(`
      CREATE TABLE customer (id integer PRIMARY KEY, name text NOT NULL, legacy_code text);
      INSERT INTO customer VALUES (1, 'Ada', 'A-17'), (2, 'Brian', NULL), (3, 'Chen', 'C-03'), (4, 'Dana', NULL), (5, 'Emil', 'E-99');
    `));
    // to_db: the desired state: legacy_code dropped, loyalty_points added (another type, so it is
    // not proposed as a rename).
    await admin(TO, (client) => client.query(`
      CREATE TABLE customer (id integer PRIMARY KEY, name text NOT NULL, loyalty_points integer NOT NULL DEFAULT 0);
    `));
    await useProfiles([
      serverProfile(FROM),
      serverProfile(TO),
      { ...serverProfile(NO_SECRET, FROM), user: ROLE },
    ]);
    await closeEditors();
  });

  registerCleanUp([FROM, TO]);

  after(async function () {
    await admin('postgres', async (client) => {
      await client.query(`DROP ROLE IF EXISTS ${ROLE}`);
    });
  });

  it('compares two profiles: the tree names the dropped column\'s data loss, the plan opens in an SQL editor', async function () {
    const outcome = await compare(FROM, TO);
    assert.equal(outcome?.status, 'compared', JSON.stringify(outcome));
    if (outcome?.status !== 'compared') return;
    assert.equal(outcome.differences, true);
    // The hazard is measured on from_db: three non-null values would be lost.
    assert.match(outcome.tree, /DL-02[^\n]*legacy_code[^\n]*deletes 3 non-null values/, outcome.tree);
    assert.match(outcome.tree, /loyalty_points/, outcome.tree);
    assert.match(outcome.script, /ALTER TABLE "?public"?\."?customer"?/);

    const editor = await until(() => {
      const active = vscode.window.activeTextEditor;
      return active?.document.languageId === 'sql' && active.document.isUntitled ? active : undefined;
    }, 'the plan in an untitled SQL editor');
    const text = editor.document.getText();
    assert.equal(text, outcome.script, 'the editor holds the plan');
    assert.match(text, /ALTER TABLE[^\n]*customer[^\n]*DROP COLUMN[^\n]*legacy_code/);
    assert.match(text, /ALTER TABLE[^\n]*customer[^\n]*ADD COLUMN[^\n]*loyalty_points/);

    await vscode.commands.executeCommand('workbench.view.extension.pgdrift');
    await vscode.commands.executeCommand('notifications.clearAll');
    await screenshot('compare-schema-differences', { settleMs: 1200 });
  });

  it('a profile whose password is missing fails with a message that says so', async function () {
    const outcome = await compare(NO_SECRET, TO);
    assert.equal(outcome?.status, 'failed', JSON.stringify(outcome));
    if (outcome?.status === 'failed') {
      assert.match(outcome.message, new RegExp(`no password stored for profile "${NO_SECRET}"`));
      assert.match(outcome.message, /Edit profile/i);
      // Said in the extension's terms (the profile), not the CLI's (--from), with the fix offered.
      assert.doesNotMatch(outcome.message, /--from|--to/);
      assert.equal(outcome.fix, 'edit-profile');
      assert.equal(outcome.profile, NO_SECRET);
    }
    await screenshot('compare-missing-password', { settleMs: 800 });
  });
});
