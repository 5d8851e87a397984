/**
 * The Phases panel in the real VS Code (issue 8 item 5). The ERP plan (test/fixtures/erp: the id
 * cast remedy chosen with a mapping, the legacy drops accepted), written by the packaged CLI, run
 * phase by phase from the panel's own "Run phase" buttons on a copy of the from-database: every
 * phase committed, kept tables' row counts unchanged, backups matching their manifest, object
 * counts equal to the to-database, and "0 differences remain" on the page. A slow migration shows
 * the panel during a run and stops with Stop. The harness cannot reload the window it runs in (the
 * suites run in that window's extension host), and VS Code does not reopen a closed webview, so
 * the restore after a reload is checked by disposing the page and making a new one through the
 * serializer's own handler (pgdrift.phases.revive), handed the state the old page kept with
 * setState, or nothing (then the workspace's last state): the same run shows.
 * Screenshots in the light and dark themes.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PhasesPanelState } from '../../../src/protocol/phases';
import fromSql from '../../fixtures/erp/from.sql';
import toSql from '../../fixtures/erp/to.sql';
import { erpPlan } from '../erpPlan';
import { EXTENSION_ID, screenshot, until } from '../harness';
import { click, clickAndWait, pageShows, snapshot, stateNow, useTheme } from '../phasesPanel';
import { admin, closeEditors, recreateDatabases, registerCleanUp, serverProfile, useProfiles, within, workspaceFolder } from '../workspace';

const FROM = 'phases-from';
const TO = 'phases-to';
const SLOW = 'phases-slow';
const DATABASES = { [FROM]: 'erp_phases_from', [TO]: 'erp_phases_to', [SLOW]: 'phases_slow' } as const;

const SLOW_SQL = `-- pgdrift:phase expand
CREATE TABLE gauge (id integer PRIMARY KEY, reading numeric);
INSERT INTO gauge SELECT g, g * 1.5 FROM generate_series(1, 40) g;
-- pgdrift:expect SELECT count(*) FROM gauge = 40
-- pgdrift:phase settle
CREATE TABLE gauge_log (id integer);
SELECT pg_sleep(30);
-- pgdrift:phase contract
ALTER TABLE gauge DROP COLUMN reading;
`;

const dir = () => join(workspaceFolder(), 'phases-panel');

describe('pgdrift in VS Code: the Phases panel', function () {
  this.timeout(600_000);
  let plan = '';

  before(async function () {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await recreateDatabases(Object.values(DATABASES), { force: true });
    await admin(DATABASES[FROM], (client) => client.query(fromSql));
    await admin(DATABASES[TO], (client) => client.query(toSql));
    await useProfiles([serverProfile(FROM, DATABASES[FROM]), serverProfile(TO, DATABASES[TO]), serverProfile(SLOW, DATABASES[SLOW])], 'the three profiles in the settings');
    rmSync(dir(), { recursive: true, force: true });
    mkdirSync(dir(), { recursive: true });
    rmSync(join(workspaceFolder(), '.pgdrift'), { recursive: true, force: true });
    await closeEditors();
  });

  registerCleanUp(Object.values(DATABASES));

  after(async function () {
    await useTheme('Default Dark Modern');
    rmSync(dir(), { recursive: true, force: true });
    rmSync(join(workspaceFolder(), '.pgdrift'), { recursive: true, force: true });
  });

  it('runs the ERP plan phase by phase: every phase committed, kept tables\' rows unchanged, backups matching, objects as in the to-database, 0 differences remain (screenshots)', async function () {
    plan = await erpPlan(FROM, TO, dir());
    const opened = await within(vscode.commands.executeCommand<PhasesPanelState>('pgdrift.openPhasesPanel', vscode.Uri.file(plan), { profile: FROM, to: TO, interactive: false }), 'opening the panel');
    const names = opened.phases.map((p) => p.name);
    assert.ok(names.length >= 3, `phases: ${names.join(', ')}`);
    assert.deepEqual(opened.phases.map((p) => p.status), names.map(() => 'pending'));
    assert.ok(opened.phases.every((p) => p.statements + p.expectations > 0), JSON.stringify(opened.phases.map((p) => [p.name, p.statements, p.expectations])));
    await pageShows(new RegExp(`Run all[\\s\\S]*${names[0]}`), 'the page listing the phases');

    for (const name of names) {
      const state = await clickAndWait('run-phase', name);
      const phase = state.phases.find((p) => p.name === name);
      assert.equal(state.outcome, 'succeeded', `${name}: ${JSON.stringify(state.failure ?? state.message)}`);
      assert.equal(phase?.status, 'committed', name);
      assert.ok(phase.durationMs !== undefined, `${name} has a duration`);
      const v = phase.validation;
      assert.ok(v, `${name} was validated`);
      assert.deepEqual(v.tables.filter((t) => t.decreased), [], `${name}: no kept table lost rows`);
      const kept = v.tables.filter((t) => t.before !== undefined && t.after !== undefined && !t.table.startsWith('pgdrift_backup.'));
      assert.ok(kept.length > 0, `${name}: kept tables counted`);
      assert.deepEqual(kept.filter((t) => t.before !== t.after).map((t) => `${t.table} ${t.before} → ${t.after}`), [], `${name}: kept tables' row counts unchanged`);
      assert.deepEqual(v.backups.filter((b) => b.actual !== b.manifest), [], `${name}: backups match their manifest`);
      assert.deepEqual(v.expectations.filter((e) => !e.ok), [], `${name}: expectations hold`);
    }

    const state = await stateNow();
    assert.deepEqual(state.phases.map((p) => p.status), names.map(() => 'committed'));
    const last = state.phases[state.phases.length - 1]?.validation;
    assert.ok(last?.rediff, 'the last phase re-diffs against the to-source');
    assert.equal(last.rediff.remaining, 0, last.rediff.lines.join('\n'));
    assert.ok(state.phases.some((p) => (p.validation?.backups.length ?? 0) > 0), 'the plan\'s backups were counted');
    const objects = last.objects;
    assert.deepEqual(objects.filter((o) => o.expected === undefined || o.actual !== o.expected), [], JSON.stringify(objects));
    const tables = objects.find((o) => o.kind === 'tables');
    const toTables = await admin(DATABASES[TO], async (c) => Number((await c.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'")).rows[0]?.n));
    assert.equal(tables?.actual, toTables, 'tables as many as in the to-database');

    // What the reader sees on the page.
    const text = await pageShows(/0 differences remain/, '"0 differences remain" on the page');
    assert.match(text, new RegExp(`tables\\s+${toTables} / ${toTables}`));
    assert.match(text, /Run succeeded/);
    assert.doesNotMatch(text, /rows lost|✗/);
    assert.match(text, /Run remaining|Run all/, 'the header buttons');
    assert.deepEqual((await snapshot()).problems, [], 'the page reported no refused resource or script error');

    await useTheme('Default Dark Modern');
    await screenshot('phases-panel-erp-dark', { settleMs: 2000 });
    await useTheme('Default Light Modern');
    await screenshot('phases-panel-erp-light', { settleMs: 2000 });
  });

  it('shows a run as it goes (screenshots), and Stop cancels the running phase: it rolls back, the phase before stays committed', async function () {
    const path = join(dir(), 'slow.sql');
    writeFileSync(path, SLOW_SQL);
    const opened = await vscode.commands.executeCommand<PhasesPanelState>('pgdrift.openPhasesPanel', vscode.Uri.file(path), { profile: SLOW, to: 'none', interactive: false });
    assert.deepEqual(opened.phases.map((p) => [p.name, p.statements, p.expectations]), [['expand', 2, 1], ['settle', 2, 0], ['contract', 1, 0]]);
    await pageShows(/settle/, 'the slow migration on the page');
    await click('run-remaining');
    const running = await until(async () => {
      const state = await stateNow();
      return state.phases[1]?.status === 'running' && state.phases[1].current?.startsWith('SELECT pg_sleep') ? state : undefined;
    }, 'the second phase sleeping', 30_000);
    assert.equal(running.phases[0]?.status, 'committed');
    const text = await pageShows(/pg_sleep/, 'the running statement on the page');
    assert.match(text, /1 \/ 2/, 'the running phase\'s progress');
    await screenshot('phases-panel-running-light', { settleMs: 800 });
    await useTheme('Default Dark Modern');
    await screenshot('phases-panel-running-dark', { settleMs: 1500 });

    const before = (await stateNow()).endedAt;
    const started = Date.now();
    await click('stop');
    const stopped = await until(async () => {
      const state = await stateNow();
      return !state.running && state.endedAt !== before ? state : undefined;
    }, 'the run to stop', 10_000);
    assert.ok(Date.now() - started < 5_000, `stopped in ${Date.now() - started} ms`);
    assert.equal(stopped.outcome, 'cancelled', JSON.stringify(stopped.failure ?? stopped.message));
    assert.equal(stopped.phases[0]?.status, 'committed');
    assert.ok(['cancelled', 'rolled back'].includes(stopped.phases[1]?.status ?? ''), `settle: ${stopped.phases[1]?.status}`);
    assert.ok(['pending', 'skipped'].includes(stopped.phases[2]?.status ?? ''), `contract: ${stopped.phases[2]?.status}`);
    assert.equal(stopped.failure?.phase, 'settle');
    const exists = (table: string) => admin(DATABASES[SLOW], async (c) => (await c.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table])).rows[0]?.t != null);
    assert.equal(await exists('gauge'), true, 'expand committed');
    assert.equal(await exists('gauge_log'), false, 'settle rolled back');
    await pageShows(/Phase "settle" cancelled/, 'the cancellation on the page');
    await screenshot('phases-panel-stopped-dark', { settleMs: 1000 });
  });

  it('comes back with its state when made again through its serializer, from the page\'s saved state or the workspace\'s, and opens on the last run without a file', async function () {
    const before = await stateNow();
    const textBefore = (await snapshot()).text ?? '';
    assert.match(textBefore, /cancelled/);

    // As after a window reload: a new page, the state in memory forgotten, the serializer handed what the old page kept.
    const revived = await vscode.commands.executeCommand<PhasesPanelState | undefined>('pgdrift.phases.revive', true);
    assert.equal(revived?.uri, before.uri);
    const restored = await pageShows(/Phase "settle" cancelled/, 'the panel made again from its page\'s state');
    const after = await stateNow();
    assert.deepEqual(after.phases.map((p) => [p.name, p.status, p.committed]), before.phases.map((p) => [p.name, p.status, p.committed]));
    assert.equal(after.outcome, 'cancelled');
    for (const line of ['expand', 'settle', 'contract', 'Run remaining (2)']) assert.ok(restored.includes(line), `${line} in\n${restored}`);

    // A page that kept nothing: the workspace's last state serves.
    const fromWorkspace = await vscode.commands.executeCommand<PhasesPanelState | undefined>('pgdrift.phases.revive', false);
    assert.equal(fromWorkspace?.uri, before.uri);
    assert.deepEqual(fromWorkspace.phases.map((p) => [p.name, p.status]), before.phases.map((p) => [p.name, p.status]));
    await pageShows(/Phase "settle" cancelled/, 'the panel made again from the workspace\'s state');

    // Closed, then opened from the palette with no SQL editor: the last run's migration.
    await closeEditors();
    await until(async () => ((await snapshot()).visible ? undefined : true), 'the panel closed');
    // As a user would, not in the same instant (a page made while the old frame is torn down loses its messages in VS Code for the Web).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const reopened = await vscode.commands.executeCommand<PhasesPanelState>('pgdrift.openPhasesPanel');
    assert.equal(reopened.uri, before.uri);
    assert.equal(reopened.phases[0]?.status, 'committed');
    await pageShows(/Phase "settle" cancelled/, 'the panel opened on the last run');
    assert.deepEqual((await snapshot()).problems, [], 'the page reported no refused resource or script error');
    await screenshot('phases-panel-restored-dark', { settleMs: 1000 });
    await closeEditors();
  });
});
