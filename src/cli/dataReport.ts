/** What the reference-data sync left out, on stderr (each row whose parent row the target will not have), and where its deletes reach unmarked tables. */
import type { Comparison } from '../core/compare';
import { describeOrphan } from '../core/data';
import type { CliIo } from './io';

export function reportDataSync(comparison: Pick<Comparison, 'data' | 'to'>, io: CliIo): void {
  for (const w of comparison.data?.warnings ?? []) io.stderr(`warning: ${w}\n`);
  const orphans = comparison.data?.orphans ?? [];
  for (const o of orphans) io.stderr(`orphan: ${describeOrphan(o, comparison.to.inspection.model)}\n`);
  if (orphans.length) {
    io.stderr(`${orphans.length} reference-data row${orphans.length === 1 ? '' : 's'} left out: mark the referenced table with --data too, or add the missing rows to the target first\n`);
  }
}
