// One session through the dataset stages, against the I/O floor.
//
// How the numbers are taken, and why:
// - The session file reaches the workspace through the pipeline's own `local` source (a copy, as
//   from a lab's cache). That copy is timed, but it is not part of "NWB → outputs".
// - After the copy, one `pipe status`: the engine hashed the new file within its racy-timestamp
//   window (stat-cache.ts: an entry is trusted only if the file's mtime was ≥ 2 s older than the
//   hash), so the next command hashes it once more. That one-off re-read happens after every
//   download; it is timed separately here so the pipeline figures do not depend on how fast the
//   benchmark happens to start the next command.
// - The pipeline: one `pipe repro` of every remaining stage, in one process, default --jobs, with
//   the page cache dropped first when possible (else at least flushed, so the copy's write-back
//   does not overlap it): the end-to-end figure compared with the floor.
// - Per stage: each stage (all its items) again as its own `pipe repro --no-run-cache <stage>`
//   process after deleting its outputs, so wall, CPU and peak RSS belong to that stage alone.
//   Built-ins run in that process or its worker threads, so its rusage covers them. Wall includes
//   the process start and the engine's checks (~0.3–0.6 s here); `stageS` is the engine-reported
//   time of the stage's items alone. These runs read warm caches (the data was just written),
//   each after a sync, so the previous stage's write-back does not land in it.
// - Context: the whole run again with `-S params.compression=none`, to show how much of the gap
//   to the floor is gzip (h5wasm's zlib, single-threaded wasm).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { binnedFacts } from '../lib/binned-facts.js';
import { MB, remove, sizeOf } from '../lib/fsx.js';
import type { PageCache } from '../lib/page-cache.js';
import { derivePipeline, repoPipelineText } from '../lib/pipeline-text.js';
import { cpus } from 'node:os';
import { pipe, ranItems, stageSeconds, timeline, underusedSeconds, runSeconds } from '../lib/pipe-cli.js';
import { sleep } from '../lib/proc.js';
import type { SessionFile } from '../lib/sessions.js';
import { openWorkspace, type BenchWorkspace } from '../lib/workspace.js';
import { costOf, type DatasetResult, type StageRow } from '../report/results.js';
import { measureFloor } from './floor.js';

/** The dataset's deliverables (stages/README.md): the per-stimulus files and the statistics. */
const FINAL_STAGES = ['write_h5', 'subset_natural_visual', 'statistics'];
const SOURCE_STAGE = 'download';
/** engine/hash/stat-cache.ts RACY_NS, plus margin. */
const RACY_WAIT_MS = 2500;

export interface DatasetOptions {
  readonly workDir: string;
  readonly cacheDir: string;
  readonly session: SessionFile;
  readonly cache: PageCache;
  readonly log: (s: string) => void;
}

function checkStages(ws: BenchWorkspace): void {
  for (const s of [SOURCE_STAGE, ...FINAL_STAGES]) {
    if (!ws.groups.includes(s)) throw new Error(`pipeline.yaml has no stage '${s}'; update bench/sections/dataset.ts`);
  }
}

/** Waits until the file's mtime is outside the stat cache's racy window. */
export async function waitPastRacyWindow(file: string): Promise<void> {
  const age = Date.now() - statSync(file).mtimeMs;
  if (age < RACY_WAIT_MS) await sleep(RACY_WAIT_MS - age);
}

