/**
 * The end-to-end comparison of bench/run.ts: `pgdrift diff` against @pgkit/migra on the same pair
 * of databases, each tool a separate Node process started the way a user starts it, the two taking
 * turns. Per run: wall time (spawn to exit, measured here), peak RSS and CPU time (from
 * `/usr/bin/time`, or from the child itself through a `--require` hook where that is missing),
 * exit code, and the script printed (kept in bench/tmp, its bytes and statements counted), so a
 * run that failed or printed nothing cannot pass for a fast one.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface Tool {
  /** Short key: "pgdrift", "migra". */
  name: string;
  /** What the report calls the command. */
  label: string;
  /** Arguments to `node`. */
  args: string[];
  /** Exit codes that mean "the script was produced" (pgdrift diff: 2 is "differences found"). */
  okCodes: number[];
  /** Turns what the tool printed into the SQL script (drops what is not SQL). */
  clean: (stdout: string) => string;
}

export interface ToolRun {
  tool: string;
  /** Warm-up runs are measured like the others and left out of every figure. */
  warmup: boolean;
  /** Spawn to exit, measured by this process. */
  wallMs: number;
  maxRssBytes: number;
  userMs: number;
  systemMs: number;
  exitCode: number;
  ok: boolean;
  /** Bytes the tool wrote to stdout, and of the SQL script left after `clean`. */
  stdoutBytes: number;
  scriptBytes: number;
  statements: number;
  /** The first line of stderr when the run failed. */
  error?: string;
}

export interface ScriptShape {
  statements: number;
  /** Statements by kind ("ALTER TABLE … ADD COLUMN", "CREATE INDEX", …). */
  kinds: Record<string, number>;
}

const TIME = '/usr/bin/time';

let running: ReturnType<typeof spawn> | undefined;
process.on('exit', () => running?.kill());

/** How peak RSS is read: by /usr/bin/time when the machine has it, else by the child itself. */
export const rssMethod = (): 'time' | 'require' => (existsSync(TIME) ? 'time' : 'require');

/**
 * Runs `tool` once in a fresh process with stdout to `scriptFile`; the script is cleaned in place.
 * `tmpDir` holds the resource-usage file.
 */
export async function measure(tool: Tool, tmpDir: string, scriptFile: string, warmup: boolean): Promise<ToolRun> {
  const usageFile = join(tmpDir, `usage-${tool.name}.txt`);
  rmSync(usageFile, { force: true });
  let command: string;
  let args: string[];
  const env = { ...process.env };
  if (rssMethod() === 'time') {
    // %M peak RSS in KiB, %U and %S CPU seconds; written to a file so stderr stays the tool's.
    command = TIME;
    args = ['-f', '%M %U %S', '-o', usageFile, process.execPath, ...tool.args];
  } else {
    const hook = join(tmpDir, 'report-usage.cjs');
    writeFileSync(hook, [
      "process.on('exit', () => {",
      '  const u = process.resourceUsage();',
      "  require('node:fs').writeFileSync(process.env.PGDRIFT_BENCH_USAGE, `${u.maxRSS} ${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6}`);",
      '});',
      '',
    ].join('\n'));
    env.PGDRIFT_BENCH_USAGE = usageFile;
    command = process.execPath;
    args = ['--require', hook, ...tool.args];
  }
  const out = openSync(scriptFile, 'w');
  const { exitCode, wallMs, stderr } = await new Promise<{ exitCode: number; wallMs: number; stderr: string }>((resolve, reject) => {
    const start = performance.now();
    let stderrText = '';
    running = spawn(command, args, { stdio: ['ignore', out, 'pipe'], env });
    running.stderr?.on('data', (d: Buffer) => (stderrText += d.toString()));
    running.on('error', reject);
    running.on('exit', (code, signal) => {
      const ms = performance.now() - start;
      running = undefined;
      resolve({ exitCode: code ?? (signal ? 128 : 1), wallMs: ms, stderr: stderrText });
    });
  });
  closeSync(out);
  const stdout = readFileSync(scriptFile, 'utf8');
  const script = tool.clean(stdout);
  writeFileSync(scriptFile, script);
  const usage = existsSync(usageFile) ? readFileSync(usageFile, 'utf8').trim().split(/\s+/).map(Number) : [];
  // /usr/bin/time prints "Command exited with non-zero status N" before the figures: take the last line's.
  const [rssKiB, user, system] = usage.length > 3 ? usage.slice(-3) : usage;
  const ok = tool.okCodes.includes(exitCode);
  return {
    tool: tool.name,
    warmup,
    wallMs,
    maxRssBytes: (rssKiB ?? 0) * 1024,
    userMs: (user ?? 0) * 1000,
    systemMs: (system ?? 0) * 1000,
    exitCode,
    ok,
    stdoutBytes: Buffer.byteLength(stdout),
    scriptBytes: Buffer.byteLength(script),
    statements: splitStatements(script).length,
    ...(ok ? {} : { error: stderr.trim().split('\n')[0] ?? '' }),
  };
}

