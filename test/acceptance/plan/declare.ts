/**
 * Declares the mocha tests of one convergence case on one server: a suite holding the two
 * directions, which share one loaded pair of databases (dropped after the suite), and the
 * known-gap rule of known-gaps.ts.
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
  /** Which directions to run (default both). */
  directions?: readonly Direction[];
}

export function knownGap(key: string, major: number): string | undefined {
  return KNOWN_GAPS[`${key}@${major}`] ?? KNOWN_GAPS[key];
}

export function declareCase(server: ManagedServer, d: DeclaredCase): void {
  describe(d.title, function () {
    let pair: Promise<LoadedPair> | undefined;
    let loaded: ConvergenceCase | undefined;
    after(async function () {
      this.timeout(60_000);
      const p = pair;
      pair = undefined;
      loaded = undefined;
      if (p) await p.then((x) => x.drop(), () => undefined);
    });

    for (const direction of d.directions ?? (['forward', 'backward'] as const)) {
      const label = direction === 'forward' ? d.labels[0] : d.labels[1];
      it(label, async function () {
        this.timeout(120_000);
        const c = (loaded ??= d.load());
        if (c.minMajor !== undefined && server.major < c.minMajor) {
          return skipWith(this, `needs PostgreSQL ${c.minMajor}+`);
        }
        let ready: LoadedPair;
        try {
          ready = await (pair ??= loadPair(server, c));
        } catch (e) {
          if (e instanceof LoadFailure) return skipWith(this, `not loadable: ${e.message}`);
          throw e;
        }
        const key = `${d.key}:${label}`;
        const gap = knownGap(key, server.major);
        try {
          await convergeLoaded(ready, direction, c);
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
