// The engine's fixed cost on a pipeline of the published dataset's size: the repository's own
// pipeline.yaml over all 58 published sessions, with tiny synthetic inputs (the stage graph, the
// lock file and the number of files to re-check are those of the real dataset; only the bytes
// are small). Built once, reused while `pipe status` says it is up to date; then a no-op
// `pipe repro` and `pipe status` are timed.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { derivePipeline, repoPipelineText } from '../lib/pipeline-text.js';
import { pipe, ranItems, ROOT } from '../lib/pipe-cli.js';
import { sleep } from '../lib/proc.js';
import { timePipe } from '../lib/timing.js';
import { openWorkspace } from '../lib/workspace.js';
import type { EngineResult } from '../report/results.js';

export interface SessionsPipelineOptions {
  readonly workDir: string;
  /** How many of the published sessions (58 = all). */
  readonly sessions: number;
  readonly scale: number;
  readonly runs: number;
  readonly log: (s: string) => void;
}

export function publishedSessionIds(): number[] {
  const table = JSON.parse(readFileSync(join(ROOT, 'stages/allen/published-sessions.json'), 'utf8')) as { sessions: { sessionId: number }[] };
  return table.sessions.map((s) => s.sessionId);
}

export async function benchSessionsPipeline(o: SessionsPipelineOptions): Promise<EngineResult['sessionsPipeline']> {
  const ids = publishedSessionIds().slice(0, o.sessions);
  const ws = await openWorkspace({
    dir: join(o.workDir, `pipeline-${ids.length}-sessions`),
    pipelineText: derivePipeline(repoPipelineText(), { sessions: ids, syntheticScale: o.scale }),
    fresh: false,
  });
  let buildS: number | null = null;
  const before = await pipe({ cwd: ws.dir, args: ['status'], okCodes: [0, 1] });
  if (before.code !== 0) {
    o.log(`engine: building the ${ids.length}-session pipeline at scale ${o.scale} (once; later runs reuse it)`);
    buildS = (await pipe({ cwd: ws.dir, args: ['repro'] })).wallS;
    // Outputs hashed within the stat cache's racy window are re-hashed by the next command (and
    // then trusted): let that happen in an untimed warm-up run.
    await sleep(2500);
  }
  const warm = await pipe({ cwd: ws.dir, args: ['repro', '--json'] });
  const ran = ranItems(warm.events);
  if (ran.length) throw new Error(`engine: the ${ids.length}-session pipeline was not up to date after building: ${ran.slice(0, 5).join(', ')} ran`);

  o.log(`engine: no-op pipe repro and pipe status on ${ws.graph.items.size} items`);
  const noopRepro = await timePipe({ cwd: ws.dir, args: ['repro'], runs: o.runs });
  const status = await timePipe({ cwd: ws.dir, args: ['status'], runs: o.runs });
  return { sessions: ids.length, items: ws.graph.items.size, syntheticScale: o.scale, buildS, noopRepro, status };
}
