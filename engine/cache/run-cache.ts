// The run-cache: a run is keyed by its fingerprint (command or built-in and version, arguments,
// parameter values, dependency content hashes, declared outputs). When a stale stage has a key
// that ran before, its outputs are placed back from the object store instead of running it.
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hashBytes } from '../hash/xxh.js';
import { writeFileAtomic } from '../util/atomic.js';
import { canonicalEntry, type FileRecord, type LockEntry } from '../lock/lockfile.js';
import type { ManifestEntry, ObjectStore } from './store.js';

export interface RunRecord {
  readonly outs: readonly FileRecord[];
}

/** The fingerprint as a canonical string, then hashed: sorted, versioned, compared as strings. */
export async function runKey(entry: Omit<LockEntry, 'outs'>, declaredOuts: readonly string[]): Promise<string> {
  const canon = canonicalEntry({ ...entry, outs: [] });
  const deps = (canon.deps as { path: string; hash: string }[]).map((d) => [d.path, d.hash]);
  const record = { v: 1, ...canon, deps, outs: [...declaredOuts].sort() };
  return hashBytes(JSON.stringify(record));
}

export class RunCache {
  constructor(private readonly store: ObjectStore) {}

  private recordPath(key: string): string {
    return join(this.store.dir, 'runs', key.slice(0, 2), `${key.slice(2)}.json`);
  }

  async lookup(key: string): Promise<RunRecord | undefined> {
    try {
      const rec = JSON.parse(await readFile(this.recordPath(key), 'utf8')) as RunRecord;
      for (const out of rec.outs) if (!(await this.isComplete(out))) return undefined;
      return rec;
    } catch {
      return undefined;
    }
  }

  /** Whether every object an output needs is in the store. */
  private async isComplete(out: FileRecord): Promise<boolean> {
    if (out.nfiles === undefined) return this.store.hasFile(out.hash, out.size);
    const manifest = await this.store.readManifest(out.hash);
    if (!manifest) return false;
    for (const f of manifest) if (!(await this.store.hasFile(f.hash, f.size))) return false;
    return true;
  }

  /**
   * An output recorded as `recorded` was found modified in the workspace. If a modified file is
   * a hard link to its cache object (root ignores the read-only protection), the object changed
   * with it and no longer holds the content its name promises: remove it, so it is never
   * restored. `current` is the output's new manifest (directories) from the hasher.
   */
  async evictEditedLinks(workspace: string, recorded: FileRecord, current: readonly ManifestEntry[] | undefined): Promise<number> {
    const pairs: { file: string; hash: string }[] = [];
    if (recorded.nfiles === undefined) pairs.push({ file: join(workspace, recorded.path), hash: recorded.hash });
    else {
      const now = new Map((current ?? []).map((f) => [f.path, f.hash]));
      for (const f of (await this.store.readManifest(recorded.hash)) ?? []) {
        if (now.get(f.path) !== f.hash) pairs.push({ file: join(workspace, recorded.path, f.path), hash: f.hash });
      }
    }
    let evicted = 0;
    for (const { file, hash } of pairs) {
      const [a, b] = await Promise.all([stat(file).catch(() => undefined), stat(this.store.objectPath(hash)).catch(() => undefined)]);
      if (a && b && a.ino === b.ino && a.dev === b.dev) {
        await rm(this.store.objectPath(hash), { force: true });
        evicted++;
      }
    }
    return evicted;
  }

  manifest(hash: string): Promise<ManifestEntry[] | undefined> {
    return this.store.readManifest(hash);
  }

  async save(key: string, record: RunRecord): Promise<void> {
    await writeFileAtomic(this.recordPath(key), JSON.stringify(record));
  }

  async storeOutput(workspace: string, out: FileRecord, files: readonly ManifestEntry[] | undefined): Promise<void> {
    if (out.nfiles === undefined) {
      await this.store.putFile(join(workspace, out.path), out.hash, out.size);
      return;
    }
    for (const f of files ?? []) await this.store.putFile(join(workspace, out.path, f.path), f.hash, f.size);
    await this.store.putManifest(out.hash, files ?? []);
  }

  /** Places an output back into the workspace (the path must be free). */
  async restoreOutput(workspace: string, out: FileRecord): Promise<void> {
    if (out.nfiles === undefined) {
      await this.store.placeFile(out.hash, join(workspace, out.path));
      return;
    }
    const manifest = await this.store.readManifest(out.hash);
    if (!manifest) throw new Error(`cache manifest ${out.hash} vanished`);
    await mkdir(join(workspace, out.path), { recursive: true });
    for (const f of manifest) await this.store.placeFile(f.hash, join(workspace, out.path, f.path));
  }
}
