// The engine on a large generated DAG (10,000 stage items by default): analysis alone (`pipe
// dag`), analysis + planning before any run (`pipe repro --dry`), and `pipe status` / a no-op
// `pipe repro` once everything is up to date. For context, a real full run of a smaller DAG of
// the same shape (see dag-state.ts for why the large one is not run in full).
import { join } from 'node:path';
import { dagPipelineText, outputContent, type DagShape } from '../lib/dag-pipeline.js';
import { writeFullRunState } from '../lib/dag-state.js';
import { pipe, ranItems } from '../lib/pipe-cli.js';
import { sleep } from '../lib/proc.js';
import { timePipe } from '../lib/timing.js';
import { openWorkspace } from '../lib/workspace.js';
import type { EngineResult } from '../report/results.js';

export interface DagOptions {
  readonly workDir: string;
  readonly shape: DagShape;
  /** The shape of the DAG that is run in full for real. */
  readonly fullRunShape: DagShape;
  readonly runs: number;
  readonly log: (s: string) => void;
}

/** The stat cache's racy window (engine/hash/stat-cache.ts), plus margin. */
const RACY_WAIT_MS = 2500;

function contentOf(item: string): string {
  const m = /^s(\d+)@(.+)$/.exec(item);
  if (!m) throw new Error(`dag: unexpected item name ${item}`);
  return outputContent(Number(m[1]), m[2]!);
}

async function fullRun(o: DagOptions): Promise<EngineResult['dag']['fullRun']> {
  const ws = await openWorkspace({ dir: join(o.workDir, 'dag-full-run'), pipelineText: dagPipelineText(o.fullRunShape), fresh: true });
  o.log(`engine: full pipe repro of a ${ws.graph.items.size}-item DAG`);
  const r = await pipe({ cwd: ws.dir, args: ['repro', '--json'], rusage: true });
  if (ranItems(r.events).length !== ws.graph.items.size) throw new Error('dag: the full run did not run every item');
  await sleep(RACY_WAIT_MS);
  await pipe({ cwd: ws.dir, args: ['status'] });
  const status = await timePipe({ cwd: ws.dir, args: ['status'], runs: o.runs });
  return { items: ws.graph.items.size, wallS: r.wallS, cpuS: r.cpuS, status };
}

export async function benchDag(o: DagOptions): Promise<EngineResult['dag']> {
  const ws = await openWorkspace({ dir: join(o.workDir, 'dag'), pipelineText: dagPipelineText(o.shape), fresh: true });
  const items = ws.graph.items.size;
  o.log(`engine: ${items}-item DAG: pipe dag and pipe repro --dry before any run`);
  const dag = await timePipe({ cwd: ws.dir, args: ['dag'], runs: o.runs });
  const dryBeforeRun = await timePipe({ cwd: ws.dir, args: ['repro', '--dry'], runs: o.runs });

  o.log(`engine: ${items}-item DAG: writing the after-a-full-run state`);
  const t0 = performance.now();
  await writeFullRunState(ws.graph, contentOf);
  const stateSetupS = (performance.now() - t0) / 1000;
  // Entries hashed within the racy window are re-hashed (then trusted) by the next command; the
  // untimed first status does that, and exits 1 if the state is not what a full run leaves.
  await sleep(RACY_WAIT_MS);
  await pipe({ cwd: ws.dir, args: ['status'], what: 'pipe status on the generated full-run state (must be up to date)' });

  o.log(`engine: ${items}-item DAG: pipe status and no-op pipe repro`);
  const status = await timePipe({ cwd: ws.dir, args: ['status'], runs: o.runs });
  const noopRepro = await timePipe({ cwd: ws.dir, args: ['repro'], runs: o.runs });
  return {
    items,
    yamlStages: o.shape.chain,
    dag,
    dryBeforeRun,
    stateSetupS,
    status,
    noopRepro,
    fullRun: await fullRun(o),
  };
}
