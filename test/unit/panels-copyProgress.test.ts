import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMigration } from '../../src/core/run/load';
import type { Migration, RunStatement } from '../../src/core/run/types';
import { applyEvent, stateOf } from '../../src/extension/panels/phasesModel';

/** A plan's data phase as `plan --to sqlite:` writes it: each COPY after the line naming its SQLite table. */
const SQL = `-- pgdrift:phase migrate-data
-- pgdrift:copy-from sqlite:"data/app.db" table "readings" zone Africa/Johannesburg
COPY "public"."readings" ("id", "machine_code", "value", "read_at") FROM STDIN;
-- pgdrift:copy-from sqlite:"data/app.db" table "Order Lines" zone UTC
COPY "Sales"."Order Lines" ("id") FROM STDIN;
SELECT setval(pg_get_serial_sequence('"public"."readings"', 'id'), 250000);
`;

describe('phases panel: a COPY fed from a SQLite file', () => {
  let dir: string;
  let migration: Migration;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgdrift-panel-copy-'));
    writeFileSync(join(dir, 'm.sql'), SQL);
    migration = await loadMigration(join(dir, 'm.sql'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const statement = (i: number): RunStatement => {
    const step = migration.phases[0]?.steps[i];
    assert.ok(step?.kind === 'statement');
    return step;
  };

  it('names the table and the file while it runs, then the rows read, instead of the column list and STDIN', () => {
    let state = stateOf('file:///m.sql', 'm.sql', migration);
    state = applyEvent(state, { type: 'phase-start', phase: 'migrate-data', index: 0, transactional: true });
    state = applyEvent(state, { type: 'step-start', phase: 'migrate-data', step: statement(0) });
    assert.equal(state.phases[0]?.current, 'COPY public.readings from app.db');
    state = applyEvent(state, { type: 'copy-progress', phase: 'migrate-data', statement: statement(0), rows: 100_512 });
    assert.equal(state.phases[0]?.current, 'COPY public.readings from app.db: 100,512 rows read');
    // Names that need their quotes keep them.
    state = applyEvent(state, { type: 'step-start', phase: 'migrate-data', step: statement(1) });
    assert.equal(state.phases[0]?.current, 'COPY "Sales"."Order Lines" from app.db');
    // Other statements show their first line, as before.
    state = applyEvent(state, { type: 'step-start', phase: 'migrate-data', step: statement(2) });
    assert.equal(state.phases[0]?.current, 'SELECT setval(pg_get_serial_sequence(\'"public"."readings"\', \'id\'), 250000)');
  });
});
