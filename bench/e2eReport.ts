/**
 * The report's part on the end-to-end comparison (bench/e2e.ts): the target lines of the
 * 1,000-table pair, a section per pair (generated sizes, the ERP fixtures), and how it was taken.
 */
import type { EndToEndResult } from './e2e';

const msText = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const mibText = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const kibText = (bytes: number): string => (bytes / 1024).toFixed(0);
const TABLE_CHANGES = ['add-column', 'drop-column', 'change-type', 'change-index', 'change-check'];

/** The targets' lines for the report's summary (the targets were set on the 1,000-table pair). */
export function endToEndTargetLines(e: EndToEndResult): string[] {
  const pg = e.tools.find((t) => t.tool === 'pgdrift');
  const size = `${(e.tables ?? 0).toLocaleString('en')} tables, ~10% changed`;
  if (!e.ratios || !pg) {
    return [`- End to end (${size}): pgdrift at least ${e.targets.speedup}x faster than @pgkit/migra`
      + ` and under ${e.targets.rssBytes / 1e6} MB peak RSS: **not measured**, pgdrift \`diff\` did not produce a script`
      + ` (${e.pgdriftUnavailableReason ?? `${pg?.okRuns ?? 0} successful runs, ${pg?.shape.statements ?? 0} statements`}).`];
  }
  return [
    `- End to end (${size}), pgdrift at least ${e.targets.speedup}x faster than @pgkit/migra:`
      + ` ${e.ratios.wallTime.toFixed(1)}x (medians ${msText(pg.wallMs.median)} ms against ${msText(e.tools.find((t) => t.tool === 'migra')!.wallMs.median)} ms),`
      + ` **${e.targets.speedupMet ? 'met' : 'not met'}**.`,
    `- End to end, pgdrift under ${e.targets.rssBytes / 1e6} MB peak RSS: ${(pg.maxRssBytes.max / 1e6).toFixed(1)} MB`
      + ` (${mibText(pg.maxRssBytes.max)} MiB, largest of the runs), **${e.targets.rssMet ? 'met' : 'not met'}**.`,
  ];
}

/** What the pair is: the generated schema and its variant, or the ERP fixtures. */
function pairText(e: EndToEndResult): string {
  const v = e.variant;
  if (e.tables === undefined || !v) {
    return `The ERP fixtures: test/fixtures/erp/from.sql (\`${e.from}\`, with its rows) against to.sql (\`${e.to}\`), each loaded into its own database.`
      + ' Neither tool is given options. The pair holds rows a plain script cannot carry (one `OvertimeSettings.id` is `\'default\'`,'
      + ' not a uuid; test/fixtures/erp/README.md): pgdrift\'s default plan reports that as a blocking hazard, and its script, applied as is,'
      + ' fails on it; it also backs up the rows of the dropped columns first (the extra CREATE SCHEMA and CREATE TABLE).'
      + ' What stops migra\'s script, if anything, is shown below.';
  }
  const changedTables = TABLE_CHANGES.reduce((n, k) => n + (v[k] ?? 0), 0);
  return `"From" is the generator's ${e.tables.toLocaleString('en')}-table schema (\`${e.from}\`, bench/schema.ts, the one introspected above);`
    + ` "to" (\`${e.to}\`) is its deterministic variant (\`generateVariantSchema\`, chosen by table number, no randomness): ${changedTables} tables changed`
    + ` (${TABLE_CHANGES.map((k) => `${v[k] ?? 0} ${k}`).join(', ')}),`
    + ` ${v['add-table'] ?? 0} tables added, ${v['add-view'] ?? 0} views added, ${v['change-view'] ?? 0} changed (a column added), ${v['drop-view'] ?? 0} dropped.`
    + (e.variantGenerationMs !== undefined ? ` Building the variant took ${(e.variantGenerationMs / 1000).toFixed(1)} s (not measured).` : '');
}

