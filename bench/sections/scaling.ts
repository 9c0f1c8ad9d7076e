// Two sessions through every stage with --jobs 1 and with --jobs 2, side by side in one
// workspace. --no-run-cache and deleted outputs make every run compute everything again instead
// of restoring it. All runs read warm page caches (the session files were just copied and
// hashed) and start after a sync (no write-back of the copies or of the previous run's outputs
// overlaps them), so the ratio is about CPU parallelism. With two rounds the order is 1, 2, 2, 1,
// so a slow spell of the shared machine weighs on both sides.
import { join } from 'node:path';
import type { PageCache } from '../lib/page-cache.js';
import type { SessionFile } from '../lib/sessions.js';
import { derivePipeline, repoPipelineText } from '../lib/pipeline-text.js';
import { pipe, ranItems, runSeconds, timeline, underusedSeconds } from '../lib/pipe-cli.js';
import { remove } from '../lib/fsx.js';
import { openWorkspace, type BenchWorkspace } from '../lib/workspace.js';
import { costOf, type ProcessCost, type ScalingResult, type TimelineItem } from '../report/results.js';
import { waitPastRacyWindow } from './dataset.js';

const SOURCE_STAGE = 'download';

export interface ScalingOptions {
  readonly workDir: string;
  readonly cacheDir: string;
  readonly sessions: readonly SessionFile[];
  readonly cache: PageCache;
  /** Rounds of one --jobs 1 and one --jobs 2 run each. */
  readonly rounds: number;
  readonly log: (s: string) => void;
}

/** Mean times over the rounds, the highest peak RSS. */
function mean(costs: readonly ProcessCost[]): ProcessCost {
  const avg = (xs: readonly (number | null)[]) => (xs.includes(null) ? null : (xs as number[]).reduce((a, b) => a + b, 0) / xs.length);
  const rss = costs.map((c) => c.rssMB);
  return {
    wallS: avg(costs.map((c) => c.wallS))!,
    cpuS: avg(costs.map((c) => c.cpuS)),
    rssMB: rss.includes(null) ? null : Math.max(...(rss as number[])),
    othersCpuS: avg(costs.map((c) => c.othersCpuS)),
  };
}

interface Run {
  readonly cost: ProcessCost;
  readonly timeline: TimelineItem[];
  readonly runS: number;
}

async function runAll(ws: BenchWorkspace, jobs: number, cache: PageCache): Promise<Run> {
  for (const g of ws.groups) if (g !== SOURCE_STAGE) for (const p of ws.outsOf(g)) remove(ws.path(p));
  // The previous run's outputs are still being written back otherwise.
  cache.flush();
  const r = await pipe({ cwd: ws.dir, args: ['repro', '--json', '--no-run-cache', '--jobs', String(jobs)], rusage: true });
  const expected = [...ws.graph.items.values()].filter((i) => i.group !== SOURCE_STAGE).length;
  if (ranItems(r.events).length !== expected) throw new Error(`scaling: --jobs ${jobs} ran ${ranItems(r.events).length} items, expected ${expected}`);
  return { cost: costOf(r), timeline: timeline(r.events), runS: runSeconds(r.events) };
}

export async function benchScaling(o: ScalingOptions): Promise<ScalingResult> {
  const ids = o.sessions.map((s) => s.id);
  const ws = await openWorkspace({
    dir: join(o.workDir, 'scaling'),
    pipelineText: derivePipeline(repoPipelineText(), { sessions: ids, localDir: o.cacheDir }),
    fresh: true,
  });
  o.log(`scaling: copying sessions ${ids.join(', ')} into the workspace`);
  await pipe({ cwd: ws.dir, args: ['repro', SOURCE_STAGE] });
  for (const p of ws.outsOf(SOURCE_STAGE)) await waitPastRacyWindow(ws.path(p));
  // Re-hashes the just-copied files once (see dataset.ts), so neither timed run pays for it.
  await pipe({ cwd: ws.dir, args: ['status'], okCodes: [0, 1] });
  o.cache.flush();

  const runs: Record<1 | 2, Run[]> = { 1: [], 2: [] };
  for (let round = 0; round < o.rounds; round++) {
    for (const jobs of round % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const)) {
      o.log(`scaling: every stage with --jobs ${jobs} (round ${round + 1} of ${o.rounds})`);
      runs[jobs].push(await runAll(ws, jobs, o.cache));
    }
  }
  const jobs1 = mean(runs[1].map((r) => r.cost));
  const jobs2 = mean(runs[2].map((r) => r.cost));
  const last2 = runs[2][runs[2].length - 1]!;
  return {
    sessions: ids,
    rounds: o.rounds,
    jobs1,
    jobs2,
    jobs1RunsS: runs[1].map((r) => r.cost.wallS),
    jobs2RunsS: runs[2].map((r) => r.cost.wallS),
    speedup: jobs1.wallS / jobs2.wallS,
    jobs2Timeline: last2.timeline,
    jobs2UnderusedS: underusedSeconds(last2.timeline, 2, last2.runS),
    jobs2RunS: last2.runS,
  };
}
