/**
 * What the checks after a phase found: object counts against the to-source, row counts before and
 * after, the expectations, the backups against their manifest, and after the last phase the
 * re-diff. Problems first and in the error colour; what held is said in one line.
 */
import type { PhaseValidation, TableCount } from '../../src/core/run/types';
import { count, h, plural } from './dom';

/**
 * One line for the phase's row: "objects match · 2 new tables · 3/3 expectations · 0 differences
 * remain". Object counts and the re-diff measure the distance to the desired state, which only
 * the last phase must close: before it they are information, not a problem.
 */
export function validationSummary(v: PhaseValidation, last: boolean): { text: string; ok: boolean } {
  const parts: string[] = [];
  let ok = true;
  const compared = v.objects.filter((o) => o.expected !== undefined);
  if (compared.length > 0) {
    const off = compared.filter((o) => o.actual !== o.expected).length;
    if (off > 0 && last) ok = false;
    parts.push(off === 0 ? 'objects match' : last ? `${plural(off, 'object count')} off` : `objects: ${off} kinds to go`);
  }
  const decreased = v.tables.filter((t) => t.decreased).length;
  if (decreased > 0) ok = false;
  parts.push(decreased > 0 ? `${plural(decreased, 'table')} lost rows` : rowChanges(v.tables));
  if (v.expectations.length > 0) {
    const held = v.expectations.filter((e) => e.ok).length;
    if (held < v.expectations.length) ok = false;
    parts.push(`${held}/${v.expectations.length} expect`);
  }
  if (v.backups.length > 0) {
    const matching = v.backups.filter((b) => b.actual === b.manifest).length;
    if (matching < v.backups.length) ok = false;
    parts.push(`${matching}/${v.backups.length} backups`);
  }
  if (v.rediff && (last || v.rediff.remaining === 0)) {
    if (v.rediff.remaining > 0) ok = false;
    parts.push(remainingText(v.rediff.remaining));
  }
  return { text: parts.join(' · '), ok };
}