export async function benchDataset(o: DatasetOptions): Promise<DatasetResult> {
  const id = o.session.id;
  const ws = await openWorkspace({
    dir: join(o.workDir, 'dataset'),
    pipelineText: derivePipeline(repoPipelineText(), { sessions: [id], localDir: o.cacheDir }),
    fresh: true,
  });
  checkStages(ws);
  const nwb = ws.path(ws.outsOf(SOURCE_STAGE)[0]!);

  o.log(`dataset: copying session ${id} into the workspace (pipe repro ${SOURCE_STAGE})`);
  const download = await pipe({ cwd: ws.dir, args: ['repro', '--json', SOURCE_STAGE], rusage: true });
  await waitPastRacyWindow(nwb);
  const post = await pipe({ cwd: ws.dir, args: ['status'], okCodes: [0, 1] });

  o.log(`dataset: pipe repro of every stage (${o.cache.cold ? 'cold' : 'warm'} page cache)`);
  o.cache.drop();
  const e2e = await pipe({ cwd: ws.dir, args: ['repro', '--json'], rusage: true });
  const expected = [...ws.graph.items.keys()].filter((n) => ws.graph.items.get(n)!.group !== SOURCE_STAGE);
  const ran = new Set(ranItems(e2e.events));
  const missing = expected.filter((n) => !ran.has(n));
  if (missing.length) throw new Error(`dataset: the pipeline run did not run ${missing.join(', ')}`);

  const stageGroups = ws.groups.filter((g) => g !== SOURCE_STAGE);
  const bytesOf = (g: string) => ws.outsOf(g).reduce((sum, p) => sum + sizeOf(ws.path(p)), 0);
  const finalBytes = FINAL_STAGES.reduce((sum, g) => sum + bytesOf(g), 0);
  const intermediateBytes = stageGroups.filter((g) => !FINAL_STAGES.includes(g)).reduce((sum, g) => sum + bytesOf(g), 0);
  const binnedDir = ws.outsOf('bin_spikes')[0];
  if (!binnedDir) throw new Error('pipeline.yaml has no bin_spikes output; update bench/sections/dataset.ts');
  const facts = binnedFacts(ws.path(binnedDir));
  const subset = (ws.graph.groups.get('subset_natural_visual') ?? []).map((n) => ws.graph.items.get(n)!);
  const subsetArgs = subset.map((i) => (i.action.kind === 'builtin' ? i.action.args : {})) as { stimulus_type?: string; structure_prefix?: string }[];
  const subsetCells = facts.cellsWithStructure(
    subsetArgs.map((a) => a.stimulus_type ?? ''),
    subsetArgs[0]?.structure_prefix ?? 'VIS',
  );

  o.log('dataset: the I/O floor');
  const { spikesKept, ...floor } = await measureFloor({
    nwb,
    finalBytes,
    intermediateBytes,
    keptUnitIds: facts.keptUnitIds,
    scratchDir: ws.dir,
    cache: o.cache,
  });

  const cellsOf: Record<string, number> = { bin_spikes: facts.cells, binarize: facts.cells, write_h5: facts.cells, subset_natural_visual: subsetCells };
  const spikesOf: Record<string, number> = { bin_spikes: spikesKept };
  const stages: StageRow[] = [];
  for (const g of stageGroups) {
    o.log(`dataset: stage ${g} on its own`);
    for (const p of ws.outsOf(g)) remove(ws.path(p));
    o.cache.flush();
    const r = await pipe({ cwd: ws.dir, args: ['repro', '--json', '--no-run-cache', g], rusage: true });
    const items = ws.graph.groups.get(g)!.length;
    if (ranItems(r.events).length !== items) throw new Error(`dataset: pipe repro ${g} ran ${ranItems(r.events).join(', ') || 'nothing'}; expected its ${items} item(s)`);
    const outBytes = bytesOf(g);
    const per = (n: number | undefined) => (n === undefined ? null : n / r.wallS);
    stages.push({
      stage: g,
      items,
      ...costOf(r),
      stageS: stageSeconds(r.events, g),
      outBytes,
      spikesPerS: per(spikesOf[g]),
      cellsPerS: per(cellsOf[g]),
      outMBPerS: outBytes / MB / r.wallS,
    });
  }

  o.log('dataset: pipe repro of every stage again, with -S params.compression=none (context)');
  for (const g of stageGroups) for (const p of ws.outsOf(g)) remove(ws.path(p));
  o.cache.drop();
  const none = await pipe({ cwd: ws.dir, args: ['repro', '--json', '--no-run-cache', '-S', 'params.compression=none'], rusage: true });
  if (ranItems(none.events).length !== expected.length) throw new Error('dataset: the uncompressed run did not run every stage');
  const uncompressed = { ...costOf(none), finalOutputBytes: FINAL_STAGES.reduce((sum, g) => sum + bytesOf(g), 0) };

  return {
    session: id,
    nwbBytes: o.session.bytes,
    coldCache: o.cache.cold,
    spikesTotal: floor.spikesRead,
    spikesKept,
    outputCells: facts.cells,
    finalOutputBytes: finalBytes,
    intermediateBytes,
    download: { ...costOf(download), mbPerS: o.session.bytes / MB / download.wallS },
    postDownloadStatusS: post.wallS,
    pipeline: {
      ...costOf(e2e),
      spikesPerS: floor.spikesRead / e2e.wallS,
      cellsPerS: facts.cells / e2e.wallS,
      outMBPerS: (finalBytes + intermediateBytes) / MB / e2e.wallS,
      timeline: timeline(e2e.events),
      // Default --jobs is the number of cores.
      underusedS: underusedSeconds(timeline(e2e.events), cpus().length, runSeconds(e2e.events)),
      runS: runSeconds(e2e.events),
    },
    stages,
    uncompressed,
    floor,
    pipelineToFloor: e2e.wallS / floor.floorS,
  };
}
