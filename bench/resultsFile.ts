/**
 * `--write` of a benchmark run on its own: replaces its section in bench/RESULTS.md (from its
 * heading up to the next "## " heading, or the end), its lines under "## Targets", and its key in
 * bench/results.json; every other figure stays as the last `npm run bench` wrote it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchSection {
  /** The section's "## …" heading, its first line. */
  heading: string;
  /** Lines under "## Targets" starting with one of these belong to this benchmark. */
  targetPrefixes: readonly string[];
  section: readonly string[];
  targetLines: readonly string[];
  /** Its key in results.json. */
  jsonKey: string;
  value: unknown;
}

export function writeBenchSection(root: string, s: BenchSection): void {
  const mdPath = join(root, 'bench', 'RESULTS.md');
  let md = existsSync(mdPath) ? readFileSync(mdPath, 'utf8') : '# Benchmark\n';
  const section = s.section.join('\n');
  const start = md.indexOf(s.heading);
  if (start < 0) md = `${md.replace(/\n*$/, '\n\n')}${section}`;
  else {
    const m = /\n## /.exec(md.slice(start + s.heading.length));
    md = `${md.slice(0, start)}${section}${m ? `\n${md.slice(start + s.heading.length + m.index + 1)}` : ''}`;
  }
  // Target lines are replaced only above the section, whose own text may start the same way.
  const at = md.indexOf(s.heading);
  const lines = md.slice(0, at).split('\n').filter((l) => !s.targetPrefixes.some((p) => l.startsWith(p)));
  const targets = lines.indexOf('## Targets');
  if (targets >= 0) {
    let end = targets + 2;
    while (lines[end]?.startsWith('- ')) end++;
    lines.splice(end, 0, ...s.targetLines);
  }
  writeFileSync(mdPath, `${lines.join('\n')}${md.slice(at)}`);
  const jsonPath = join(root, 'bench', 'results.json');
  if (existsSync(jsonPath)) {
    const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>;
    json[s.jsonKey] = s.value;
    writeFileSync(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
  }
}

/** A benchmark that runs on its own (`npx tsx bench/<name>.ts`), as `runStandalone` needs it. */
export interface StandaloneBench<R> {
  /** Its name in messages and its figures' file, bench/tmp/<name>.json. */
  name: string;
  /** bench/tmp. */
  tmp: string;
  run: () => Promise<R>;
  /** Its section of bench/RESULTS.md, printed after a run. */
  section: (result: R) => readonly string[];
  /** `--write`: the section, its target lines and its key in results.json (writeBenchSection). */
  write: (result: R) => void;
}

/**
 * A benchmark's entry point: runs it, keeps its figures in bench/tmp/<name>.json and prints its
 * section; `--write` also writes them into bench/RESULTS.md and bench/results.json, `--rewrite`
 * writes the kept figures again without running (after a change to the text). An error is printed
 * as `bench: <name>: …` and sets the exit code to 1.
 */
export function runStandalone<R>(b: StandaloneBench<R>): void {
  const file = join(b.tmp, `${b.name}.json`);
  const main = async (): Promise<void> => {
    if (process.argv.includes('--rewrite')) {
      b.write(JSON.parse(readFileSync(file, 'utf8')) as R);
      return;
    }
    const result = await b.run();
    mkdirSync(b.tmp, { recursive: true });
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(b.section(result).join('\n'));
    if (process.argv.includes('--write')) {
      b.write(result);
      console.log(`bench: ${b.name}: wrote the section into bench/RESULTS.md and bench/results.json`);
    }
  };
  main().catch((error: unknown) => {
    console.error(`bench: ${b.name}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
