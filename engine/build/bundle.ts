// Build step (run by `npm run build` after tsc): bundles the CLI, dist/engine/cli/main.js and
// every module it can reach, into that one file. Node 20 spends ~3 ms resolving, reading and
// linking each ES module, and the CLI reaches ~80 of them before it does any work: a quarter of
// a no-op `pipe repro`. esbuild (a build-time dependency) does the bundling and drops what is not
// used (hash-wasm's 20 other algorithms).
//
// Modules keep their own `import.meta.url`: each occurrence is rewritten to the URL the module had
// before bundling (relative to the bundle, so the tree can move), so `new URL('./run.js',
// import.meta.url)` in a built-in's descriptor, createRequire() and the worker entry still point
// where they did. What the bundle does not contain is loaded from dist/ as before: built-ins'
// implementations (imported by URL, in worker threads or in process), the worker entry, and the
// heavy libraries only they use (h5wasm, apache-arrow). Those keep their own copies of the few
// engine modules they import, so nothing may depend on module identity across that line
// (isStageError checks a name, not a class).
import { build, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { packageRoot } from '../util/package.js';

const root = packageRoot();
const entry = join(root, 'dist/engine/cli/main.js');
/** Loaded at run time from node_modules, never bundled: large, and only built-ins use them. */
const EXTERNAL = ['h5wasm', 'h5wasm/*', 'apache-arrow', 'apache-arrow/*', 'chokidar', 'esbuild'];

const keepImportMetaUrl: Plugin = {
  name: 'keep-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.(m?js|cjs)$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'js' };
      const rel = relative(dirname(entry), args.path).split('\\').join('/');
      const own = `new URL(${JSON.stringify(rel.startsWith('.') ? rel : `./${rel}`)}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', own), loader: 'js' };
    });
  },
};

const result = await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // ES module builds where packages have them: only those can be tree-shaken.
  mainFields: ['module', 'main'],
  external: EXTERNAL,
  plugins: [keepImportMetaUrl],
  // The shebang of main.js is kept by esbuild; a require() for CommonJS dependencies is provided.
  banner: { js: "import { createRequire as __pipeCreateRequire } from 'node:module'; const require = __pipeCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
});
const inputs = Object.keys(result.metafile.inputs).length;
console.log(`bundled ${inputs} modules into ${relative(root, entry)} (${(await readFile(entry)).length} bytes)`);
