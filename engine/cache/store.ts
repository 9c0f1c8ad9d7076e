// The output cache: stage outputs stored content-addressed, so a result computed once can be
// placed back instead of recomputed (run-cache), shared between clones (PIPE_CACHE_DIR) and
// persisted by CI.
//
// Layout under the cache directory:
//   objects/<2 hex>/<30 hex>         a file, by content hash; read-only
//   objects/<2 hex>/<30 hex>.dir     a directory: JSON list of [relative path, hash, size]
//   runs/<2 hex>/<30 hex>.json       a run: its fingerprint key → the outputs it produced
// Every object is written to a temporary name and renamed, so a crash never leaves a torn object
// under a hash it does not have.
//
// Placing files: a reflink (copy-on-write clone) where the file system supports it; else a hard
// link, with the object made read-only so an edit in place through the workspace copy fails (for
// users other than root); else a plain copy. Hard links are only used within one file system.
import { constants } from 'node:fs';
import { chmod, copyFile, link, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';

export type LinkMode = 'reflink' | 'hardlink' | 'copy';

export interface ManifestEntry {
  readonly path: string;
  readonly hash: string;
  readonly size: number;
}

let tmpCounter = 0;
const tmpName = (p: string) => `${p}.${process.pid}.${tmpCounter++}.tmp`;

export class ObjectStore {
  constructor(
    readonly dir: string,
    /** Link modes to try, in order, when placing a file (tests pin one). */
    private readonly modes: readonly LinkMode[] = ['reflink', 'hardlink', 'copy'],
  ) {}

  objectPath(hash: string): string {
    return join(this.dir, 'objects', hash.slice(0, 2), hash.slice(2));
  }
  manifestPath(hash: string): string {
    return `${this.objectPath(hash)}.dir`;
  }

  async hasFile(hash: string, size: number): Promise<boolean> {
    try {
      return (await stat(this.objectPath(hash))).size === size;
    } catch {
      return false;
    }
  }

  /**
   * Stores a workspace file under its (already computed) hash. Without reflinks the workspace
   * file itself is hard-linked into the store and both names become read-only: no copy of a
   * multi-GB output, and an edit in place through the workspace name fails instead of silently
   * corrupting the cached object.
   */
  async putFile(abs: string, hash: string, size: number): Promise<void> {
    if (await this.hasFile(hash, size)) return;
    const dest = this.objectPath(hash);
    await mkdir(dirname(dest), { recursive: true });
    const tmp = tmpName(dest);
    for (const mode of this.modes) {
      try {
        switch (mode) {
          case 'reflink':
            await copyFile(abs, tmp, constants.COPYFILE_FICLONE_FORCE);
            await chmod(tmp, 0o444);
            break;
          case 'hardlink':
            await link(abs, tmp);
            await chmod(tmp, 0o444);
            break;
          case 'copy':
            await copyFile(abs, tmp);
            await chmod(tmp, 0o444);
            break;
        }
        await rename(tmp, dest);
        return;
      } catch (e) {
        await rm(tmp, { force: true });
        if (mode === this.modes[this.modes.length - 1]) throw e;
      }
    }
  }

  async putManifest(hash: string, entries: readonly ManifestEntry[]): Promise<void> {
    const dest = this.manifestPath(hash);
    try {
      await stat(dest);
      return;
    } catch {
      // not stored yet
    }
    await writeFileAtomic(dest, JSON.stringify(entries.map((e) => [e.path, e.hash, e.size])));
  }

  async readManifest(hash: string): Promise<ManifestEntry[] | undefined> {
    try {
      const raw = JSON.parse(await readFile(this.manifestPath(hash), 'utf8')) as [string, string, number][];
      return raw.map(([path, h, size]) => ({ path, hash: h, size }));
    } catch {
      return undefined;
    }
  }

  /** Places a stored file at `dest` (which must not exist). */
  async placeFile(hash: string, dest: string): Promise<LinkMode> {
    const src = this.objectPath(hash);
    await mkdir(dirname(dest), { recursive: true });
    for (const mode of this.modes) {
      try {
        switch (mode) {
          case 'reflink':
            await copyFile(src, dest, constants.COPYFILE_FICLONE_FORCE);
            await chmod(dest, 0o644);
            return mode;
          case 'hardlink':
            await link(src, dest);
            return mode;
          case 'copy': {
            const tmp = tmpName(dest);
            await copyFile(src, tmp);
            await chmod(tmp, 0o644);
            await rename(tmp, dest);
            return mode;
          }
        }
      } catch (e) {
        if (mode === 'copy') throw e;
        await rm(dest, { force: true });
      }
    }
    throw new Error('no link mode configured');
  }
}