/**
 * The statements of a script: split at semicolons outside quotes, quoted identifiers, dollar
 * quotes and comments. Comments are dropped; empty statements are not counted.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      for (;;) {
        const k = sql.indexOf(c, j);
        if (k < 0) { j = sql.length; break; }
        if (sql[k + 1] === c) { j = k + 2; continue; }
        j = k + 1;
        break;
      }
      current += sql.slice(i, j);
      i = j;
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i, i + 64))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64))![0];
      const end = sql.indexOf(tag, i + tag.length);
      const j = end < 0 ? sql.length : end + tag.length;
      current += sql.slice(i, j);
      i = j;
    } else if (c === ';') {
      if (current.trim()) statements.push(current.trim());
      current = '';
      i += 1;
    } else {
      current += c;
      i += 1;
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}

const OBJECT_WORDS = new Set(['TABLE', 'INDEX', 'VIEW', 'TRIGGER', 'FUNCTION', 'PROCEDURE', 'SEQUENCE', 'SCHEMA', 'TYPE',
  'EXTENSION', 'DOMAIN', 'POLICY', 'CONSTRAINT', 'COLLATION', 'ROLE']);

/** "ALTER TABLE x ADD COLUMN …" → "ALTER TABLE … ADD COLUMN"; "create unique index …" → "CREATE UNIQUE INDEX". */
export function statementKind(statement: string): string {
  const words = statement.replace(/\s+/g, ' ').trim().split(' ');
  const head: string[] = [];
  for (const w of words.slice(0, 5)) {
    head.push(w.toUpperCase());
    if (OBJECT_WORDS.has(w.toUpperCase())) break;
  }
  if (head.join(' ') === 'ALTER TABLE') {
    // Skip ONLY / IF EXISTS and the name; the action's first two words say what changes.
    let k = 2;
    while (k < words.length && ['ONLY', 'IF', 'EXISTS'].includes(words[k]!.toUpperCase())) k += 1;
    const action = words.slice(k + 1, k + 3).map((w) => w.toUpperCase());
    if (action[0] === 'ADD' || action[0] === 'DROP' || action[0] === 'ALTER' || action[0] === 'VALIDATE') {
      const object = action[1] === 'COLUMN' || action[1] === 'CONSTRAINT' ? action[1] : action[0] === 'ALTER' ? 'COLUMN' : '';
      return `ALTER TABLE … ${action[0]}${object ? ` ${object}` : ''}`;
    }
    return `ALTER TABLE … ${action[0] ?? ''}`.trim();
  }
  return head.join(' ');
}

export function scriptShape(sql: string): ScriptShape {
  const statements = splitStatements(sql);
  const kinds: Record<string, number> = {};
  for (const s of statements) {
    const kind = statementKind(s);
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return { statements: statements.length, kinds: Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b))) };
}

/**
 * pg-promise (under @pgkit/client) warns, on stdout, when a second database object is created,
 * which the migra CLI does for its second URL: a "WARNING: …" line and a few "    at …" stack lines.
 */
export function withoutPgPromiseWarning(stdout: string): string {
  return stdout.replace(/^WARNING: Creating a duplicate database object[^\n]*\n(?: {4}at [^\n]*\n)*\n?/m, '');
}

// ---------------------------------------------------------------------------------------------
// The comparison as bench/run.ts runs it on one pair (its report: bench/e2eReport.ts).

/** Measured runs per tool, unless the caller asks for fewer (the 5,000-table pair, a quick run). */
export const E2E_RUNS = 5;
/** Targets of issue 3: pgdrift at least this many times faster than @pgkit/migra end to end… */
export const TARGET_SPEEDUP = 5;
/** …and under 150 MB (10^6 bytes; 143 MiB) peak RSS, the largest of the measured runs. */
export const TARGET_RSS_BYTES = 150e6;

export interface ApplyCheck {
  tool: string;
  /** The script ran without error on a copy of the "from" database (one implicit transaction). */
  applied: boolean;
  error?: string;
  /** pgdrift's fingerprint of the copy after the script, and whether it equals the "to" database's. */
  fingerprint?: string;
  matchesTo: boolean;
}

