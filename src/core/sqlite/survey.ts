/**
 * One read of every translated table before anything is planned or copied: its row count, the
 * values that would not fit their PostgreSQL column (listed with their row id), and for each time
 * column (timestamptz, date) the earliest and latest value as PostgreSQL will hold them, which the
 * plan's validate phase checks after the copy. Every value is converted exactly as the copy will
 * convert it (values.ts), so a value the survey passes is a value COPY accepts.
 *
 * SQLite's own min()/max() cannot give the time range: it compares DATETIME text as text, so
 * '2024-03-05 08:00:00+02:00' and '2024-03-05 07:00:00Z' sort by their characters, not by the
 * instants they name.
 */
import type { Database } from 'sql.js';
import { quoteIdent } from '../model/ids';
import type { SqliteTranslation, TableTranslation } from './translate';
import { toPostgresText, type SqliteValue } from './values';

export interface Misfit {
  table: string;
  column: string;
  /** The rowid, or for a WITHOUT ROWID table the primary key values joined by ", ". */
  row: string;
  reason: string;
}

/** The earliest and latest value of a time column, as UTC text for timestamptz ("2024-03-05 06:00:00+00"). */
export interface TimeRange {
  column: string;
  type: 'timestamptz' | 'date';
  min: string;
  max: string;
}

export interface TableSurvey {
  table: string;
  rows: number;
  times: TimeRange[];
}

export interface Survey {
  tables: TableSurvey[];
  misfits: Misfit[];
  /** True when the misfit list stopped at its limit (a column of the wrong type can misfit on every row). */
  truncated: boolean;
}

export interface SurveyOptions {
  /** Stop listing misfits after this many (default 1000); the counts and ranges still cover every row. */
  limit?: number;
  /** The tables to read (default all); SQLite names. */
  tables?: readonly string[];
}

interface BigIntStatement {
  step(): boolean;
  get(params: null, config: { useBigInt: boolean }): SqliteValue[];
  free(): boolean;
}

export function surveySqlite(db: Database, translation: SqliteTranslation, options: SurveyOptions = {}): Survey {
  const limit = options.limit ?? 1000;
  const survey: Survey = { tables: [], misfits: [], truncated: false };
  for (const table of translation.tables) {
    if (options.tables && !options.tables.includes(table.name)) continue;
    survey.tables.push(surveyTable(db, table, translation.timeZone, survey, limit));
  }
  return survey;
}

/** The misfits alone (the probe the runner repeats before a copy). */
export function findMisfits(db: Database, translation: SqliteTranslation, options: SurveyOptions = {}): Misfit[] {
  return surveySqlite(db, translation, options).misfits;
}

function surveyTable(db: Database, table: TableTranslation, zone: string, survey: Survey, limit: number): TableSurvey {
  const key = table.withoutRowid ? table.primaryKey.map(quoteIdent) : ['rowid'];
  const sql = `SELECT ${[...key, ...table.columns.map((c) => quoteIdent(c.name))].join(', ')} FROM ${quoteIdent(table.name)} ORDER BY ${key.join(', ')}`;
  const ranges = table.columns.map((c) => (c.mapped.kind === 'timestamptz' || c.mapped.kind === 'date' ? { min: undefined as Moment | undefined, max: undefined as Moment | undefined } : undefined));
  const targets = table.columns.map((c) => ({ kind: c.mapped.kind, ...(c.mapped.length !== undefined ? { length: c.mapped.length } : {}) }));
  const statement = db.prepare(sql) as unknown as BigIntStatement;
  let rows = 0;
  const misfit = (m: Misfit) => {
    if (survey.misfits.length < limit) survey.misfits.push(m);
    else survey.truncated = true;
  };
  try {
    while (statement.step()) {
      const row = statement.get(null, { useBigInt: true });
      rows += 1;
      const rowName = () => row.slice(0, key.length).map((v) => String(v)).join(', ');
      table.columns.forEach((c, i) => {
        const value = row[key.length + i] ?? null;
        if (value === null) {
          if (c.notNull && !c.identity) misfit({ table: table.name, column: c.name, row: rowName(), reason: `NULL in a column that is NOT NULL in PostgreSQL (${c.mapped.type}${table.primaryKey.includes(c.name) ? ', primary key' : ''})` });
          return;
        }
        const converted = toPostgresText(value, targets[i] ?? { kind: 'text' }, zone);
        if ('misfit' in converted) {
          misfit({ table: table.name, column: c.name, row: rowName(), reason: `${converted.misfit} (${c.mapped.type})` });
          return;
        }
        const range = ranges[i];
        if (range && converted.text !== null) {
          const m = momentOf(converted.text, c.mapped.kind === 'date');
          if (!range.min || before(m, range.min)) range.min = m;
          if (!range.max || before(range.max, m)) range.max = m;
        }
      });
    }
  } finally {
    statement.free();
  }
  const times: TimeRange[] = [];
  table.columns.forEach((c, i) => {
    const r = ranges[i];
    const isDate = c.mapped.kind === 'date';
    if (r?.min && r.max) times.push({ column: c.name, type: isDate ? 'date' : 'timestamptz', min: utcText(r.min, isDate), max: utcText(r.max, isDate) });
  });
  return { table: table.name, rows, times };
}

/** A converted time value, with what sorts it by instant: UTC milliseconds, then the fraction's digits. */
interface Moment {
  ms: number;
  fraction: string;
  text: string;
}

const WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d+)?([+-])(\d{2})(?::(\d{2}))?$/;

/** Called for every time value of the file: numbers only; the UTC text is written for the winners (utcText). */
function momentOf(text: string, isDate: boolean): Moment {
  const m = isDate ? null : WITH_OFFSET.exec(text);
  if (!m) return { ms: 0, fraction: text, text };
  const offset = (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10] ?? 0)) * 60000;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) - offset;
  return { ms, fraction: (m[7] ?? '.').padEnd(10, '0'), text };
}

function before(a: Moment, b: Moment): boolean {
  return a.ms < b.ms || (a.ms === b.ms && a.fraction < b.fraction);
}

/** "2024-03-05 08:00:00.5+02" → the same instant in UTC: "2024-03-05 06:00:00.5+00"; a date as it is. */
function utcText(m: Moment, isDate: boolean): string {
  if (isDate || !WITH_OFFSET.test(m.text)) return m.text;
  const iso = new Date(m.ms).toISOString();
  // Years before 1000 or after 9999 do not occur in DATETIME text SQLite's functions read.
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${/\.\d+/.exec(m.text)?.[0] ?? ''}+00`;
}
