/**
 * One command in a fresh process, timed from spawn to exit, with its peak RSS read by
 * /usr/bin/time (%M, KiB) when the machine has it (0 otherwise). Stdout and stderr are kept for
 * the error message; an exit code outside `okCodes` rejects.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const TIME = '/usr/bin/time';

export interface TimedRun {
  wallMs: number;
  maxRssBytes: number;
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface TimedOptions {
  /** Where /usr/bin/time writes its figure (a file, so the command's stderr stays its own). */
  usageFile: string;
  okCodes?: readonly number[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

let running: ReturnType<typeof spawn> | undefined;
process.on('exit', () => running?.kill());

export function timed(command: string, args: readonly string[], options: TimedOptions): Promise<TimedRun> {
  const okCodes = options.okCodes ?? [0];
  rmSync(options.usageFile, { force: true });
  const withTime = existsSync(TIME);
  const [cmd, argv] = withTime ? [TIME, ['-f', '%M', '-o', options.usageFile, command, ...args]] : [command, [...args]];
  return new Promise((resolvePromise, reject) => {
    const start = performance.now();
    let stdout = '';
    let stderr = '';
    running = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd });
    running.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    running.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    running.on('error', reject);
    running.on('exit', (code, signal) => {
      const wallMs = performance.now() - start;
      running = undefined;
      const exitCode = code ?? 128;
      // /usr/bin/time writes "Command exited with non-zero status N" first when it does: the figure is the last line.
      const usage = withTime && existsSync(options.usageFile) ? readFileSync(options.usageFile, 'utf8').trim().split('\n').pop() ?? '' : '';
      const maxRssBytes = (Number(usage) || 0) * 1024;
      if (okCodes.includes(exitCode) && !signal) resolvePromise({ wallMs, maxRssBytes, exitCode, stdout, stderr });
      else {
        const tail = `${stderr.trim()}\n${stdout.trim()}`.trim().split('\n').slice(-15).join('\n');
        reject(new Error(`${command} ${args.join(' ')} exited with ${signal ?? `code ${exitCode}`}:\n${tail}`));
      }
    });
  });
}
