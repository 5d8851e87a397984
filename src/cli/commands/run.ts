import { relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { withSide } from '../../core/compare/inspectBoth';
import { connectTarget } from '../../core/connect/direct';
import { parseConnectionUrl, describeTarget } from '../../core/db/target';
import { PgdriftError, type ErrorCode } from '../../core/errors';
import { parseAcceptOption } from '../../core/hazards/accept';
import { introspect } from '../../core/introspect';
import { loadMigration } from '../../core/run/load';
import { runMigration } from '../../core/run/orchestrate';
import { renderEventLines } from '../../core/run/renderEvent';
import { openRunSession } from '../../core/run/session';
import { RunRefused, type RunResult, type RunSummary, type RunTargetInfo } from '../../core/run/types';
import { PROFILE_PREFIX, openSource } from '../../core/sources';
import { ERROR_EXIT_CODES, EXIT } from '../exitCodes';
import type { CliIo } from '../io';
import { cliProfileResolver, readProfiles } from '../profiles';

export const RUN_USAGE = `pgdrift run <file.sql|folder> --target <URL|profile:NAME> [--rehearse] [--phase NAME]... [--to <URL|profile:NAME|PATH>]
            [--accept CODE:object]... [--lock-timeout 5s] [--statement-timeout 0] [--confirm DBNAME] [--journal DIR]

Runs a migration on --target, phase by phase, each phase in its own transaction, printing every
statement, server NOTICE, row count and duration as it goes. Phases come from "-- pgdrift:phase"
markers, or one per .sql file of a folder (in name order). Before anything runs: the target must
still have the schema the file was written for ("-- pgdrift:fingerprint", or where a journaled run
of its first phases left it), data-loss and failure hazards must be accepted by name, a read-only
profile refuses, and a production profile needs the database name typed (or --confirm).
Exit code 0: done; 3: a hazard is not accepted; 20: a statement failed (its phase rolled back);
21: an expectation failed; 22: the target's schema is not the one the file was written for;
23: production run not confirmed; 19: read-only profile; 130: cancelled (Ctrl-C).
  --target URL           the database to migrate; profile:NAME is a profile of .vscode/settings.json
                         (its environment and read-only flag apply), password from PGPASSWORD or ~/.pgpass
  --rehearse             run every phase in one transaction rolled back at the end: what would fail,
                         how long each phase takes; statements that cannot run in a transaction are skipped
  --phase NAME           run only this phase (repeatable); a later phase runs once the journal shows
                         the earlier ones committed
  --to SOURCE            the desired state: object counts after each phase and, after the last one,
                         the differences that remain
  --accept CODE:object   accept a hazard by name (repeatable), as "-- pgdrift:accept CODE object" does
  --lock-timeout D       lock_timeout for every statement (default 5s; 0: wait forever)
  --statement-timeout D  statement_timeout (default 0: no limit); D is 500ms, 5s, 2min or 0
  --confirm DBNAME       production profiles: the database name, instead of typing it
  --journal DIR          where journal.jsonl is appended (default ./.pgdrift)`;

export async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      target: { type: 'string' },
      rehearse: { type: 'boolean', default: false },
      phase: { type: 'string', multiple: true },
      to: { type: 'string' },
      accept: { type: 'string', multiple: true },
      'lock-timeout': { type: 'string' },
      'statement-timeout': { type: 'string' },
      confirm: { type: 'string' },
      journal: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  const [path, ...extra] = positionals;
  if (path === undefined || extra.length > 0) throw new PgdriftError('usage', `run needs exactly one migration file or folder\n\n${RUN_USAGE}`);
  if (!values.target) throw new PgdriftError('usage', `run needs --target\n\n${RUN_USAGE}`);
  const accepts = (values.accept ?? []).map(parseAcceptOption);
  const lockTimeoutMs = values['lock-timeout'] === undefined ? undefined : parseDuration('--lock-timeout', values['lock-timeout']);
  const statementTimeoutMs = values['statement-timeout'] === undefined ? undefined : parseDuration('--statement-timeout', values['statement-timeout']);
  const cwd = io.cwd ?? process.cwd();
  const profiles = cliProfileResolver(io);
  const targetText = values.target;
  const { target, ssh, info } = (() => {
    try {
      if (targetText.startsWith(PROFILE_PREFIX)) {
        const name = targetText.slice(PROFILE_PREFIX.length);
        const resolved = profiles(name);
        const profile = readProfiles(io).find((p) => p.name === name);
        const where = describeTarget(resolved.target);
        const info: RunTargetInfo = { name, environment: profile?.environment ?? 'development', readOnly: profile?.readOnly ?? false, where, database: resolved.target.database };
        return { ...resolved, info };
      }
      const parsed = parseConnectionUrl(targetText, io.env);
      const where = describeTarget(parsed);
      const info: RunTargetInfo = { name: where, environment: 'development', readOnly: false, where, database: parsed.database };
      return { target: parsed, ssh: undefined, info };
    } catch (error) {
      throw withSide('--target', error);
    }
  })();
  const migration = await loadMigration(path);
  const toText = values.to;

  const inspect = await connectTarget(target, ssh, { readOnly: true }).catch((error: unknown) => {
    throw withSide('--target', error);
  });
  const controller = new AbortController();
  const onSigint = () => {
    io.stderr('pgdrift: cancelling the running statement (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  let result: RunResult;
  try {
    result = await runMigration({
      migration,
      mode: values.rehearse ? 'rehearse' : 'run',
      ...(values.phase ? { phases: values.phase } : {}),
      target: info,
      inspect: { db: inspect, serverVersionNum: inspect.serverVersionNum, serverVersion: inspect.serverVersion },
      confirm: (summary) => confirmProduction(summary, info, values.confirm, io),
      openSession: () => openRunSession(target, ssh),
      ...(toText ? { to: () => inspectSource(toText, io) } : {}),
      accepts,
      ...(lockTimeoutMs !== undefined ? { lockTimeoutMs } : {}),
      ...(statementTimeoutMs !== undefined ? { statementTimeoutMs } : {}),
      journalDir: resolve(cwd, values.journal ?? '.pgdrift'),
      journalFile: relative(cwd, resolve(cwd, path)) || path,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'note') {
          io.stderr(`pgdrift: note: ${event.message}\n`);
          return;
        }
        const lines = renderEventLines(event);
        if (lines.length) io.stdout(`${lines.join('\n')}\n`);
      },
    });
  } catch (error) {
    if (error instanceof RunRefused) {
      io.stderr(`pgdrift: refused: ${error.message}\n`);
      for (const d of error.details) io.stderr(`  ${d}\n`);
      if (error.refusal === 'unaccepted-hazards' || error.refusal === 'misfits') return EXIT.unacceptedHazards;
      return ERROR_EXIT_CODES[error.refusal === 'read-only' ? 'write-refused' : error.refusal];
    }
    throw withSide('--target', error);
  } finally {
    process.removeListener('SIGINT', onSigint);
    await inspect.close();
  }
  const f = result.failure;
  if (result.outcome === 'succeeded' || !f) return EXIT.ok;
  io.stderr(`pgdrift: ${f.file}:${f.line}:${f.column}: ${f.kind === 'cancelled' ? 'cancelled' : f.message}\n`);
  const code: ErrorCode = f.kind === 'cancelled' ? 'cancelled' : f.kind === 'expect' ? 'expectation-failed' : 'statement-failed';
  return ERROR_EXIT_CODES[code];
}

