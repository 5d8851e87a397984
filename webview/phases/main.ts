/**
 * The phases panel, in the webview's browser sandbox. It renders the state the extension posts
 * (src/protocol/phases.ts) and sends back what the user asks for; it never talks to a database.
 * The last state is kept with setState, so after a reload the panel paints before the extension
 * answers the ready message.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { PanelPhase, PhasesPanelState, ExtensionMessage, WebviewMessage } from '../../src/protocol/phases';
import { isPanelState, remainingPhases } from '../../src/protocol/phases';
import { count, duration, h, plural } from './dom';
import { basename, validationDetails, validationSummary } from './validation';
import './main.css';

interface Saved {
  state?: PhasesPanelState;
  /** Phases whose checks the user opened or closed (by name), overriding the default. */
  open: Record<string, boolean>;
  /** Phases whose unchanged tables are listed too. */
  allTables: string[];
}

const api = acquireVsCodeApi<Saved>();
const restored = api.getState();
const saved: Saved = { open: restored?.open ?? {}, allTables: restored?.allTables ?? [], ...(restored?.state && isPanelState(restored.state) ? { state: restored.state } : {}) };
const root = document.getElementById('root') as HTMLElement;

const post = (message: WebviewMessage) => api.postMessage(message);
/** The extension has answered (a state came): no need to say ready again. */
let answered = false;

const STATUS_LABEL: Record<PanelPhase['status'], string> = {
  pending: 'pending',
  running: 'running',
  committed: 'committed',
  rehearsed: 'rehearsed',
  'rolled back': 'rolled back',
  failed: 'failed',
  cancelled: 'cancelled',
  skipped: 'skipped',
};

const statusClass = (s: PanelPhase['status']): string => s.replace(' ', '-');

function phaseCounts(p: PanelPhase): string {
  return p.expectations > 0 ? `${count(p.statements)} + ${count(p.expectations)} expect` : count(p.statements);
}

/** Which phase's checks are open when the user did not say: the last one that has checks or failed. */
function defaultOpen(state: PhasesPanelState): string | undefined {
  const failed = state.failure?.phase;
  if (failed) return failed;
  return [...state.phases].reverse().find((p) => p.validation)?.name;
}

function header(state: PhasesPanelState): HTMLElement {
  const remaining = remainingPhases(state);
  const allRemaining = remaining.length === state.phases.length;
  const meta: (string | HTMLElement)[] = [];
  meta.push(plural(state.phases.length, 'phase'));
  if (state.profile) meta.push(`target ${state.profile}${state.environment ? ` (${state.environment})` : ''}`);
  if (state.running) meta.push(state.mode === 'rehearse' ? 'rehearsing…' : 'running…');
  else if (state.outcome) {
    const what = state.mode === 'rehearse' ? 'Rehearsal' : 'Run';
    const when = state.endedAt ? ` at ${new Date(state.endedAt).toLocaleTimeString()}` : '';
    meta.push(h('span', { class: `outcome ${state.outcome}` }, `${what} ${state.outcome}${state.durationMs !== undefined ? ` in ${duration(state.durationMs)}` : ''}${when}`));
  }
  const sep = (items: (string | HTMLElement)[]) => items.flatMap((item, i) => (i === 0 ? [item] : [h('span', { class: 'dot' }, ' · '), item]));
  return h('header', { class: 'bar' },
    h('div', { class: 'title' },
      h('h1', {}, 'Phases', h('span', { class: 'file', title: state.uri }, state.label)),
      h('div', { class: 'meta' }, sep(meta))),
    h('div', { class: 'actions' },
      h('vscode-button', { 'data-action': 'rehearse', secondary: true, icon: 'beaker', disabled: state.running || state.phases.length === 0, title: 'Every phase in one transaction, rolled back at the end' }, 'Rehearse all'),
      h('vscode-button', { 'data-action': 'run-remaining', icon: 'run-all', disabled: state.running || remaining.length === 0, secondary: remaining.length === 0, title: remaining.length ? `Runs ${remaining.join(', ')}` : 'Every phase was committed' },
        allRemaining ? 'Run all' : remaining.length > 0 ? `Run remaining (${remaining.length})` : 'Run remaining'),
      h('vscode-button', { 'data-action': 'stop', secondary: true, icon: 'debug-stop', disabled: !state.running, title: 'Cancel the statement running now; its phase rolls back' }, 'Stop'),
      h('vscode-button', { 'data-action': 'reload', secondary: true, icon: 'refresh', 'icon-only': true, disabled: state.running, title: 'Read the migration again', 'aria-label': 'Read the migration again' })));
}

