/**
 * Before a run writes anything: the SQLite tables its COPY statements read are probed, every value
 * converted as the copy will convert it, and a run whose copy would stop on a value PostgreSQL's
 * column refuses (text in an integer column, 2 in a boolean one) is refused with those values
 * listed by table, column and row id. A COPY fails whole on its first bad row, so finding them
 * up front spares a phase rolled back after minutes of copying; the fix is in the SQLite data (or
 * its declared type), which pgdrift only reads. A rehearsal is refused alike: it would fail the
 * same way. A file whose bytes are those the plan read and found clean (`checked` on the
 * copy-from line) is not read twice.
 */
import { PgdriftError, isPgdriftError, messageOf } from '../errors';
import { fileSha256, findMisfits, openSqlite, readSqliteSchema, translateSqlite } from '../sqlite';
import { RunRefused, type Phase } from './types';

const LISTED = 20;

export async function copyGuard(phases: readonly Phase[]): Promise<void> {
  const { total, lines } = await copyMisfits(phases);
  if (total === 0) return;
  const shown = lines.slice(0, LISTED);
  if (lines.length > LISTED) shown.push(`… and ${lines.length - LISTED} more`);
  throw new RunRefused('misfits', `${total} SQLite value${total === 1 ? '' : 's'} would not fit ${total === 1 ? 'its' : 'their'} PostgreSQL column${total === 1 ? '' : 's'}, so the COPY would fail; fix ${total === 1 ? 'it' : 'them'} in the SQLite file (pgdrift only reads it), then run again`, shown);
}

/** The values of the copied SQLite tables that would not fit, one line each ("PATH: table.column row N: why"); what `pgdrift check` reports too. */
export async function copyMisfits(phases: readonly Phase[]): Promise<{ total: number; lines: string[] }> {
  const wanted = new Map<string, { path: string; zone: string; tables: Set<string>; checked: Set<string | undefined> }>();
  for (const phase of phases) {
    for (const step of phase.steps) {
      if (step.kind !== 'statement' || !step.copy) continue;
      const key = `${step.copy.path}\0${step.copy.zone}`;
      const entry = wanted.get(key) ?? { path: step.copy.path, zone: step.copy.zone, tables: new Set<string>(), checked: new Set<string | undefined>() };
      entry.tables.add(step.copy.table);
      entry.checked.add(step.copy.checked);
      wanted.set(key, entry);
    }
  }
  const lines: string[] = [];
  let total = 0;
  for (const { path, zone, tables, checked } of wanted.values()) {
    // Every table was found clean when planned, and the file is byte for byte the one planned.
    const [planned] = checked;
    if (checked.size === 1 && planned !== undefined && await fileSha256(path).then((h) => h === planned, () => false)) continue;
    const db = await openSqlite(path);
    try {
      const translation = translateSqlite(readSqliteSchema(db), { timeZone: zone });
      const missing = [...tables].filter((t) => !translation.tables.some((x) => x.name === t));
      if (missing.length) throw new PgdriftError('source-failed', `${path} has no table ${missing.map((t) => `"${t}"`).join(', ')} any more (the migration copies from it); plan again`);
      const misfits = findMisfits(db, translation, { tables: [...tables] });
      total += misfits.length;
      lines.push(...misfits.map((m) => `${path}: ${m.table}.${m.column} row ${m.row}: ${m.reason}`));
    } catch (error) {
      throw isPgdriftError(error) ? error : new PgdriftError('source-failed', `${path}: ${messageOf(error)}`, { cause: error });
    } finally {
      db.close();
    }
  }
  return { total, lines };
}