export interface ToolSummary {
  tool: string;
  label: string;
  okRuns: number;
  failedRuns: number;
  wallMs: { median: number; min: number; max: number; runs: number[] };
  maxRssBytes: { median: number; min: number; max: number };
  cpuMsMedian: number;
  scriptBytes: number;
  shape: ScriptShape;
  exitCodes: number[];
}

export interface EndToEndResult {
  /** What the pair is, for headings and the summary: "generated, 1,000 tables", "ERP fixture". */
  pair: string;
  /** Tables of the generated "from" database; absent for the ERP pair. */
  tables?: number;
  from: string;
  to: string;
  /** The generated pair's variant: what it changes, and the time building it took. */
  variant?: Record<string, number>;
  variantGenerationMs?: number;
  rssMethod: 'time' | 'require';
  runsPerTool: number;
  commands: Record<string, string>;
  pgdriftAvailable: boolean;
  pgdriftUnavailableReason?: string;
  tools: ToolSummary[];
  /** migra / pgdrift, from the medians (wall time, peak RSS). */
  ratios?: { wallTime: number; maxRss: number; cpu: number };
  targets: { speedup: number; speedupMet: boolean | null; rssBytes: number; rssMet: boolean | null; pgdriftMaxRssBytes: number | null };
  fingerprints: { from: string; to: string };
  apply: ApplyCheck[];
  load: { loadAverageBefore: number; busyPercent: number; stealPercent: number };
  samples: ToolRun[];
}

export interface EndToEndContext {
  root: string;
  tmpDir: string;
  pair: string;
  tables?: number;
  variant?: Record<string, number>;
  variantGenerationMs?: number;
  /** Measured runs per tool (E2E_RUNS when absent). */
  runs?: number;
  fromDb: string;
  toDb: string;
  url: (database?: string) => string;
  fingerprintOf: (url: string) => Promise<string>;
  /** Runs SQL on a database (one simple-query message). */
  execute: (url: string, sql: string) => Promise<void>;
  cpuTicks: () => number[];
  loadAverage: () => number;
  log: (line: string) => void;
}

