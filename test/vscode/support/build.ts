/** Building what the bench runs: the .vsix exactly as shipped, and the runner with the suites. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './codeServer';

export const RUNNER_DIR = join(ROOT, '.cache', 'vscode-tests', 'runner');

function run(command: string, args: string[], quiet: boolean): void {
  const r = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', stdio: quiet ? 'pipe' : 'inherit' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status ?? r.signal})${quiet ? `:\n${r.stdout}${r.stderr}` : ''}`);
}

/** The .vsix `npm run package` writes: dist/<name>-<version>.vsix. */
export function vsixPath(): string {
  const { name, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return join(ROOT, 'dist', `${name}-${version}.vsix`);
}

/** `npm run package` (production build, then vsce); returns the .vsix path and size. */
export function packageVsix(quiet = true): { path: string; bytes: number } {
  run('npm', ['run', '--silent', 'package'], quiet);
  const path = vsixPath();
  if (!existsSync(path)) throw new Error(`npm run package did not write ${path}`);
  return { path, bytes: statSync(path).size };
}

/** `node esbuild.mjs --tests`: the runner extension and one bundle per suite in RUNNER_DIR. */
export function buildTests(quiet = true): void {
  run(process.execPath, ['esbuild.mjs', '--tests'], quiet);
}
