import type { JournalEntry } from '../../src/core/run/types';

/** A journal entry for unit tests: a committed first phase of plan.sql on staging, overridable. */
export function journalEntry(over: Partial<JournalEntry> = {}): JournalEntry {
  return {
    time: '2026-12-07T01:00:00.000Z', profile: 'staging', environment: 'staging', file: 'plan.sql', sha256: 'sha256:aa',
    mode: 'run', outcome: 'succeeded', phases: [{ name: 'expand', outcome: 'committed', durationMs: 10 }], durationMs: 12, ...over,
  };
}
