// The state a full `pipe repro` of the generated DAG leaves behind — every output file, data.lock
// and the stat cache — written directly, through the engine's own modules.
//
// Why not run it: each of the 10,000 items spawns a shell (~3-5 ms of the engine's thread each
// on this machine, plus the command), so a full run takes minutes, most of it process creation,
// not the engine's own work this section measures. The benchmark still times a real full run of a
// smaller DAG of the same shape, and checks this state with the real CLI: `pipe status` must find
// every item fresh.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StatCache } from '../../engine/hash/stat-cache.js';
import { PathHasher } from '../../engine/hash/tree.js';
import { serializeLock, type FileRecord, type LockEntries } from '../../engine/lock/lockfile.js';
import { intentOf } from '../../engine/plan/assess.js';
import { writeFileAtomic } from '../../engine/util/atomic.js';
import type { StageGraph } from '../../engine/graph/model.js';
import { LOCK_FILE, STATE_DIR } from '../../engine/cli/workspace.js';

async function records(paths: readonly string[], hasher: PathHasher): Promise<FileRecord[]> {
  const out: FileRecord[] = [];
  for (const path of paths) {
    const h = await hasher.hash(path);
    if (!h) throw new Error(`dag state: ${path} was not written`);
    out.push({ path, hash: h.hash, size: h.size, ...(h.nfiles !== undefined ? { nfiles: h.nfiles } : {}) });
  }
  return out;
}

/** `content(item, out)` is what the item's command would have written to `out`. */
export async function writeFullRunState(graph: StageGraph, content: (item: string, out: string) => string): Promise<void> {
  const cache = new StatCache(join(graph.workspace, STATE_DIR, 'stat-cache.json'));
  const hasher = new PathHasher({ workspace: graph.workspace, cache });
  const entries: LockEntries = new Map();
  for (const name of graph.order) {
    const item = graph.items.get(name)!;
    for (const out of item.outs) {
      const abs = join(graph.workspace, out);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content(name, out));
    }
    // As updateItem records it: the intent, the deps as assessed before running, the outputs after.
    entries.set(name, { ...intentOf(item), deps: await records(item.deps, hasher), outs: await records(item.outs, hasher) });
  }
  await writeFileAtomic(join(graph.workspace, LOCK_FILE), serializeLock(entries));
  await cache.save();
}
