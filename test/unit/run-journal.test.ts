import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendJournal, committedPhases, journalPath, readJournal } from '../../src/core/run/journal';
import { journalEntry } from '../support/journalEntry';

const entry = journalEntry;

describe('run journal', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'pgdrift-journal-')), 'nested', '.pgdrift');
  });
  afterEach(() => rmSync(join(dir, '..', '..'), { recursive: true, force: true }));

  it('no journal yet reads as empty', async () => {
    assert.deepEqual(await readJournal(dir), { entries: [], skipped: 0 });
  });

  it('creates the folder, appends one JSON line per entry, reads them back in order', async () => {
    await appendJournal(dir, entry());
    await appendJournal(dir, entry({ mode: 'rehearse', outcome: 'failed' }));
    const text = readFileSync(journalPath(dir), 'utf8');
    assert.equal(text.split('\n').length, 3);
    assert.ok(text.endsWith('\n'));
    const read = await readJournal(dir);
    assert.deepEqual(read.entries.map((e) => e.mode), ['run', 'rehearse']);
    assert.equal(read.skipped, 0);
  });

  it('skips lines cut short or not entries, and counts them', async () => {
    await appendJournal(dir, entry());
    appendFileSync(journalPath(dir), '{"time":"2026-12-07T01:00:00.000Z","prof\n[1,2]\n\n');
    await appendJournal(dir, entry({ profile: 'prod' }));
    const read = await readJournal(dir);
    assert.deepEqual(read.entries.map((e) => e.profile), ['staging', 'prod']);
    assert.equal(read.skipped, 2);
  });

  it('committed phases of one migration on one target, up to an entry', () => {
    const a = entry();
    const other = entry({ profile: 'other', phases: [{ name: 'contract', outcome: 'committed', durationMs: 1 }] });
    const rehearsal = entry({ mode: 'rehearse', phases: [{ name: 'contract', outcome: 'rehearsed', durationMs: 1 }] });
    const b = entry({ phases: [{ name: 'migrate', outcome: 'committed', durationMs: 1 }, { name: 'contract', outcome: 'failed', durationMs: 1 }] });
    const later = entry({ phases: [{ name: 'contract', outcome: 'committed', durationMs: 1 }] });
    const all = [a, other, rehearsal, b, later];
    assert.deepEqual(committedPhases(all, 'staging', 'sha256:aa', b), ['expand', 'migrate']);
    assert.deepEqual(committedPhases(all, 'staging', 'sha256:bb', later), []);
  });
});