/** "2 new tables, 1 changed", or "row counts unchanged". */
function rowChanges(tables: readonly TableCount[]): string {
  const created = tables.filter((t) => t.before === undefined).length;
  const dropped = tables.filter((t) => t.after === undefined).length;
  const changed = tables.filter((t) => t.before !== undefined && t.after !== undefined && t.before !== t.after).length;
  const parts = [
    created > 0 ? plural(created, 'new table') : '',
    dropped > 0 ? plural(dropped, 'table') + ' dropped' : '',
    changed > 0 ? `${plural(changed, 'table')} with other row counts` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'rows unchanged';
}

const remainingText = (n: number): string => `${count(n)} ${n === 1 ? 'difference remains' : 'differences remain'}`;

function changedCount(t: TableCount): boolean {
  return t.before !== t.after;
}

function section(title: string, ...body: (HTMLElement | false | undefined)[]): HTMLElement {
  return h('section', { class: 'check' }, h('h3', {}, title), ...body);
}

/** A check whose lines are long (queries, backup names): it takes a whole row of the grid. */
function wide(block: HTMLElement): HTMLElement {
  block.classList.add('wide');
  return block;
}

function objectsSection(v: PhaseValidation, last: boolean): HTMLElement | undefined {
  if (v.objects.length === 0) return undefined;
  const compared = v.objects.some((o) => o.expected !== undefined);
  return section(compared ? 'Objects (here / desired state)' : 'Objects',
    h('div', { class: 'chips' }, v.objects.map((o) => {
      const off = o.expected !== undefined && o.actual !== o.expected;
      const tone = off ? (last ? ' bad' : ' pending') : o.expected !== undefined ? ' good' : '';
      return h('span', { class: `chip${tone}`, 'data-kind': o.kind, title: o.expected === undefined ? 'no desired state to compare with' : off ? `the desired state has ${o.expected}` : 'as in the desired state' },
        h('span', { class: 'chip-label' }, o.kind), ' ',
        h('span', { class: 'chip-value' }, o.expected === undefined ? count(o.actual) : `${count(o.actual)} / ${count(o.expected)}`));
    })));
}

const cell = (n: number | undefined, exact: boolean): string => (n === undefined ? '—' : `${exact ? '' : '≈ '}${count(n)}`);

function change(t: TableCount): string {
  if (t.before === undefined) return 'new';
  if (t.after === undefined) return 'dropped';
  const d = t.after - t.before;
  return d === 0 ? '' : `${d > 0 ? '+' : '−'}${count(Math.abs(d))}`;
}

function rowsSection(v: PhaseValidation, showAll: boolean, phase: string): HTMLElement | undefined {
  if (v.tables.length === 0) return undefined;
  const changed = v.tables.filter(changedCount).sort((a, b) => Number(b.decreased) - Number(a.decreased));
  const unchanged = v.tables.filter((t) => !changedCount(t));
  const estimated = v.tables.filter((t) => !t.exact).length;
  const rows = showAll ? [...changed, ...unchanged] : changed;
  const toggle = unchanged.length === 0 ? undefined
    : h('button', { class: 'link', 'data-action': 'toggle-tables', 'data-phase': phase }, showAll ? 'hide the unchanged' : 'show them');
  const lead = h('p', { class: 'lead' },
    changed.length === 0 ? `Unchanged in all ${plural(v.tables.length, 'table')}.` : `${rowChanges(changed)}; ${count(unchanged.length)} unchanged.`,
    estimated > 0 ? ` ${plural(estimated, 'count')} estimated (≈) from the planner's statistics.` : '', ' ', toggle);
  if (rows.length === 0) return section('Row counts', lead);
  return section('Row counts', lead,
    h('table', { class: 'grid rows' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Table'), h('th', { class: 'num' }, 'Before'), h('th', { class: 'num' }, 'After'), h('th', { class: 'num' }, 'Change'))),
      h('tbody', {}, rows.map((t) => h('tr', { class: t.decreased ? 'bad' : changedCount(t) ? 'changed' : '', 'data-table': t.table },
        h('td', { class: 'name' }, t.table, t.decreased ? h('span', { class: 'tag bad' }, 'rows lost') : undefined, t.exact ? undefined : h('span', { class: 'tag' }, 'estimate')),
        h('td', { class: 'num' }, cell(t.before, t.exact)),
        h('td', { class: 'num' }, cell(t.after, t.exact)),
        h('td', { class: 'num delta' }, change(t)))))));
}

function expectationsSection(v: PhaseValidation): HTMLElement | undefined {
  if (v.expectations.length === 0) return undefined;
  return wide(section('Expectations',
    h('ul', { class: 'results' }, v.expectations.map((e) => {
      // The comparison is the line's last `= N`, `>= N` or `<= N` (src/core/plan/expect.ts): kept whole when the query is cut short.
      const text = e.text.replace(/^--\s*pgdrift:expect\s+/, '');
      const m = /\s*(>=|<=|=)\s*(-?\d+)\s*$/.exec(text);
      const query = m ? text.slice(0, m.index) : text;
      return h('li', { class: e.ok ? 'good' : 'bad' },
      h('span', { class: 'mark' }, e.ok ? '✓' : '✗'),
      h('code', { title: text }, query),
      m ? h('span', { class: 'expected' }, `${m[1]} ${count(Number(m[2]))}`) : undefined,
      h('span', { class: 'actual' }, `actual ${count(e.actual)}`),
      h('button', { class: 'link loc', 'data-action': 'reveal', 'data-file': e.file, 'data-line': e.line, 'data-column': 1 }, `${basename(e.file)}:${e.line}`));
    }))));
}

function backupsSection(v: PhaseValidation): HTMLElement | undefined {
  if (v.backups.length === 0) return undefined;
  return wide(section('Backups',
    // Backup table names repeat their source and are long: the source comes first, both are cut
    // to the column with the whole name on hover, so the table keeps to its share of the page.
    h('table', { class: 'grid backups' },
      h('colgroup', {}, h('col', { class: 'of' }), h('col', { class: 'backup' }), h('col', { class: 'count' }), h('col', { class: 'count' }), h('col', { class: 'verdict' })),
      h('thead', {}, h('tr', {}, h('th', {}, 'Of'), h('th', {}, 'Backup'), h('th', { class: 'num' }, 'Manifest'), h('th', { class: 'num' }, 'Rows'), h('th', {}, ''))),
      h('tbody', {}, v.backups.map((b) => {
        const ok = b.actual === b.manifest;
        return h('tr', { class: ok ? '' : 'bad' },
          h('td', { class: 'name', title: b.source }, b.source), h('td', { class: 'name', title: b.backup }, b.backup),
          h('td', { class: 'num' }, count(b.manifest)), h('td', { class: 'num' }, count(b.actual)),
          h('td', { class: ok ? 'good' : 'bad' }, ok ? '✓ match' : '✗ differ'));
      })))));
}

function rediffSection(v: PhaseValidation, last: boolean): HTMLElement | undefined {
  if (!v.rediff) return undefined;
  const { remaining, lines } = v.rediff;
  if (!last) {
    return section('Against the desired state',
      h('p', { class: 'lead' }, remaining === 0 ? '✓ ' : '', remainingText(remaining), remaining > 0 ? ' (later phases make the rest)' : ''));
  }
  return section('Against the desired state',
    h('p', { class: `rediff ${remaining === 0 ? 'good' : 'bad'}` }, remaining === 0 ? '✓ ' : '✗ ', remainingText(remaining)),
    lines.length > 0 ? h('pre', { class: 'diff-lines' }, lines.join('\n')) : undefined);
}

/** The checks after one phase, as a block under its row. */
export function validationDetails(v: PhaseValidation, phase: string, last: boolean, showAllTables: boolean): HTMLElement {
  return h('div', { class: 'checks' },
    rediffSection(v, last),
    objectsSection(v, last),
    rowsSection(v, showAllTables, phase),
    expectationsSection(v),
    backupsSection(v),
    v.notes.length > 0 ? section('Not measured', h('ul', { class: 'notes' }, v.notes.map((n) => h('li', {}, n)))) : undefined);
}

export const basename = (path: string): string => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
