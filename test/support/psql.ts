/**
 * Loads SQL the way a person would: through psql, one statement at a time in autocommit mode,
 * stopping at the first error. A multi-statement query string sent over the wire protocol runs as
 * one implicit transaction, where PostgreSQL refuses CREATE INDEX CONCURRENTLY and friends and
 * where an enum value added by ALTER TYPE … ADD VALUE cannot be used before the commit; psql has
 * neither restriction.
 */
import { spawn } from 'node:child_process';

export interface PsqlResult {
  ok: boolean;
  /** "line 5: relation \"users\" does not exist": the server's first error, when not ok. */
  firstError?: string;
}

export function runPsql(url: string, sql: string): Promise<PsqlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', '-'], {
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { ...process.env, PGAPPNAME: 'pgdrift-tests', PGCLIENTENCODING: 'UTF8' },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (e) => reject(new Error(`cannot run psql (install postgresql-client): ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve({ ok: true });
      else resolve({ ok: false, firstError: firstError(stderr) || `psql exited with ${code}` });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(sql);
  });
}

function firstError(stderr: string): string {
  for (const line of stderr.split('\n')) {
    const m = /^psql:[^:]*:(\d+): (?:ERROR|FATAL):\s+(.*)$/.exec(line);
    if (m) return `line ${m[1]}: ${m[2]}`;
  }
  return stderr.trim().split('\n')[0] ?? '';
}
