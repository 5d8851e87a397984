/**
 * The run journal: one JSON line per run or rehearsal in `<dir>/journal.jsonl`. Each line is
 * written by a single append, so two runs finishing at once interleave whole lines, and a reader
 * skips a line cut short by a crash instead of failing. The entry type has no field for a
 * password or a connection URL: the target is named by its profile or host:port/database.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JournalEntry } from './types';

export const JOURNAL_FILE = 'journal.jsonl';

export function journalPath(dir: string): string {
  return join(dir, JOURNAL_FILE);
}

export async function appendJournal(dir: string, entry: JournalEntry): Promise<void> {
  await mkdir(dir, { recursive: true });
  await appendFile(journalPath(dir), `${JSON.stringify(entry)}\n`, 'utf8');
}

export interface JournalRead {
  entries: JournalEntry[];
  /** Lines that are not a journal entry (cut short, edited by hand). */
  skipped: number;
}

/** The entries in the order they were written; no file is an empty journal. */
export async function readJournal(dir: string): Promise<JournalRead> {
  let text: string;
  try {
    text = await readFile(journalPath(dir), 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return { entries: [], skipped: 0 };
    throw error;
  }
  const entries: JournalEntry[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (isEntry(value)) entries.push(value);
      else skipped += 1;
    } catch {
      skipped += 1;
    }
  }
  return { entries, skipped };
}

function isEntry(value: unknown): value is JournalEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<JournalEntry>;
  return typeof v.time === 'string' && typeof v.profile === 'string' && typeof v.sha256 === 'string'
    && (v.mode === 'run' || v.mode === 'rehearse') && typeof v.outcome === 'string' && Array.isArray(v.phases);
}

/** Phase names a run committed, across the journal's runs of this migration on this target, up to `upTo` (inclusive). */
export function committedPhases(entries: readonly JournalEntry[], profile: string, sha256: string, upTo: JournalEntry): string[] {
  const done = new Set<string>();
  for (const e of entries) {
    if (e.mode === 'run' && e.profile === profile && e.sha256 === sha256) {
      for (const p of e.phases) if (p.outcome === 'committed') done.add(p.name);
    }
    if (e === upTo) break;
  }
  return [...done];
}