function banners(state: PhasesPanelState): HTMLElement[] {
  const out: HTMLElement[] = [];
  const f = state.failure;
  if (f) {
    const where = `${basename(f.file)}:${f.line}:${f.column}`;
    out.push(h('div', { class: `banner ${f.kind === 'cancelled' ? 'warning' : 'error'}`, role: 'alert' },
      h('div', { class: 'banner-text' },
        h('strong', {}, f.kind === 'cancelled' ? `Phase "${f.phase}" cancelled` : `Phase "${f.phase}" failed`), ` at ${where}: ${f.message.replace(/^cancelled: /, '')}`,
        f.sqlstate ? h('span', { class: 'sqlstate' }, ` [${f.sqlstate}]`) : undefined,
        f.statement ? h('div', { class: 'statement' }, h('code', {}, f.statement)) : undefined,
        f.detail ? h('div', {}, `Detail: ${f.detail}`) : undefined,
        f.hint ? h('div', {}, `Hint: ${f.hint}`) : undefined,
        h('div', { class: 'muted' }, state.mode === 'rehearse' ? 'Nothing was changed: a rehearsal always rolls back.' : `The phase rolled back; phases committed before it stay.`)),
      h('vscode-button', { 'data-action': 'reveal', 'data-file': f.file, 'data-line': f.line, 'data-column': f.column, secondary: true, icon: 'go-to-file' }, 'Show')));
  }
  if (state.message) {
    // A refusal's first line says why; each line after it is one thing to fix (a value that does not fit, a hazard).
    const [first = '', ...rest] = state.message.text.split('\n');
    out.push(h('div', { class: `banner ${state.message.level}`, role: state.message.level === 'error' ? 'alert' : 'status' },
      h('div', { class: 'banner-text' }, first, rest.length ? h('ul', { class: 'plain banner-lines' }, rest.map((line) => h('li', {}, line))) : undefined)));
  }
  return out;
}

function statusCell(p: PanelPhase): HTMLElement {
  const steps = p.statements + p.expectations;
  if (p.status === 'running') {
    return h('td', { class: 'status' }, h('span', { class: 'progress' }, h('vscode-progress-ring', { class: 'ring' }), `${count(p.ran)} / ${count(steps)}`));
  }
  const partial = (p.status === 'failed' || p.status === 'cancelled') && steps > 0 ? ` at ${p.ran}/${steps}` : '';
  return h('td', { class: 'status' }, h('span', { class: `pill ${statusClass(p.status)}` }, STATUS_LABEL[p.status]), partial ? h('span', { class: 'muted' }, partial) : undefined,
    p.committed && p.status !== 'committed' ? h('span', { class: 'muted', title: 'An earlier run committed this phase' }, ' (committed before)') : undefined);
}

function phaseRows(state: PhasesPanelState, p: PanelPhase, openByDefault: string | undefined): HTMLElement[] {
  const last = p.index === state.phases.length - 1;
  const summary = p.validation ? validationSummary(p.validation, last) : undefined;
  const hasDetails = Boolean(p.validation);
  const open = hasDetails && (saved.open[p.name] ?? p.name === openByDefault);
  const row = h('tr', { class: `phase ${statusClass(p.status)}${open ? ' open' : ''}`, 'data-phase': p.name },
    h('td', { class: 'toggle' }, hasDetails
      ? h('button', { class: 'chevron', 'data-action': 'toggle', 'data-phase': p.name, 'aria-expanded': String(open), 'aria-label': `Checks after ${p.name}` }, open ? '▾' : '▸')
      : undefined),
    h('td', { class: 'index num' }, String(p.index + 1)),
    h('td', { class: 'name' },
      h('button', { class: 'link phase-name', 'data-action': 'reveal', 'data-file': p.file, 'data-line': p.line, 'data-column': 1, title: `${p.file}:${p.line}` }, p.name),
      p.current ? h('div', { class: 'current', title: p.current }, p.current) : undefined),
    statusCell(p),
    h('td', { class: 'num' }, phaseCounts(p)),
    h('td', { class: 'num' }, p.status === 'pending' || p.status === 'skipped' ? '' : duration(p.durationMs)),
    h('td', { class: 'checks-summary', title: summary?.text }, summary ? [h('span', { class: summary.ok ? 'good' : 'bad' }, summary.ok ? '✓ ' : '✗ '), h('span', { class: summary.ok ? '' : 'bad' }, summary.text)] : undefined),
    h('td', { class: 'row-actions' },
      h('vscode-button', { 'data-action': 'run-phase', 'data-phase': p.name, secondary: true, icon: 'play', disabled: state.running, title: `Run only ${p.name} (its own transaction)` }, 'Run phase')));
  if (!open || !p.validation) return [row];
  return [row, h('tr', { class: 'details', 'data-details': p.name }, h('td', { colspan: 8 }, validationDetails(p.validation, p.name, last, saved.allTables.includes(p.name))))];
}

