// The README's "Hazard catalogue coverage" table is kept honest: every hazard code pgdrift emits
// (SEVERITY in src/core/hazards/types.ts) is a hazard row, every row pgdrift handles names a test
// file that exists and mentions the row's ID, the summary line counts what the table says, and,
// when the catalogue itself (../shared/docs/HAZARDS.md, outside the repository) is there, every ID
// of its tables has a row.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEVERITY } from '../../src/core/hazards/types';

const ROOT = join(__dirname, '..', '..');
const CATALOGUE = join(ROOT, '..', 'shared', 'docs', 'HAZARDS.md');
const ID = /^(?:DL|FL|LK|CP|TX)-\d{2}$/;

interface Row {
  id: string;
  status: string;
  files: string[];
}

/** The "Hazard catalogue coverage" section (a heading of any level), up to the next heading. */
function coverageSection(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = /^#+ Hazard catalogue coverage$/m.exec(readme)?.index;
  assert.ok(start !== undefined, 'README.md has no "Hazard catalogue coverage" section');
  const body = readme.indexOf('\n', start) + 1;
  const end = readme.slice(body).search(/^#/m);
  return readme.slice(start, end < 0 ? undefined : body + end);
}

/** The rows of the section's table. */
function coverageRows(): Row[] {
  const section = coverageSection();
  const rows: Row[] = [];
  for (const line of section.split('\n')) {
    const cells = /^\|(.*)\|$/.exec(line.trim())?.[1]?.split('|').map((c) => c.trim());
    if (!cells || cells[0] === 'ID' || /^-+$/.test(cells[0] ?? '')) continue;
    assert.equal(cells.length, 3, `three cells expected: ${line}`);
    const [id = '', status = '', tested = ''] = cells;
    const files = [...tested.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
    rows.push({ id, status, files });
  }
  return rows;
}

function summaryLine(): string {
  const line = /^Summary: .*$/m.exec(coverageSection())?.[0];
  assert.ok(line, 'the section has no "Summary:" line');
  return line;
}

type Kind = 'measured' | 'static' | 'planner' | 'runner' | 'not yet' | 'not applicable';

/** What a status says, or undefined when it follows none of the forms. */
function kindOf(row: Row): Kind | undefined {
  const hazard = /^hazard (\S+) \((measured|static)\)$/.exec(row.status);
  if (hazard) return hazard[1] === row.id ? (hazard[2] as Kind) : undefined;
  const other = /^(planner|runner|not yet|not applicable): \S.*$/.exec(row.status);
  return other?.[1] as Kind | undefined;
}

describe('README: hazard catalogue coverage', () => {
  const rows = coverageRows();

  it('lists each ID once, in the catalogue form, with a status of a known form', () => {
    assert.ok(rows.length > 0, 'the table is empty');
    const bad = rows.filter((r) => !ID.test(r.id) || kindOf(r) === undefined).map((r) => `${r.id}: ${r.status}`);
    assert.deepEqual(bad, [], 'status: "hazard <ID> (measured|static)", "planner: …", "runner: …", "not yet: …" or "not applicable: …"');
    const seen = new Set<string>();
    const twice = rows.filter((r) => seen.size === seen.add(r.id).size).map((r) => r.id);
    assert.deepEqual(twice, []);
  });

  it('every hazard code pgdrift emits is a hazard row, and every hazard row is a code it emits', () => {
    const hazardRows = rows.filter((r) => r.status.startsWith('hazard ')).map((r) => r.id).sort();
    assert.deepEqual(hazardRows, Object.keys(SEVERITY).sort());
  });

  it('every row pgdrift handles names a test file; every file named exists and mentions the ID', () => {
    const problems: string[] = [];
    for (const row of rows) {
      const kind = kindOf(row);
      if ((kind === 'measured' || kind === 'static' || kind === 'planner' || kind === 'runner') && row.files.length === 0) problems.push(`${row.id}: no test file`);
      for (const file of row.files) {
        const path = join(ROOT, file);
        if (!existsSync(path)) problems.push(`${row.id}: ${file} does not exist`);
        else if (!readFileSync(path, 'utf8').includes(row.id)) problems.push(`${row.id}: ${file} does not mention ${row.id}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('the summary line counts what the table says', () => {
    const count = (kind: Kind) => rows.filter((r) => kindOf(r) === kind).length;
    const [measured, fixed] = [count('measured'), count('static')];
    assert.equal(summaryLine(),
      `Summary: ${measured + fixed} hazard codes (${measured} measured, ${fixed} static), ${count('planner')} planner behaviours, ${count('runner')} runner behaviours, `
      + `${count('not yet')} not yet, ${count('not applicable')} not applicable.`);
  });

  const present = existsSync(CATALOGUE);
  const title = 'every ID of the catalogue tables in ../shared/docs/HAZARDS.md has a row, and no other';
  it(present ? title : `${title} — skipped: ../shared/docs/HAZARDS.md is not there (it lives outside the repository)`, function () {
    if (!present) this.skip();
    const catalogue = readFileSync(CATALOGUE, 'utf8');
    const ids = [...new Set([...catalogue.matchAll(/^\| ((?:DL|FL|LK|CP|TX)-\d{2}) \|/gm)].map((m) => m[1] ?? ''))].sort();
    assert.ok(ids.length > 0, 'no catalogue rows found in HAZARDS.md');
    assert.deepEqual(rows.map((r) => r.id).sort(), ids);
  });
});
