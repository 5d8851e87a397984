/**
 * Declares the mocha tests of one convergence case on one server: a suite holding the two
 * directions, which share one loaded pair of databases (dropped after the suite), and the
 * known-gap rule of known-gaps.ts.
 *
 * While a case runs, the next case declared for the same server is already being loaded: loading
 * is mostly the server's work and planning mostly ours, so the two overlap on a 2-core machine.
 */
import { convergeLoaded, loadPair, LoadFailure, type ConvergenceCase, type Direction, type LoadedPair } from '../../support/convergence';
import type { ManagedServer } from '../../support/servers';
import { KNOWN_GAPS } from './known-gaps';

export interface DeclaredCase {
  /** Known-gap key without the direction: "case:views/view-on-view", "corpus:apgdiff/add_column". */
  key: string;
  title: string;
  /** Labels of the forward and backward directions in titles and keys. */
  labels: readonly [string, string];
  /** Read lazily, so a large corpus is only read as its cases run. */
  load: () => ConvergenceCase;
}

export function knownGap(key: string, major: number): string | undefined {
  return KNOWN_GAPS[`${key}@${major}`] ?? KNOWN_GAPS[key];
}

interface Slot {
  server: ManagedServer;
  declared: DeclaredCase;
  loaded?: ConvergenceCase | undefined;
  pair?: Promise<LoadedPair> | undefined;
  done: boolean;
}

const queues = new Map<ManagedServer, Slot[]>();

function caseOf(slot: Slot): ConvergenceCase {
  return (slot.loaded ??= slot.declared.load());
}

function tooOld(slot: Slot): boolean {
  const min = caseOf(slot).minMajor;
  return min !== undefined && slot.server.major > 0 && slot.server.major < min;
}

function pairOf(slot: Slot): Promise<LoadedPair> {
  if (!slot.pair) {
    slot.pair = loadPair(slot.server, caseOf(slot));
    // Rejections are read when the case runs; until then they are not "unhandled".
    slot.pair.catch(() => undefined);
  }
  return slot.pair;
}

async function release(slot: Slot): Promise<void> {
  slot.done = true;
  const p = slot.pair;
  slot.pair = undefined;
  slot.loaded = undefined;
  if (p) await p.then((x) => x.drop(), () => undefined);
}

/** "corpus:apgdiff" for "corpus:apgdiff/add_column", "case:views" for "case:views/view-on-view". */
function groupOf(slot: Slot): string {
  const key = slot.declared.key;
  return key.includes('/') ? key.slice(0, key.lastIndexOf('/')) : key;
}

function prefetchAfter(slot: Slot): void {
  const queue = queues.get(slot.server) ?? [];
  const next = queue[queue.indexOf(slot) + 1];
  // Only within a group: a suite's before hook (the corpus suites' ROLES.sql) must run before its cases load.
  if (next && groupOf(next) === groupOf(slot) && !next.done && !next.pair && !tooOld(next)) void pairOf(next);
}

// Pairs loaded ahead for cases that never ran (filtered out by --grep) are dropped at the end.
after(async function () {
  this.timeout(60_000);
  for (const queue of queues.values()) for (const slot of queue) if (slot.pair) await release(slot).catch(() => undefined);
});

export function declareCase(server: ManagedServer, d: DeclaredCase): void {
  const slot: Slot = { server, declared: d, done: false };
  const queue = queues.get(server) ?? [];
  queues.set(server, queue);
  queue.push(slot);

  describe(d.title, function () {
    after(async function () {
      this.timeout(60_000);
      await release(slot);
    });

    for (const direction of ['forward', 'backward'] as const satisfies readonly Direction[]) {
      const label = direction === 'forward' ? d.labels[0] : d.labels[1];
      it(label, async function () {
        this.timeout(120_000);
        if (tooOld(slot)) return skipWith(this, `needs PostgreSQL ${caseOf(slot).minMajor}+`);
        let ready: LoadedPair;
        try {
          ready = await pairOf(slot);
        } catch (e) {
          if (e instanceof LoadFailure) return skipWith(this, `not loadable: ${e.message}`);
          throw e;
        } finally {
          prefetchAfter(slot);
        }
        const key = `${d.key}:${label}`;
        const gap = knownGap(key, server.major);
        try {
          await convergeLoaded(ready, direction, caseOf(slot));
        } catch (e) {
          if (gap === undefined) throw e;
          return skipWith(this, `known gap: ${gap}`);
        }
        if (gap !== undefined) throw new Error(`known gap now converges: remove it from known-gaps.ts (${key}: ${gap})`);
      });
    }
  });
}

/** Pending, with the reason in the title so the spec reporter shows it. */
function skipWith(ctx: Mocha.Context, reason: string): void {
  if (ctx.test) ctx.test.title += ` [skipped: ${reason.split('\n')[0]}]`;
  ctx.skip();
}