function phasesTable(state: PhasesPanelState): HTMLElement {
  if (state.phases.length === 0) return h('p', { class: 'empty' }, state.message ? '' : 'This migration has no statements.');
  const openByDefault = defaultOpen(state);
  // Fixed layout: the checks under a row span the table without widening its columns.
  return h('table', { class: 'phases' },
    h('colgroup', {}, ['toggle', 'index', 'name', 'status', 'count', 'duration', 'summary', 'action'].map((c) => h('col', { class: `col-${c}` }))),
    h('thead', {}, h('tr', {},
      h('th', { class: 'toggle' }, ''), h('th', { class: 'num' }, '#'), h('th', {}, 'Phase'), h('th', {}, 'Status'),
      h('th', { class: 'num' }, 'Statements'), h('th', { class: 'num' }, 'Duration'), h('th', {}, 'Checks'), h('th', {}, ''))),
    h('tbody', {}, state.phases.map((p) => phaseRows(state, p, openByDefault))));
}

function footer(state: PhasesPanelState): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (state.notRehearsed.length > 0) {
    out.push(h('vscode-collapsible', { heading: 'Not rehearsed', description: 'cannot run inside a transaction', class: 'footer-section' },
      h('vscode-badge', { slot: 'decorations', variant: 'counter' }, String(state.notRehearsed.length)),
      h('ul', { class: 'plain' }, state.notRehearsed.map((line) => h('li', {}, h('code', {}, line))))));
  }
  if (state.notices.length > 0) {
    out.push(h('vscode-collapsible', { heading: 'Server messages', description: 'NOTICE, WARNING, INFO', class: 'footer-section' },
      h('vscode-badge', { slot: 'decorations', variant: 'counter' }, String(state.notices.length)),
      h('ul', { class: 'plain notices' }, state.notices.map((n) => h('li', {}, h('span', { class: `severity ${n.severity.toLowerCase()}` }, n.severity), ` ${n.phase}: ${n.message}`)))));
  }
  return out;
}

function render(): void {
  const state = saved.state;
  if (!state) {
    root.replaceChildren(h('p', { class: 'empty' }, 'Loading the migration…'));
    return;
  }
  root.replaceChildren(header(state), ...banners(state), phasesTable(state), ...footer(state));
  document.title = `Phases: ${state.label}`;
}

function persist(): void {
  api.setState(saved);
}

root.addEventListener('click', (event) => {
  const target = (event.target as Element | null)?.closest<HTMLElement>('[data-action]');
  if (!target || target.hasAttribute('disabled')) return;
  const state = saved.state;
  const phase = target.dataset.phase;
  switch (target.dataset.action) {
    case 'rehearse':
      post({ type: 'run', mode: 'rehearse' });
      break;
    case 'run-remaining':
      if (state) post({ type: 'run', mode: 'run', phases: remainingPhases(state) });
      break;
    case 'run-phase':
      if (phase) post({ type: 'run', mode: 'run', phases: [phase] });
      break;
    case 'stop':
      post({ type: 'stop' });
      break;
    case 'reload':
      post({ type: 'reload' });
      break;
    case 'reveal':
      post({ type: 'reveal', file: target.dataset.file ?? '', line: Number(target.dataset.line ?? 1), column: Number(target.dataset.column ?? 1) });
      break;
    case 'toggle':
      if (phase && state) {
        const open = saved.open[phase] ?? phase === defaultOpen(state);
        saved.open = { ...saved.open, [phase]: !open };
        persist();
        render();
      }
      break;
    case 'toggle-tables':
      if (phase) {
        saved.allTables = saved.allTables.includes(phase) ? saved.allTables.filter((p) => p !== phase) : [...saved.allTables, phase];
        persist();
        render();
      }
      break;
  }
});

window.addEventListener('message', (event: MessageEvent<ExtensionMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'state':
      answered = true;
      if (saved.state?.uri !== message.state.uri) {
        saved.open = {};
        saved.allTables = [];
      }
      saved.state = message.state;
      persist();
      render();
      break;
    case 'describe':
      post({ type: 'description', id: message.id, text: root.innerText, saved: api.getState() });
      break;
    case 'click': {
      const selector = `[data-action="${message.action}"]${message.phase !== undefined ? `[data-phase="${CSS.escape(message.phase)}"]` : ''}`;
      const button = root.querySelector<HTMLElement>(selector);
      const disabled = button?.hasAttribute('disabled') ?? false;
      post({ type: 'clicked', id: message.id, found: Boolean(button), disabled });
      if (button && !disabled) button.click();
      break;
    }
  }
});

document.addEventListener('securitypolicyviolation', (e) => {
  post({ type: 'problem', text: `content security policy refused ${e.blockedURI || 'an inline resource'} (${e.violatedDirective})` });
});
window.addEventListener('error', (e) => post({ type: 'problem', text: `script error: ${e.message}` }));

render();
post({ type: 'ready' });
// A 'ready' the host missed (the page loaded before its frame was wired up) is said again until the state comes.
let readyAgain = 0;
const readyTimer = setInterval(() => {
  if (answered || (readyAgain += 1) > 10) clearInterval(readyTimer);
  else post({ type: 'ready' });
}, 1_000);
