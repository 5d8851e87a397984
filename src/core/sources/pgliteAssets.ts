/**
 * The files PGlite runs from: the server and initdb compiled to WebAssembly, the file-system image
 * with PostgreSQL's share/ files (pglite.data), and one archive per contrib extension. In the
 * bundles (dist/cli.js, dist/extension.js) esbuild.mjs copies them into dist/pglite/; when the
 * sources run unbundled (tests, tsx) they are read from the installed package. pgdrift hands them
 * to PGlite itself rather than letting PGlite look beside its own module, which is the bundle and
 * not the package once bundled.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface PgliteAssets {
  dir: string;
  /** The compiled server (compiled once per process). */
  server: WebAssembly.Module;
  /** PostgreSQL's share/ files, as PGlite's Emscripten file system loads them. */
  fsBundle: Blob;
  /** Identifies this PGlite build: a data directory initialised by one build is reused only by it. */
  buildId: string;
  /** initdb, compiled on first use: only an empty data directory needs it. */
  initdb(): Promise<WebAssembly.Module>;
  extensionArchive(archive: string): URL;
}

/** The global WebAssembly object (the ES2022 lib the project compiles with declares only its types). */
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } }).WebAssembly;

let loading: Promise<PgliteAssets> | undefined;

export function pgliteAssets(): Promise<PgliteAssets> {
  loading ??= loadAssets(assetDir()).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

export function assetDir(): string {
  const bundled = join(__dirname, 'pglite');
  if (existsSync(join(bundled, 'pglite.wasm'))) return bundled;
  // Resolved at run time (not by the bundler): only reached when running unbundled.
  return dirname(createRequire(__filename).resolve('@electric-sql/pglite/pglite.wasm'));
}

async function loadAssets(dir: string): Promise<PgliteAssets> {
  const read = (file: string) => readFile(join(dir, file));
  const [serverWasm, data, initdbWasm] = await Promise.all([read('pglite.wasm'), read('pglite.data'), read('initdb.wasm')]);
  const hash = createHash('sha256');
  for (const bytes of [serverWasm, data, initdbWasm]) hash.update(bytes);
  let initdb: Promise<WebAssembly.Module> | undefined;
  return {
    dir,
    server: await wasm.compile(serverWasm),
    fsBundle: new Blob([data]),
    buildId: hash.digest('hex').slice(0, 16),
    initdb: () => (initdb ??= wasm.compile(initdbWasm)),
    extensionArchive: (archive) => pathToFileURL(join(dir, `${archive}.tar.gz`)),
  };
}
