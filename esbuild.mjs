// The one build script: extension host bundle, CLI bundle, (when present) webview bundles, and with
// --tests the integration test bundles.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// --tests: only the integration test bundles (see testTargets below), nothing in dist/.
const tests = process.argv.includes('--tests');

/**
 * node-postgres decides at load time whether it runs in a Cloudflare Worker by constructing a
 * fetch Response, which on Node 20 (no `navigator`) loads Node's bundled undici: 30-200 ms of every
 * CLI start. Our bundles run only in Node, so the check is compiled out. The build fails if the
 * code it patches changes, rather than silently keeping the cost.
 */
const nodeOnlyPg = {
  name: 'node-only-pg',
  setup(build) {
    build.onLoad({ filter: /[\\/]pg[\\/]lib[\\/]stream\.js$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const source = await readFile(args.path, 'utf8');
      const patched = source.replace('if (isCloudflareRuntime()) {', 'if (false) {');
      if (patched === source) return { errors: [{ text: `${args.path}: isCloudflareRuntime() check not found; review the node-only-pg patch` }] };
      return { contents: patched, loader: 'js' };
    });
  },
};

/**
 * PGlite ships an ES module build and a CommonJS one. Our bundles are CommonJS, where the ES build's
 * `import.meta.url` (which it uses to find its files and to create a require) is undefined, so
 * its imports resolve as requires do: to the CommonJS build, made for Node.
 */
const pgliteAsCommonJs = {
  name: 'pglite-as-commonjs',
  setup(build) {
    build.onResolve({ filter: /^@electric-sql\/pglite(\/|$)/ }, (args) => {
      if ((args.kind !== 'import-statement' && args.kind !== 'dynamic-import') || args.pluginData === 'pglite-cjs') return undefined;
      return build.resolve(args.path, { kind: 'require-call', resolveDir: args.resolveDir, importer: args.importer, pluginData: 'pglite-cjs' });
    });
  },
};

/**
 * ssh2 tries two optional native add-ons (its AES-GCM/ChaCha20 binding and cpu-features) inside
 * try/catch and falls back to Node's crypto without them. esbuild cannot bundle a `.node` file, so
 * those requires stay external: from dist/ they do not resolve, and ssh2 takes its fallback.
 */
const optionalNativeAddons = {
  name: 'optional-native-addons',
  setup(build) {
    build.onResolve({ filter: /\.node$/ }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: /^cpu-features$/ }, (args) => ({ path: args.path, external: true }));
  },
};

const common = {
  bundle: true,
  plugins: [nodeOnlyPg, pgliteAsCommonJs, optionalNativeAddons],
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const targets = [
  {
    ...common,
    entryPoints: { extension: 'src/extension/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'pg-native'],
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/index.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['pg-native'],
    banner: { js: '#!/usr/bin/env node' },
  },
];

// Webview bundles run in the browser sandbox of a VS Code panel; each panel adds its entry here
// (dist/webview/<name>.js, and <name>.css from the CSS its script imports).
const webviewEntries = Object.fromEntries(Object.entries({ phases: 'webview/phases/main.ts' }).filter(([, entry]) => existsSync(entry)));
if (Object.keys(webviewEntries).length > 0) {
  targets.push({
    ...common,
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

/**
 * The integration suites run inside VS Code next to the installed .vsix (test/vscode/run.ts): the
 * test-runner extension and one bundle per suite, in .cache/vscode-tests/runner/ with the runner's
 * package.json. mocha stays external: the runner requires it from the checkout's node_modules (the
 * folder is inside the checkout) and the suites get describe/it from it as globals.
 */
const testsOut = '.cache/vscode-tests/runner';
const testTargets = [
  {
    ...common,
    entryPoints: { extension: 'test/vscode/runner/extension.ts' },
    outdir: testsOut,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
  },
  {
    ...common,
    entryPoints: readdirSync('test/vscode/suites').filter((f) => f.endsWith('.test.ts')).map((f) => join('test/vscode/suites', f)),
    outdir: join(testsOut, 'suites'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha', 'pg-native'],
    // Fixtures a suite loads into its databases (test/fixtures/erp/*.sql) travel inside its bundle.
    loader: { '.sql': 'text' },
  },
];
if (tests) {
  rmSync(testsOut, { recursive: true, force: true });
  mkdirSync(testsOut, { recursive: true });
  copyFileSync('test/vscode/runner/package.json', join(testsOut, 'package.json'));
  await Promise.all(testTargets.map((t) => esbuild.build(t)));
  process.exit(0);
}

/**
 * libpg-query (the PostgreSQL parser `check` uses) is bundled, but its WebAssembly module is a
 * separate file that the bundled loader looks for next to the bundle (`__dirname`), so it is
 * copied into dist/ beside cli.js and extension.js. It is loaded only when a statement is parsed.
 */
mkdirSync('dist', { recursive: true });
const require = createRequire(import.meta.url);
copyFileSync(require.resolve('libpg-query/wasm/libpg-query.wasm'), 'dist/libpg-query.wasm');

/**
 * sql.js (SQLite compiled to WebAssembly, for SQLite from-sources) is bundled the same way: its
 * module sql-wasm.wasm is copied beside the bundles, where src/core/sqlite/open.ts reads it and
 * hands its bytes to sql.js. It is loaded only when a SQLite file is read.
 */
copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), 'dist/sql-wasm.wasm');

/**
 * PGlite (the embedded PostgreSQL that SQL-file sources load into) is bundled too, but it runs
 * from files: the server and initdb as WebAssembly, PostgreSQL's share/ files (pglite.data) and one
 * archive per contrib extension. They are copied into dist/pglite/, where
 * src/core/sources/pgliteAssets.ts looks for them beside the bundle and hands them to PGlite.
 */
const pgliteDir = dirname(require.resolve('@electric-sql/pglite/pglite.wasm'));
mkdirSync('dist/pglite', { recursive: true });
for (const file of readdirSync(pgliteDir)) {
  if (['pglite.wasm', 'initdb.wasm', 'pglite.data'].includes(file) || file.endsWith('.tar.gz')) copyFileSync(join(pgliteDir, file), join('dist/pglite', file));
}

/**
 * The codicon font the webview's buttons draw their icons with (@vscode-elements/elements reads it
 * from the page's link with id vscode-codicon-stylesheet), beside the webview bundles.
 */
if (Object.keys(webviewEntries).length > 0) {
  mkdirSync('dist/webview', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(require.resolve(`@vscode/codicons/dist/${file}`), join('dist/webview', file));
}

if (watch) {
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
}
