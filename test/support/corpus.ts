/**
 * The external corpus of schema pairs (README.md in its folder): `<suite>/<case>/a.sql` and
 * `b.sql`, optional `roles.sql` and `setup.sql` per case, and a `ROLES.sql` per suite with the roles
 * the original harness created for every case.
 *
 *   PGDRIFT_CORPUS_DIR=/path   where the corpus is (default: ../shared/corpus beside the repository)
 *   PGDRIFT_CORPUS=all         every pair on every configured server (default: every pair on
 *                              PostgreSQL 15 and on an external server, every 10th on the others)
 *   PGDRIFT_CORPUS=sample      every 10th pair everywhere, for a quick run
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ConvergenceCase } from './convergence';

export const SAMPLE_EVERY = 10;

export function corpusDir(): string {
  return process.env.PGDRIFT_CORPUS_DIR ?? resolve(__dirname, '..', '..', '..', 'shared', 'corpus');
}

export interface CorpusSuite {
  name: string;
  dir: string;
  /** Suite-wide ROLES.sql, when present. */
  roles?: string;
  /** Case folder names in code-unit order. */
  cases: string[];
}

function readIfPresent(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

export function listCorpus(dir: string): CorpusSuite[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort()
    .map((name) => {
      const suiteDir = join(dir, name);
      const cases = readdirSync(suiteDir)
        .filter((c) => existsSync(join(suiteDir, c, 'a.sql')) && existsSync(join(suiteDir, c, 'b.sql')))
        .sort();
      const roles = readIfPresent(join(suiteDir, 'ROLES.sql'));
      return { name, dir: suiteDir, cases, ...(roles !== undefined ? { roles } : {}) };
    });
}

export function readCorpusCase(suite: CorpusSuite, name: string): ConvergenceCase {
  const dir = join(suite.dir, name);
  const roles = readIfPresent(join(dir, 'roles.sql'));
  const setup = readIfPresent(join(dir, 'setup.sql'));
  return {
    name: `${suite.name}/${name}`,
    from: readFileSync(join(dir, 'a.sql'), 'utf8'),
    to: readFileSync(join(dir, 'b.sql'), 'utf8'),
    ...(roles !== undefined ? { roles } : {}),
    ...(setup !== undefined ? { setup } : {}),
  };
}

/** Which cases of a suite run on a server of this major (0: an external server, major unknown yet). */
export function casesFor(suite: CorpusSuite, major: number): string[] {
  const mode = process.env.PGDRIFT_CORPUS ?? 'default';
  const full = mode === 'all' || (mode !== 'sample' && (major === 15 || major === 0));
  return full ? suite.cases : suite.cases.filter((_, i) => i % SAMPLE_EVERY === 0);
}