const medianOf = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export async function runEndToEnd(ctx: EndToEndContext): Promise<EndToEndResult> {
  const fromUrl = ctx.url(ctx.fromDb);
  const toUrl = ctx.url(ctx.toDb);
  const tools: Tool[] = [
    {
      name: 'migra',
      label: '@pgkit/migra CLI',
      args: [join(ctx.root, 'node_modules', '@pgkit', 'migra', 'dist', 'command.js'), fromUrl, toUrl, '--unsafe'],
      okCodes: [0],
      clean: withoutPgPromiseWarning,
    },
    {
      name: 'pgdrift',
      label: 'pgdrift diff',
      args: [join(ctx.root, 'dist', 'cli.js'), 'diff', '--from', fromUrl, '--to', toUrl, '--format', 'sql'],
      okCodes: [0, 2],
      clean: (s) => s,
    },
  ];
  const scriptOf = (t: Tool): string => join(ctx.tmpDir, `e2e-${t.name}.sql`);
  const loadAverageBefore = ctx.loadAverage();
  const ticksStart = ctx.cpuTicks();
  const samples: ToolRun[] = [];
  const run = async (t: Tool, warmup: boolean): Promise<ToolRun> => {
    const r = await measure(t, ctx.tmpDir, scriptOf(t), warmup);
    samples.push(r);
    ctx.log(`bench: e2e ${ctx.pair}: ${warmup ? 'warm-up ' : ''}${t.name}: ${r.wallMs.toFixed(0)} ms, ${(r.maxRssBytes / 1048576).toFixed(1)} MiB, `
      + `exit ${r.exitCode}, ${r.statements} statements${r.error ? ` (${r.error})` : ''}`);
    return r;
  };

  // One warm-up each (server caches, file cache); a pgdrift without `diff` is measured no further.
  await run(tools[0]!, true);
  const pgdriftWarmup = await run(tools[1]!, true);
  const pgdriftAvailable = pgdriftWarmup.ok;
  const active = pgdriftAvailable ? tools : [tools[0]!];
  const runs = ctx.runs ?? E2E_RUNS;
  for (let i = 0; i < runs; i++) {
    // Alternate, and alternate who goes first, so drift in machine load falls on both.
    const order = i % 2 === 0 ? active : [...active].reverse();
    for (const t of order) await run(t, false);
  }
  const ticksEnd = ctx.cpuTicks();

  // Not timed: does each script turn a copy of "from" into "to"? (pgdrift's model fingerprint decides.)
  const fingerprints = { from: await ctx.fingerprintOf(fromUrl), to: await ctx.fingerprintOf(toUrl) };
  const apply: ApplyCheck[] = [];
  for (const t of active) {
    const last = samples.filter((s) => s.tool === t.name).at(-1)!;
    if (!last.ok) continue;
    const copy = `${ctx.fromDb}_apply_${t.name}`;
    await ctx.execute(ctx.url(), `DROP DATABASE IF EXISTS ${copy}`);
    await ctx.execute(ctx.url(), `CREATE DATABASE ${copy} TEMPLATE ${ctx.fromDb}`);
    try {
      await ctx.execute(ctx.url(copy), readFileSync(scriptOf(t), 'utf8'));
      const fingerprint = await ctx.fingerprintOf(ctx.url(copy));
      apply.push({ tool: t.name, applied: true, fingerprint, matchesTo: fingerprint === fingerprints.to });
    } catch (error) {
      apply.push({ tool: t.name, applied: false, error: error instanceof Error ? error.message : String(error), matchesTo: false });
    } finally {
      await ctx.execute(ctx.url(), `DROP DATABASE IF EXISTS ${copy}`);
    }
    const a = apply.at(-1)!;
    ctx.log(`bench: e2e ${ctx.pair}: ${t.name} script ${a.applied ? `applied; ${a.matchesTo ? 'copy now matches' : 'copy does NOT match'} "to"` : `failed: ${a.error}`}`);
  }

  const summaries = active.map((t): ToolSummary => {
    const runs = samples.filter((s) => s.tool === t.name && !s.warmup);
    const ok = runs.filter((s) => s.ok);
    const wall = ok.map((s) => s.wallMs);
    const rss = ok.map((s) => s.maxRssBytes);
    return {
      tool: t.name,
      label: t.label,
      okRuns: ok.length,
      failedRuns: runs.length - ok.length,
      wallMs: { median: medianOf(wall), min: Math.min(...wall), max: Math.max(...wall), runs: wall },
      maxRssBytes: { median: medianOf(rss), min: Math.min(...rss), max: Math.max(...rss) },
      cpuMsMedian: medianOf(ok.map((s) => s.userMs + s.systemMs)),
      scriptBytes: ok.at(-1)?.scriptBytes ?? 0,
      shape: scriptShape(existsSync(scriptOf(t)) ? readFileSync(scriptOf(t), 'utf8') : ''),
      exitCodes: [...new Set(runs.map((s) => s.exitCode))],
    };
  });
  const migra = summaries.find((s) => s.tool === 'migra')!;
  const pgdrift = summaries.find((s) => s.tool === 'pgdrift');
  const usable = pgdrift !== undefined && pgdrift.okRuns > 0 && pgdrift.shape.statements > 0;
  const ratios = usable
    ? {
      wallTime: migra.wallMs.median / pgdrift.wallMs.median,
      maxRss: migra.maxRssBytes.median / pgdrift.maxRssBytes.median,
      cpu: migra.cpuMsMedian / pgdrift.cpuMsMedian,
    }
    : undefined;
  const total = Math.max(1, ticksEnd[2]! - ticksStart[2]!);
  return {
    pair: ctx.pair,
    ...(ctx.tables !== undefined ? { tables: ctx.tables } : {}),
    from: ctx.fromDb,
    to: ctx.toDb,
    ...(ctx.variant ? { variant: ctx.variant } : {}),
    ...(ctx.variantGenerationMs !== undefined ? { variantGenerationMs: ctx.variantGenerationMs } : {}),
    rssMethod: rssMethod(),
    runsPerTool: runs,
    commands: Object.fromEntries(tools.map((t) => [t.name, `node ${t.args.map((a) => a.replace(ctx.root + '/', '')).join(' ')}`])),
    pgdriftAvailable,
    ...(pgdriftAvailable ? {} : { pgdriftUnavailableReason: `exit ${pgdriftWarmup.exitCode}: ${pgdriftWarmup.error ?? ''}` }),
    tools: summaries,
    ...(ratios ? { ratios } : {}),
    targets: {
      speedup: TARGET_SPEEDUP,
      speedupMet: ratios ? ratios.wallTime >= TARGET_SPEEDUP : null,
      rssBytes: TARGET_RSS_BYTES,
      rssMet: usable ? pgdrift.maxRssBytes.max < TARGET_RSS_BYTES : null,
      pgdriftMaxRssBytes: usable ? pgdrift.maxRssBytes.max : null,
    },
    fingerprints,
    apply,
    load: {
      loadAverageBefore: Number(loadAverageBefore.toFixed(2)),
      busyPercent: Number((100 - (100 * (ticksEnd[0]! - ticksStart[0]!)) / total).toFixed(1)),
      stealPercent: Number(((100 * (ticksEnd[1]! - ticksStart[1]!)) / total).toFixed(1)),
    },
    samples,
  };
}
