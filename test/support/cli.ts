/** The CLI run in-process, as a shell would run it: its exit code and everything it printed. */
import type { CliIo } from '../../src/cli/io';
import { run } from '../../src/cli/run';

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `cwd`: where the CLI looks for .vscode/settings.json (connection profiles). */
export async function cli(argv: string[], env: NodeJS.ProcessEnv = {}, options: { cwd?: string } = {}): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, ...(options.cwd ? { cwd: options.cwd } : {}) };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
