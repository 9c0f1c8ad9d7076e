// Hashing a dependency or output path: a file by its content, a directory through a sorted
// manifest of its files (relative path, content hash, size), so renaming or moving a file inside
// a directory changes the directory's hash, while timestamps never do.
// Metadata calls are synchronous on purpose: a stat answered from the kernel's cache takes
// microseconds, while an awaited fs.promises.stat costs a thread-pool round trip, and `pipe
// status` on a large pipeline makes tens of thousands of them. File contents are read async.
import { lstatSync, readdirSync, statSync, type BigIntStats } from 'node:fs';
import { isAbsolute, sep } from 'node:path';
import { hashBytes, hashFile } from './xxh.js';
import type { StatCache } from './stat-cache.js';

export interface PathHash {
  readonly hash: string;
  readonly size: number;
  /** Present for directories. */
  readonly nfiles?: number;
  /** For directories: the manifest the hash was taken over (paths relative to the directory). */
  readonly files?: readonly { readonly path: string; readonly hash: string; readonly size: number }[];
}

export interface HasherOptions {
  readonly workspace: string;
  readonly cache: StatCache;
  readonly now?: () => bigint;
  /** Called with the number of bytes read each time a file is actually hashed (not cached). */
  readonly onRead?: (path: string, bytes: number) => void;
}

export class PathHasher {
  private readonly now: () => bigint;
  constructor(private readonly opts: HasherOptions) {
    // File mtimes come from the wall clock, so the racy-entry check compares against it too.
    this.now = opts.now ?? (() => BigInt(Date.now()) * 1_000_000n);
  }

  private abs(rel: string): string {
    // Paths from the analyzed pipeline are already normalised; join() would only re-check that,
    // and on a status of thousands of files that re-checking showed up in profiles.
    if (rel === '.') return this.opts.workspace;
    return isAbsolute(rel) ? rel : `${this.opts.workspace}${sep}${rel}`;
  }

  /**
   * Records a hash we already know for a file we just placed (restored from the cache), so the
   * next check is a stat, not a read of possibly gigabytes.
   */
  async remember(rel: string, hash: string): Promise<void> {
    const st = statSync(this.abs(rel), { bigint: true });
    this.opts.cache.store(rel, st, hash, this.now());
  }

  /**
   * Within one run every path is hashed once, however many items depend on it (a per-key memo);
   * a stage that writes outputs calls `forget` for them, and for the directories holding them.
   */
  private readonly memo = new Map<string, Promise<PathHash | undefined>>();
  /** For each directory, the memoized paths inside it (at any depth): `forget` must not scan the memo. */
  private readonly inside = new Map<string, Set<string>>();
  /** Settled memo entries: a directory walk reuses a subdirectory hashed earlier in the run. */
  private readonly resolved = new Map<string, PathHash | undefined>();

  hash(rel: string, signal?: AbortSignal): Promise<PathHash | undefined> {
    let p = this.memo.get(rel);
    if (!p) {
      p = this.compute(rel, signal);
      this.memo.set(rel, p);
      for (let dir = parentOf(rel); dir !== undefined; dir = parentOf(dir)) {
        let set = this.inside.get(dir);
        if (!set) this.inside.set(dir, (set = new Set()));
        set.add(rel);
      }
      // A failed computation (an interrupt, a vanished file) is not remembered.
      const settled = p;
      settled.then(
        (v) => {
          if (this.memo.get(rel) === settled) this.resolved.set(rel, v);
        },
        () => {
          if (this.memo.get(rel) === settled) this.memo.delete(rel);
        },
      );
    }
    return p;
  }

  /** Forgets what is known of `rel`, of everything inside it and of every directory holding it. */
  forget(rel: string): void {
    this.drop(rel);
    this.drop('.');
    for (let dir = parentOf(rel); dir !== undefined; dir = parentOf(dir)) this.drop(dir);
    const below = this.inside.get(rel);
    if (below) {
      for (const key of below) this.drop(key);
      this.inside.delete(rel);
    }
  }

