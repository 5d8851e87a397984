/**
 * Opening a source from what the user typed: a URL (`postgres://` or `postgresql://`) is a live
 * server, anything else a path to a SQL file or a folder of them. resolveSource checks it (URL
 * syntax; files found, read, decoded and parsed, their extensions available) without connecting or
 * starting anything, so both sides of a comparison can be checked before either is opened.
 */
import { parseConnectionUrl } from '../db/target';
import { extensionArchives } from './extensions';
import { openFilesSource, type FilesSourceOptions } from './files';
import { openLiveSource } from './live';
import { parseScript, type Script } from './script';
import { readSqlFiles } from './sqlFiles';
import type { Source, SourceSpec } from './types';

export type { Source, SourceSpec, SqlFile } from './types';

export interface SourceOptions extends FilesSourceOptions {
  /** PGUSER, PGPASSWORD and friends, for URLs. */
  env: NodeJS.ProcessEnv;
}

/**
 * Anything with a scheme is a URL, so `mysql://…` is refused as "not a PostgreSQL URL" (with its
 * password hidden) rather than looked for as a file.
 */
export function isConnectionUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

export async function resolveSource(text: string, env: NodeJS.ProcessEnv): Promise<SourceSpec> {
  if (isConnectionUrl(text)) return { kind: 'live', target: parseConnectionUrl(text, env) };
  const scripts: Script[] = [];
  for (const file of await readSqlFiles(text)) scripts.push(await parseScript(file));
  return { kind: 'files', path: text, scripts, archives: extensionArchives(scripts) };
}

export function openResolved(spec: SourceSpec, options: FilesSourceOptions = {}): Promise<Source> {
  return spec.kind === 'live' ? openLiveSource(spec.target) : openFilesSource(spec, options);
}

export async function openSource(text: string, options: SourceOptions): Promise<Source> {
  return openResolved(await resolveSource(text, options.env), options);
}
