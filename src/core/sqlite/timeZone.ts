/**
 * Wall-clock time in a named zone → the instant it means, with the zone's rules from the runtime's
 * time-zone database (Intl). SQLite applications often store local time as text without an
 * offset ("2024-03-05 08:00:00"); the source time zone says whose clock that was.
 *
 * Around a daylight-saving change a wall-clock time can be ambiguous (clocks go back: it happens
 * twice) or not exist (clocks go forward: it is skipped). The rule is PostgreSQL's own for
 * timestamptz input (DetermineTimeZoneOffset in datetime.c), checked against a real server in
 * the acceptance test: a skipped time is read with the offset in force before the change (02:30
 * on a spring-forward night reads as 03:30 new time), an ambiguous one with the offset in force
 * after it (its second occurrence: 01:30 on a fall-back night in London is 01:30 GMT).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Throws a RangeError for a zone name the runtime does not know. */
export function checkTimeZone(zone: string): void {
  formatter(zone);
}

/** The zone's UTC offset in minutes at an instant (east of Greenwich positive). */
export function offsetAt(zone: string, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts['year'] ?? 1970, (parts['month'] ?? 1) - 1, parts['day'] ?? 1, parts['hour'] ?? 0, parts['minute'] ?? 0, parts['second'] ?? 0);
  const whole = utcMs - (((utcMs % 1000) + 1000) % 1000);
  return Math.round((asUtc - whole) / 60000);
}

export interface LocalInstant {
  utcMs: number;
  /** The offset used, in minutes. */
  offset: number;
  /** The wall-clock time occurs twice (clocks went back) or never (clocks went forward). */
  fold?: 'ambiguous' | 'skipped';
}

const DAY = 86_400_000;
/** Per zone and local day: the offset of the whole day when it has no transition near it. */
const steadyDays = new Map<string, Map<number, number | null>>();

/**
 * `localMs`: the wall-clock fields read as if they were UTC (Date.UTC(y, m, d, h, mi, s, ms)).
 * Most days have no transition: when the offsets a day before and two days after a local day
 * agree, the whole day has that offset and later values of the day need no time-zone lookup
 * (a copy converts millions of them).
 */
export function instantOf(zone: string, localMs: number): LocalInstant {
  let days = steadyDays.get(zone);
  if (!days) {
    days = new Map();
    steadyDays.set(zone, days);
  }
  const day = Math.floor(localMs / DAY);
  let steady = days.get(day);
  if (steady === undefined) {
    const before = offsetAt(zone, day * DAY - DAY);
    steady = before === offsetAt(zone, day * DAY + 2 * DAY) && before === offsetAt(zone, day * DAY + DAY / 2) ? before : null;
    if (days.size > 100_000) days.clear();
    days.set(day, steady);
  }
  if (steady !== null) return { utcMs: localMs - steady * 60000, offset: steady };
  return lookUp(zone, localMs);
}

function lookUp(zone: string, localMs: number): LocalInstant {
  // Transitions are hours apart at most, so the offsets a day either side are the candidates.
  const before = offsetAt(zone, localMs - 86_400_000);
  const after = offsetAt(zone, localMs + 86_400_000);
  const candidates = [...new Set([before, after])];
  const valid = candidates.filter((o) => offsetAt(zone, localMs - o * 60000) === o);
  if (valid.length === 1) return { utcMs: localMs - (valid[0] ?? 0) * 60000, offset: valid[0] ?? 0 };
  if (valid.length === 0 && candidates.length === 1) {
    // A change within the day that is not DST-like (both sides agree): trust the instant's own offset.
    const o = offsetAt(zone, localMs - before * 60000);
    return { utcMs: localMs - o * 60000, offset: o };
  }
  if (valid.length > 1) return { utcMs: localMs - after * 60000, offset: after, fold: 'ambiguous' };
  return { utcMs: localMs - before * 60000, offset: before, fold: 'skipped' };
}

/** "+02", "-03:30", as PostgreSQL prints a timestamptz's offset. */
export function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = abs % 60;
  return `${sign}${hh}${mm ? `:${String(mm).padStart(2, '0')}` : ''}`;
}