/** The report's section on one pair. */
export function endToEndSection(e: EndToEndResult): string[] {
  const pg = e.tools.find((t) => t.tool === 'pgdrift');
  const kinds = [...new Set(e.tools.flatMap((t) => Object.keys(t.shape.kinds)))].sort();
  const order = e.samples.filter((s) => !s.warmup).map((s) => s.tool);
  return [
    `## End to end, ${e.pair}: pgdrift against @pgkit/migra`,
    '',
    `${pairText(e)} Both tools print the SQL that turns the first into the second; each run is a fresh Node process started as a user starts it:`,
    '',
    ...Object.entries(e.commands).map(([name, cmd]) => `- ${name}: \`${cmd.replace(/postgres:\/\/[^ ]+\/(\w+)/g, '<$1 url>')}\``),
    '',
    ...(e.ratios && pg
      ? [
        `**pgdrift is ${e.ratios.wallTime.toFixed(1)}x faster than @pgkit/migra end to end (median wall time), and peaks at`
          + ` ${(e.ratios.maxRss).toFixed(1)}x less memory (median peak RSS); ${e.ratios.cpu.toFixed(1)}x less CPU time.**`,
      ]
      : [`**pgdrift \`diff\` not measured**: ${e.pgdriftUnavailableReason ?? 'it produced no script'}; @pgkit/migra alone below.`]),
    '',
    `| Tool | Wall time median (min – max) | Peak RSS median (min – max) | CPU time median (user + system) | Exit codes | Runs OK | Script | Statements |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...e.tools.map((t) => `| ${t.label} | ${msText(t.wallMs.median)} ms (${msText(t.wallMs.min)} – ${msText(t.wallMs.max)}) `
      + `| ${mibText(t.maxRssBytes.median)} MiB (${mibText(t.maxRssBytes.min)} – ${mibText(t.maxRssBytes.max)}) | ${msText(t.cpuMsMedian)} ms `
      + `| ${t.exitCodes.join(', ')} | ${t.okRuns} of ${t.okRuns + t.failedRuns} | ${kibText(t.scriptBytes)} KiB | ${t.shape.statements} |`),
    ...(e.ratios ? [`| **migra / pgdrift** | **${e.ratios.wallTime.toFixed(2)}x** | **${e.ratios.maxRss.toFixed(2)}x** | **${e.ratios.cpu.toFixed(2)}x** | | | | |`] : []),
    '',
    `Wall times of the ${e.runsPerTool} measured runs per tool in the order taken (${order.join(', ')}):`,
    '',
    ...e.tools.map((t) => `- ${t.tool}: ${e.samples.filter((s) => s.tool === t.tool && !s.warmup).map((s) => `${msText(s.wallMs)} ms${s.ok ? '' : ' (failed)'}`).join(', ')}`),
    '',
    `Load: 1-minute load average ${e.load.loadAverageBefore} before this pair; while it ran all CPUs were ${e.load.busyPercent}% busy`
      + ` (both tools, the PostgreSQL server and anything else on the machine) and ${e.load.stealPercent}% of CPU time was stolen by the hypervisor.`,
    '',
    '### What each script does',
    '',
    'Statements of the last run\'s script, by kind (split at semicolons outside quotes and comments):',
    '',
    `| Kind | ${e.tools.map((t) => t.tool).join(' | ')} |`,
    `| --- | ${e.tools.map(() => '---').join(' | ')} |`,
    ...kinds.map((k) => `| ${k} | ${e.tools.map((t) => t.shape.kinds[k] ?? 0).join(' | ')} |`),
    `| **total** | ${e.tools.map((t) => `**${t.shape.statements}**`).join(' | ')} |`,
    '',
    'Applied to a copy of the "from" database (`CREATE DATABASE … TEMPLATE`), as one multi-statement query, then introspected by pgdrift;'
      + ` the copy should then have the "to" database's model fingerprint (${e.fingerprints.to.slice(0, 19)}…; "from" is ${e.fingerprints.from.slice(0, 19)}…):`,
    '',
    ...e.tools.map((t) => {
      const a = e.apply.find((x) => x.tool === t.tool);
      if (!a) return `- ${t.tool}: not applied (no successful run).`;
      return a.applied
        ? `- ${t.tool}: applied without error; the copy ${a.matchesTo ? '**matches** "to"' : `does **not** match "to" (${a.fingerprint?.slice(0, 19)}…)`}.`
        : `- ${t.tool}: **failed to apply**: ${a.error}`;
    }),
    '',
  ];
}

/** How every pair was compared: once, after the pairs' sections. */
export function endToEndMethodSection(pairs: readonly EndToEndResult[]): string[] {
  const e = pairs[0];
  if (!e) return [];
  return [
    '## How the end-to-end comparisons were taken',
    '',
    `- Per pair and tool: 1 warm-up run (discarded), then the measured runs (${pairs.map((p) => `${p.pair}: ${p.runsPerTool}`).join('; ')}),`
      + ' the two tools taking turns and swapping who goes first each round.'
      + ' Stdout goes to a file (bench/tmp/e2e-<tool>.sql); success is exit 0 for migra and 0 or 2 ("differences found") for pgdrift.'
      + ' Medians, min and max are over the successful measured runs.',
    '- Wall time: from spawning the process to its exit, measured by the benchmark (Node start, connecting, reading both catalogs, diffing, printing).',
    `- Peak RSS and CPU time: ${e.rssMethod === 'time'
      ? '`/usr/bin/time -f "%M %U %S"` around the node process (maximum resident set size of the node process)'
      : '`process.resourceUsage()` reported at exit by a `--require` hook in the child'}. Both tools run under the same Node and measurement.`,
    '- The migra CLI prints a pg-promise warning ("Creating a duplicate database object for the same connection", with a stack) on stdout'
      + ' before the script; it is stripped before counting and applying, and the figures include it.',
    '- Other work slows both tools; the ratio is the figure to compare across runs, and machine noise here is ±10–30%.',
    '',
  ];
}
