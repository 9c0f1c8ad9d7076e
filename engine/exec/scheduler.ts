// Executes the selected stage items in dependency order, up to `jobs` at a time.
//
// Freshness is decided lazily, when an item's upstream items have all finished, from the content
// its deps have *then*. That is what gives early cutoff: an upstream item that reran and wrote
// byte-identical outputs leaves its downstream fresh, because their dep hashes still match.
import pLimit from 'p-limit';
import heapModule from 'mnemonist/heap.js';
import type { StageGraph } from '../graph/model.js';
import type { Logger } from '../events.js';
import type { LockWriter } from '../lock/lockfile.js';
import type { PathHasher } from '../hash/tree.js';
import { assess } from '../plan/assess.js';
import { describeReason } from '../plan/reasons.js';
import type { RunCache } from '../cache/run-cache.js';
import { localExecutor, type Executor } from './executor.js';
import { updateItem } from './update-item.js';
import type { ProcessRegistry } from './orphans.js';

export interface ExecuteOptions {
  readonly graph: StageGraph;
  /** Items to consider, upstream first. */
  readonly selected: readonly string[];
  readonly lock: LockWriter;
  readonly hasher: PathHasher;
  readonly logger: Logger;
  readonly jobs: number;
  readonly force: boolean;
  readonly keepGoing: boolean;
  readonly signal: AbortSignal;
  readonly env?: NodeJS.ProcessEnv;
  readonly executor?: Executor;
  /** Absent: outputs are neither restored from nor stored in the cache. */
  readonly runCache?: RunCache;
  readonly registry?: ProcessRegistry;
  /** Expected duration of an item in ms, from past runs (undefined: unknown). Orders ready items. */
  readonly expected?: (item: string) => number | undefined;
}

export interface RunSummary {
  readonly ok: boolean;
  readonly ran: number;
  readonly restored: number;
  readonly fresh: number;
  readonly failed: number;
  readonly skipped: number;
  readonly interrupted: boolean;
  readonly durationMs: number;
}

// mnemonist is CommonJS: the default import is its module.exports, the Heap class, which its
// typings describe as the namespace's `default`.
const Heap = heapModule as unknown as typeof heapModule.default;

type Result = 'fresh' | 'done' | 'restored' | 'failed' | 'skipped';
type State = 'waiting' | 'queued' | Result;

