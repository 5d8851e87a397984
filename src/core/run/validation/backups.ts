/**
 * The backups a plan saved (hazards/remedies.ts): every row of pgdrift_backup.manifest with the
 * rows its table holds now. The manifest records the count taken when the copy was made, so a
 * difference means the copy was changed or dropped since. No manifest means no backups.
 */
import type { Queryable } from '../../db/queryable';
import { quoteIdent } from '../../model/ids';
import type { BackupCount } from '../types';
import { exactCounts } from './exactCounts';

interface ManifestRow {
  backup: string;
  source: string;
  rows: string;
  schema: string | null;
  name: string | null;
}

export interface BackupReport {
  backups: BackupCount[];
  notes: string[];
}

export async function countBackups(q: Queryable): Promise<BackupReport> {
  const present = (await q.query<{ present: boolean }>(
    "SELECT pg_catalog.to_regclass('pgdrift_backup.manifest') IS NOT NULL AS present",
  )).rows[0]?.present;
  if (!present) return { backups: [], notes: [] };
  // The manifest names each backup as the plan wrote it (pgdrift_backup."public.gone@1a2b3c4d");
  // to_regclass gives NULL for a table that is gone (and raises on a malformed name, which the
  // caller turns into a note).
  const rows = (await q.query<ManifestRow>(`
    SELECT m.backup, m.source, m.rows::text AS rows, n.nspname AS schema, c.relname AS name
    FROM pgdrift_backup.manifest m
    LEFT JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(m.backup)
    LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    ORDER BY m.backup`)).rows;
  const existing = rows.filter((r) => r.schema !== null && r.name !== null);
  const counted = await exactCounts(q, existing.map((r) => `${quoteIdent(r.schema ?? '')}.${quoteIdent(r.name ?? '')}`));
  const actual = new Map(existing.map((r, i) => [r.backup, counted[i] ?? 0]));
  const notes = rows.filter((r) => !actual.has(r.backup)).map((r) => `backup ${r.backup} is in the manifest but its table is gone`);
  return {
    backups: rows.map((r) => ({ backup: r.backup, source: r.source, manifest: Number(r.rows), actual: actual.get(r.backup) ?? 0 })),
    notes,
  };
}
