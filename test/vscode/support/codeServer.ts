/**
 * VS Code for the Web (code-server, installed by scripts/vscode-bench.sh into .cache/code-server):
 * installing the extensions under test into a fresh extensions folder, starting a server on
 * 127.0.0.1 and stopping it (its whole process group, by the id it was started with).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..', '..');
const INSTALL_DIR = join(ROOT, '.cache', 'code-server');
export const CODE_SERVER = join(INSTALL_DIR, 'node_modules', '.bin', 'code-server');

/** Installs code-server when it is missing (scripts/vscode-bench.sh is a no-op once it is there). */
export function ensureCodeServer(): void {
  if (existsSync(join(INSTALL_DIR, '.pgdrift-installed')) && existsSync(CODE_SERVER)) return;
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'vscode-bench.sh')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('scripts/vscode-bench.sh failed: code-server is not installed');
}

/** `code-server --install-extension <vsix>` into `extensionsDir`, as a user would install it. */
export function installVsix(vsix: string, extensionsDir: string, userDataDir: string): void {
  const r = spawnSync(CODE_SERVER, ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
}

/**
 * Links a built extension folder into `extensionsDir` as `<publisher>.<name>-<version>` (the runner
 * extension; the folder must hold a package.json) and lists it in the folder's extensions.json:
 * once `--install-extension` has written that file, VS Code marks a folder it does not list as
 * removed and never activates it.
 */
export function linkExtension(folder: string, extensionsDir: string): string {
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const relativeLocation = `${manifest.publisher}.${manifest.name}-${manifest.version}`;
  const link = join(extensionsDir, relativeLocation);
  symlinkSync(folder, link, 'dir');
  const listFile = join(extensionsDir, 'extensions.json');
  const list = existsSync(listFile) ? (JSON.parse(readFileSync(listFile, 'utf8')) as unknown[]) : [];
  list.push({
    identifier: { id: `${manifest.publisher}.${manifest.name}` },
    version: manifest.version,
    location: { $mid: 1, path: link, scheme: 'file' },
    relativeLocation,
    metadata: { installedTimestamp: Date.now(), source: 'resource' },
  });
  writeFileSync(listFile, JSON.stringify(list));
  return link;
}

export interface CodeServerOptions {
  port: number;
  extensionsDir: string;
  userDataDir: string;
  workspace: string;
  /** code-server's stdout and stderr go to this file. */
  logFile: string;
  /** Environment of the server and so of the extension host. */
  env: NodeJS.ProcessEnv;
  /** User settings added to (or replacing) the quiet defaults below. */
  userSettings?: Record<string, unknown>;
}

export interface RunningCodeServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startCodeServer(o: CodeServerOptions): Promise<RunningCodeServer> {
  mkdirSync(join(o.userDataDir, 'User'), { recursive: true });
  // No welcome page over the editor area, no update or extension checks against the network.
  writeFileSync(join(o.userDataDir, 'User', 'settings.json'), `${JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    ...o.userSettings,
  }, null, 2)}\n`);
  const log = openSync(o.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(CODE_SERVER, [
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${o.port}`,
      // Its own config file: code-server otherwise writes ~/.config/code-server/config.yaml.
      '--config', join(o.userDataDir, 'config.yaml'),
      '--extensions-dir', o.extensionsDir,
      '--user-data-dir', o.userDataDir,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
      o.workspace,
    ], { env: o.env, stdio: ['ignore', log, log], detached: true });
  } finally {
    closeSync(log);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`code-server did not start (see ${o.logFile})`);
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = signal ?? `code ${code}`));
  const stop = async (): Promise<void> => {
    if (exited !== undefined) return;
    // Its own process group (detached): the server, its VS Code server and the extension host.
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      return;
    }
    const deadline = Date.now() + 5000;
    while (exited === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });

  const url = `http://127.0.0.1:${o.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`code-server exited (${exited}) before it listened; see ${o.logFile}`);
    try {
      // A port some other program holds may accept and never answer: each try gives up after 2 s.
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within 60 s; see ${o.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, pid, stop };
}