export async function execute(o: ExecuteOptions): Promise<RunSummary> {
  const t0 = performance.now();
  const { graph, logger } = o;
  const selected = new Set(o.selected);
  const state = new Map<string, State>();
  const waitingOn = new Map<string, number>();
  for (const name of o.selected) {
    state.set(name, 'waiting');
    waitingOn.set(name, graph.graph.inNeighbors(name).filter((p) => selected.has(p)).length);
  }
  const limit = pLimit(Math.max(1, o.jobs));
  // Which ready item a free job slot takes: the one with the longest expected path to the end of
  // the run (its own expected duration plus its longest chain of selected descendants), so long
  // chains and long items start first and the run does not end with one core busy on an item
  // that could have started earlier. Unknown durations count as 0, so without history the order
  // is the order in which items became ready, as before.
  const rank = longestPaths(o, selected);
  let seq = 0;
  const ready = new Heap<{ readonly name: string; readonly rank: number; readonly seq: number }>((a, b) => b.rank - a.rank || a.seq - b.seq);
  let firstFailure: string | undefined;
  const counts = { ran: 0, restored: 0, fresh: 0, failed: 0, skipped: 0 };
  logger.event({ type: 'run-start', stages: o.selected.length, jobs: o.jobs, dry: false });

  const skipDescendants = (name: string) => {
    const stack = [name];
    while (stack.length) {
      for (const child of graph.graph.outNeighbors(stack.pop()!)) {
        if (!selected.has(child) || state.get(child) === 'skipped') continue;
        state.set(child, 'skipped');
        counts.skipped++;
        logger.event({ type: 'stage-skipped', stage: child, because: `upstream ${name} failed` });
        stack.push(child);
      }
    }
  };

  const processItem = async (name: string): Promise<Result> => {
    if (o.signal.aborted || (firstFailure && !o.keepGoing)) return 'skipped';
    const item = graph.items.get(name)!;
    const entry = o.lock.get(name);
    const { reasons, deps } = await assess(item, entry, { hasher: o.hasher, force: o.force, signal: o.signal, interrupted: o.lock.wasInterrupted(name) });
    if (reasons.length === 0) {
      logger.event({ type: 'stage-fresh', stage: name });
      return 'fresh';
    }
    if (o.signal.aborted) return 'skipped';
    logger.event({ type: 'stage-start', stage: name, reasons, reasonText: reasons.map(describeReason) });
    const started = performance.now();
    // Marked running before anything is touched: if we die mid-run, the item stays stale.
    o.lock.begin(name);
    const result = await updateItem({
      item,
      deps,
      workspace: graph.workspace,
      hasher: o.hasher,
      executor: o.executor ?? localExecutor,
      logger,
      signal: o.signal,
      runCache: o.runCache,
      force: o.force,
      env: o.env,
      registry: o.registry,
      previous: entry,
      modifiedOuts: reasons.flatMap((r) => (r.kind === 'out-modified' ? [r.path] : [])),
    });
    const durationMs = performance.now() - started;
    switch (result.kind) {
      case 'failed': {
        // Recorded here, not when the promise settles: p-limit starts the next queued item
        // before our continuation runs, and that item must already see the failure.
        firstFailure ??= name;
        o.lock.failed(name);
        const f = result.outcome;
        logger.event({ type: 'stage-failed', stage: name, durationMs, error: f.error, exitCode: f.exitCode, stderrTail: f.stderrTail });
        return 'failed';
      }
      case 'restored':
        o.lock.record(name, result.entry);
        logger.event({ type: 'stage-restored', stage: name, durationMs });
        return 'restored';
      case 'ran':
        o.lock.record(name, result.entry);
        logger.event({ type: 'stage-done', stage: name, durationMs });
        return 'done';
      default: {
        const never: never = result;
        return never;
      }
    }
  };

  await new Promise<void>((resolve, reject) => {
    let active = 0;
    const schedule = (name: string) => {
      state.set(name, 'queued');
      ready.push({ name, rank: rank.get(name)!, seq: seq++ });
      active++;
      // One slot request per ready item; the slot takes whichever ready item ranks first then.
      limit(async () => {
        const pick = ready.pop()!.name;
        return { pick, result: await processItem(pick) };
      }).then(
        ({ pick, result }) => {
          active--;
          settle(pick, result);
          if (active === 0) resolve();
        },
        (e) => reject(e),
      );
    };
    const settle = (name: string, result: Result) => {
      if (result === 'skipped') {
        state.set(name, 'waiting'); // never started; reported below
        return;
      }
      state.set(name, result);
      if (result === 'failed') {
        counts.failed++;
        firstFailure ??= name;
        skipDescendants(name);
        return;
      }
      counts[result === 'done' ? 'ran' : result]++;
      for (const child of graph.graph.outNeighbors(name)) {
        if (!selected.has(child) || state.get(child) !== 'waiting') continue;
        const left = waitingOn.get(child)! - 1;
        waitingOn.set(child, left);
        if (left === 0) schedule(child);
      }
    };
    const roots = o.selected.filter((n) => waitingOn.get(n) === 0);
    if (roots.length === 0) resolve();
    for (const r of roots) schedule(r);
  });

  const interrupted = o.signal.aborted;
  for (const name of o.selected) {
    if (state.get(name) !== 'waiting' && state.get(name) !== 'queued') continue;
    counts.skipped++;
    logger.event({
      type: 'stage-skipped',
      stage: name,
      because: interrupted ? 'run interrupted' : `run stopped after ${firstFailure} failed (use --keep-going to run independent stages)`,
    });
  }
  const summary: RunSummary = { ok: counts.failed === 0 && !interrupted, ...counts, interrupted, durationMs: performance.now() - t0 };
  logger.event({ type: 'run-done', ...summary });
  return summary;
}

/** For each selected item: its expected duration plus the longest expected chain of selected items below it. */
function longestPaths(o: ExecuteOptions, selected: ReadonlySet<string>): Map<string, number> {
  const rank = new Map<string, number>();
  // o.selected is upstream first: walking it backwards visits every child before its parents.
  for (let i = o.selected.length - 1; i >= 0; i--) {
    const name = o.selected[i]!;
    let below = 0;
    for (const child of o.graph.graph.outNeighbors(name)) if (selected.has(child)) below = Math.max(below, rank.get(child) ?? 0);
    rank.set(name, (o.expected?.(name) ?? 0) + below);
  }
  return rank;
}
