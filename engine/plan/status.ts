// What would run, and why, without running anything: `pipe status` and `pipe repro --dry`.
// Each item is assessed with the same `assess` that `repro` uses. An item whose own inputs are
// unchanged but that sits below a stale item is listed as "upstream-stale": it will be
// reconsidered after its upstream reruns, and runs only if that changes its deps (early cutoff).
import type { StageGraph } from '../graph/model.js';
import type { LockEntries } from '../lock/lockfile.js';
import type { PathHasher } from '../hash/tree.js';
import { assess } from './assess.js';
import type { Reason } from './reasons.js';

export interface ItemStatus {
  readonly stage: string;
  /** 'stale': its own inputs changed; 'upstream': only something upstream is stale. */
  readonly verdict: 'fresh' | 'stale' | 'upstream';
  readonly reasons: readonly Reason[];
}

export interface StatusOptions {
  readonly graph: StageGraph;
  readonly selected: readonly string[];
  readonly lock: LockEntries;
  /** Items whose entries were dropped because a run was interrupted while they ran. */
  readonly interrupted?: ReadonlySet<string>;
  readonly hasher: PathHasher;
  readonly force?: boolean;
}

export async function computeStatus(o: StatusOptions): Promise<ItemStatus[]> {
  const selected = new Set(o.selected);
  const verdicts = new Map<string, ItemStatus>();
  for (const name of o.selected) {
    const item = o.graph.items.get(name)!;
    const { reasons } = await assess(item, o.lock.get(name), { hasher: o.hasher, force: o.force, interrupted: o.interrupted?.has(name) });
    if (reasons.length) {
      verdicts.set(name, { stage: name, verdict: 'stale', reasons });
      continue;
    }
    const staleParents = o.graph.graph
      .inNeighbors(name)
      .filter((p) => selected.has(p) && verdicts.get(p)?.verdict !== 'fresh')
      .sort();
    verdicts.set(
      name,
      staleParents.length
        ? { stage: name, verdict: 'upstream', reasons: [{ kind: 'upstream-stale', stages: staleParents }] }
        : { stage: name, verdict: 'fresh', reasons: [] },
    );
  }
  return o.selected.map((n) => verdicts.get(n)!);
}