  private drop(key: string): void {
    this.memo.delete(key);
    this.resolved.delete(key);
  }

  /** Hash of a workspace-relative (or absolute) path, or undefined when it does not exist. */
  private async compute(rel: string, signal?: AbortSignal): Promise<PathHash | undefined> {
    let st: BigIntStats | undefined;
    try {
      st = statSync(this.abs(rel), { bigint: true, throwIfNoEntry: false });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw e;
    }
    if (!st) return undefined;
    if (st.isDirectory()) return this.hashDir(rel, signal);
    return this.hashOne(rel, st, signal);
  }

  /** The stat cache's answer for an unchanged file, without reading it (synchronous: a walk asks for thousands). */
  private cached(rel: string, st: BigIntStats): PathHash | undefined {
    const hash = this.opts.cache.lookup(rel, st);
    return hash ? { hash, size: Number(st.size) } : undefined;
  }

  private async hashOne(rel: string, st: BigIntStats, signal?: AbortSignal): Promise<PathHash> {
    const known = this.cached(rel, st);
    if (known) return known;
    const at = this.now();
    const { hash, size } = await hashFile(this.abs(rel), signal, Number(st.size));
    this.opts.onRead?.(rel, size);
    // Only remember the hash if the file did not change while we read it.
    const after = statSync(this.abs(rel), { bigint: true });
    if (after.mtimeNs === st.mtimeNs && after.size === st.size) this.opts.cache.store(rel, st, hash, at);
    return { hash, size };
  }

  private async hashDir(rel: string, signal?: AbortSignal): Promise<PathHash> {
    // Files to hash, and subdirectories already hashed in this run (each an item's output, say,
    // under a directory another item depends on): their manifests are reused, not re-walked.
    const files: string[] = [];
    const known: { readonly path: string; readonly hash: string; readonly size: number }[] = [];
    const walk = (dir: string): void => {
      const entries = readdirSync(this.abs(dir), { withFileTypes: true });
      for (const e of entries) {
        const child = dir === '.' ? e.name : `${dir}/${e.name}`;
        if (e.isDirectory()) {
          const done = this.resolved.get(child);
          if (done?.files) for (const f of done.files) known.push({ path: `${child}/${f.path}`, hash: f.hash, size: f.size });
          else walk(child);
        } else if (e.isFile()) files.push(child);
        else if (e.isSymbolicLink()) {
          const target = statSync(this.abs(child), { throwIfNoEntry: false });
          if (target?.isDirectory()) walk(child);
          else if (target?.isFile()) files.push(child);
        }
      }
    };
    walk(rel);
    for (const f of files) {
      const abs = this.abs(f);
      const l = lstatSync(abs, { bigint: true });
      const st = l.isSymbolicLink() ? statSync(abs, { bigint: true }) : l;
      const h = this.cached(f, st) ?? (await this.hashOne(f, st, signal));
      known.push({ path: f, hash: h.hash, size: h.size });
    }
    // Byte order of the relative paths, independent of the file system's listing order.
    known.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const prefix = rel === '.' ? 0 : rel.length + 1;
    let manifest = '';
    let size = 0;
    const entries: { path: string; hash: string; size: number }[] = [];
    for (const k of known) {
      const path = k.path.slice(prefix);
      manifest += `${path}\0${k.hash}\0${k.size}\n`;
      entries.push({ path, hash: k.hash, size: k.size });
      size += k.size;
    }
    return { hash: await hashBytes(manifest), size, nfiles: entries.length, files: entries };
  }
}

/** The directory holding a relative path ('a/b' → 'a'), or undefined for a top-level name. */
function parentOf(rel: string): string | undefined {
  const i = rel.lastIndexOf('/');
  return i > 0 ? rel.slice(0, i) : undefined;
}