/** The summary on stderr, then --confirm or the name typed on a terminal; undefined refuses. */
async function confirmProduction(summary: RunSummary, target: RunTargetInfo, given: string | undefined, io: CliIo): Promise<unknown> {
  io.stderr(`${summaryLines(summary).join('\n')}\n`);
  if (given !== undefined) {
    if (given === target.database) return true;
    io.stderr(`pgdrift: --confirm "${given}" is not the database name "${target.database}"\n`);
    return undefined;
  }
  if (!process.stdin.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const typed = await rl.question(`Type the database name "${target.database}" to ${summary.mode === 'rehearse' ? 'rehearse' : 'run'} on production: `);
    return typed.trim() === target.database ? true : undefined;
  } finally {
    rl.close();
  }
}

export function summaryLines(s: RunSummary): string[] {
  return [
    `${s.mode === 'rehearse' ? 'Rehearse' : 'Run'} on ${s.target} (production):`,
    `  phases: ${s.phases.join(', ')}`,
    `  ${s.statements} statements, ${s.destructive} destructive, ${s.nonTransactional} outside a transaction`,
    `  ${s.hazardsAccepted} data-loss or failure hazard${s.hazardsAccepted === 1 ? '' : 's'} accepted`,
  ];
}

async function inspectSource(text: string, io: CliIo) {
  const source = await openSource(text, { env: io.env, profiles: cliProfileResolver(io) }).catch((error: unknown) => {
    throw withSide('--to', error);
  });
  try {
    return await introspect(source);
  } finally {
    await source.close();
  }
}

/** "500ms", "5s", "2min", "1h", or a bare number of milliseconds; 0 means no limit. */
export function parseDuration(option: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|min|h)?$/.exec(text.trim());
  if (!m) throw new PgdriftError('usage', `${option} "${text}": expected a duration such as 500ms, 5s, 2min or 0`);
  const factor = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 }[m[2] ?? 'ms'] ?? 1;
  return Math.round(Number(m[1]) * factor);
}
