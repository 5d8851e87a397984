/**
 * `--write` of a benchmark run on its own: replaces its section in bench/RESULTS.md (from its
 * heading up to the next "## " heading, or the end), its lines under "## Targets", and its key in
 * bench/results.json; every other figure stays as the last `npm run bench` wrote it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
