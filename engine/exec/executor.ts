// Where a stale stage item runs. The planner and scheduler only see this interface: the local
// executor now (processes and worker threads on this machine); a cluster executor (Slurm) can
// implement the same contract later without touching planning.
import type { ItemOutcome, RunItemOptions } from './run-item.js';
import { runItem } from './run-item.js';

export interface Executor {
  /** Runs the item; its declared outputs exist under their final names when this resolves ok. */
  run(o: RunItemOptions): Promise<ItemOutcome>;
}

export const localExecutor: Executor = { run: runItem };
