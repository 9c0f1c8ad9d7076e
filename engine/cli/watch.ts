// `pipe repro --watch`: run what is stale, then watch pipeline.yaml and every dependency on disk
// that no stage produces; after a change (debounced) run again, until interrupted. Outputs the
// run writes itself are never watched, so a run does not retrigger itself.
import { watch } from 'chokidar';
import { isAbsolute, join, relative } from 'node:path';
import { loadPipeline, PIPELINE_FILE } from './workspace.js';
import type { CliIO } from './io.js';
import { EXIT } from './io.js';
import type { StageGraph } from '../graph/model.js';
import { OutputIndex } from '../graph/paths.js';
import { repro, type ReproArgs } from './repro.js';

const DEBOUNCE_MS = 300;

/** Source paths of a pipeline: pipeline.yaml and the deps no stage produces. */
export function watchedPaths(graph: StageGraph): { paths: string[]; outputs: string[] } {
  const index = new OutputIndex();
  const outputs: string[] = [];
  for (const item of graph.items.values()) {
    for (const out of item.outs) {
      index.add(out, item.name);
      outputs.push(out);
    }
  }
  const sources = new Set<string>();
  for (const item of graph.items.values()) {
    for (const dep of item.deps) if (index.producersOf(dep).length === 0) sources.add(dep);
  }
  const abs = (p: string) => (isAbsolute(p) ? p : join(graph.workspace, p));
  return { paths: [join(graph.workspace, PIPELINE_FILE), ...[...sources].sort().map(abs)], outputs: outputs.map(abs) };
}

export async function reproWatch(io: CliIO, a: ReproArgs): Promise<number> {
  for (;;) {
    await repro(io, a);
    if (io.signal.aborted) return EXIT.interrupted;
    const loaded = await loadPipeline({ cwd: io.cwd, overrides: a.overrides, shipped: io.shipped, env: io.env });
    // A broken pipeline.yaml was reported by repro; keep watching the file so a fix reruns.
    const watched = loaded.ok ? watchedPaths(loaded.value) : { paths: [join(io.cwd, PIPELINE_FILE)], outputs: [] };
    const changed = await waitForChange(watched, io);
    if (!changed) return EXIT.interrupted;
    io.stderr(`\nchange detected: ${changed}; running again\n`);
  }
}

function waitForChange(w: { paths: string[]; outputs: string[] }, io: CliIO): Promise<string | undefined> {
  const insideOutput = (p: string) => w.outputs.some((o) => p === o || p.startsWith(`${o}/`));
  const watcher = watch(w.paths, {
    ignoreInitial: true,
    ignored: (p: string) => insideOutput(p) || p.includes('/.pipe/'),
    awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 50 },
  });
  return new Promise((resolve) => {
    // Announced only once the initial scan is done: a change made before that would be missed.
    watcher.on('ready', () => io.stderr(`watching ${w.paths.length} path${w.paths.length === 1 ? '' : 's'} for changes (Ctrl-C to stop)\n`));
    let timer: NodeJS.Timeout | undefined;
    let first: string | undefined;
    const done = (v: string | undefined) => {
      if (timer) clearTimeout(timer);
      io.signal.removeEventListener('abort', onAbort);
      void watcher.close().then(() => resolve(v));
    };
    const onAbort = () => done(undefined);
    io.signal.addEventListener('abort', onAbort, { once: true });
    watcher.on('all', (_event, path) => {
      first ??= relative(io.cwd, path) || path;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => done(first), DEBOUNCE_MS);
    });
  });
}
