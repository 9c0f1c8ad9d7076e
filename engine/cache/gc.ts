// Garbage collection of the output cache: every object that data.lock does not reference goes,
// and so does every run record that would point at a removed object. Space is counted as freed
// only for objects with no other hard link (a linked object also backs a workspace file, so
// removing it from the cache frees nothing until that file goes too).
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LockEntries } from '../lock/lockfile.js';
import type { ObjectStore } from './store.js';

export interface GcReport {
  readonly removedObjects: number;
  readonly removedRuns: number;
  readonly removedTemporaries: number;
  readonly freedBytes: number;
  readonly keptObjects: number;
}

/** Temporaries are named `<object>.<pid>.<n>.tmp` (store.ts); is that pid still running here? */
function isLiveWriter(name: string): boolean {
  const pid = Number(name.split('.').at(-3));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

async function listDir(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => [] as string[]);
}

export async function collectGarbage(store: ObjectStore, lock: LockEntries, dry: boolean): Promise<GcReport> {
  const live = new Set<string>();
  for (const entry of lock.values()) {
    for (const out of entry.outs) {
      if (out.nfiles === undefined) {
        live.add(out.hash);
        continue;
      }
      live.add(`${out.hash}.dir`);
      for (const f of (await store.readManifest(out.hash)) ?? []) live.add(f.hash);
    }
  }
  let removedObjects = 0;
  let removedTemporaries = 0;
  let keptObjects = 0;
  let freedBytes = 0;
  const objects = join(store.dir, 'objects');
  for (const prefix of await listDir(objects)) {
    for (const name of await listDir(join(objects, prefix))) {
      if (name.endsWith('.tmp')) {
        // A temporary whose writer died (killed mid-store) is litter; a live writer's is not ours.
        if (!isLiveWriter(name)) {
          removedTemporaries++;
          if (!dry) await rm(join(objects, prefix, name), { force: true });
        }
        continue;
      }
      const id = prefix + name;
      if (live.has(id)) {
        keptObjects++;
        continue;
      }
      const path = join(objects, prefix, name);
      const st = await stat(path).catch(() => undefined);
      if (!st) continue;
      if (st.nlink === 1) freedBytes += st.size;
      removedObjects++;
      if (!dry) await rm(path, { force: true });
    }
  }
  // A run record is worth keeping only if every object it needs survives.
  let removedRuns = 0;
  const runs = join(store.dir, 'runs');
  for (const prefix of await listDir(runs)) {
    for (const name of await listDir(join(runs, prefix))) {
      const path = join(runs, prefix, name);
      if (name.endsWith('.tmp')) {
        if (!isLiveWriter(name)) {
          removedTemporaries++;
          if (!dry) await rm(path, { force: true });
        }
        continue;
      }
      let keep = false;
      try {
        const rec = JSON.parse(await readFile(path, 'utf8')) as { outs: { hash: string; nfiles?: number }[] };
        keep = rec.outs.every((o) => live.has(o.nfiles === undefined ? o.hash : `${o.hash}.dir`));
      } catch {
        keep = false;
      }
      if (keep) continue;
      removedRuns++;
      if (!dry) await rm(path, { force: true });
    }
  }
  return { removedObjects, removedRuns, removedTemporaries, freedBytes, keptObjects };
}
