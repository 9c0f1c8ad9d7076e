// The partial download on disk: `<final>.part`, its sidecar `<final>.part.json`, and the running
// hash of the bytes in it.
//
// Invariants:
// - The final name is only ever produced by rename(2) of a complete, verified .part, so a reader
//   of the final path sees either nothing or the whole file, never a prefix.
// - The .part is a sibling of the final file so that rename is atomic (same directory, same
//   filesystem).
// - The .part never holds bytes without a sidecar saying which URL and which remote version
//   (ETag / Last-Modified / size) they came from; a .part without one cannot be tied to a version
//   and is discarded instead of resumed.
// - The hash always covers exactly the bytes [0, offset) of the .part, in order.

import { open, readFile, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { createHasher, hashFilePrefix, type StreamHasher } from './hashing.js';
import type { RemoteVersion } from './remote-version.js';

interface Sidecar {
  readonly format: 1;
  readonly url: string;
  readonly version: RemoteVersion;
}

export function partPathOf(finalPath: string): string {
  return `${finalPath}.part`;
}

function sidecarPathOf(finalPath: string): string {
  return `${finalPath}.part.json`;
}

/**
 * Removes any partial download state for `finalPath`, for a writer that produces the file some
 * other way (the local source) and must not leave a stale .part that a later download would
 * try to resume.
 */
export async function discardPartial(finalPath: string): Promise<void> {
  await rm(partPathOf(finalPath), { force: true });
  await rm(sidecarPathOf(finalPath), { force: true });
}

async function readSidecar(path: string): Promise<Sidecar | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined; // missing or half-written by a crash: treated as "no version known"
  }
  const s = raw as Partial<Sidecar> | null;
  const v = s?.version;
  if (s?.format !== 1 || typeof s.url !== 'string' || typeof v?.total !== 'number') return undefined;
  if (v.etag !== undefined && typeof v.etag !== 'string') return undefined;
  if (v.lastModified !== undefined && typeof v.lastModified !== 'string') return undefined;
  return s as Sidecar;
}

export interface OpenPartOptions {
  readonly finalPath: string;
  readonly url: string;
  readonly signal?: AbortSignal;
}

export class PartFile {
  private fh: FileHandle | undefined;

  private constructor(
    readonly path: string,
    private readonly sidecarPath: string,
    private readonly url: string,
    fh: FileHandle,
    private readonly hasher: StreamHasher,
    private bytes: number,
    private remote: RemoteVersion | undefined,
  ) {
    this.fh = fh;
  }

  /**
   * Opens (or creates) the .part for `finalPath`. A leftover .part from an earlier run is kept
   * when its sidecar names the same URL and it is not longer than that version; its bytes are
   * hashed now so the digest can continue from where the file ends.
   */
  static async open(o: OpenPartOptions): Promise<PartFile> {
    const path = partPathOf(o.finalPath);
    const sidecarPath = sidecarPathOf(o.finalPath);
    const hasher = await createHasher();
    let fh: FileHandle;
    try {
      fh = await open(path, 'r+'); // not 'a': appends would ignore our explicit write positions
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      fh = await open(path, 'w+');
    }
    try {
      const size = (await fh.stat()).size;
      const sidecar = await readSidecar(sidecarPath);
      if (size > 0 && sidecar && sidecar.url === o.url && size <= sidecar.version.total) {
        await hashFilePrefix(fh, size, hasher, o.signal ? { signal: o.signal } : {});
        return new PartFile(path, sidecarPath, o.url, fh, hasher, size, sidecar.version);
      }
      await fh.truncate(0);
      await rm(sidecarPath, { force: true });
      return new PartFile(path, sidecarPath, o.url, fh, hasher, 0, undefined);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  /** Bytes on disk, all from `version`. */
  get offset(): number {
    return this.bytes;
  }

  get version(): RemoteVersion | undefined {
    return this.remote;
  }

  /** Drops every byte and the known version: the next request starts from zero. */
  async restart(): Promise<void> {
    await this.handle().truncate(0);
    this.hasher.reset();
    this.bytes = 0;
    this.remote = undefined;
    await rm(this.sidecarPath, { force: true });
  }

  /**
   * Records which remote version the following bytes belong to. Written before any of those
   * bytes, so a crash can leave a sidecar without bytes but never bytes without a sidecar.
   */
  async adopt(version: RemoteVersion): Promise<void> {
    this.remote = version;
    const sidecar: Sidecar = { format: 1, url: this.url, version };
    await writeFile(this.sidecarPath, `${JSON.stringify(sidecar)}\n`);
  }

  /** Appends a chunk at the current end, then hashes it (only bytes on disk are ever hashed). */
  async append(chunk: Uint8Array): Promise<void> {
    const fh = this.handle();
    let written = 0;
    while (written < chunk.byteLength) {
      const r = await fh.write(chunk, written, chunk.byteLength - written, this.bytes + written);
      written += r.bytesWritten;
    }
    this.hasher.update(chunk);
    this.bytes += chunk.byteLength;
  }

  /** Flushes and closes the .part; returns its size and digest. No more writes after this. */
  async seal(): Promise<{ size: number; hash: string }> {
    const fh = this.handle();
    // fsync before the rename that follows, so after a power cut the final name cannot point at
    // a file whose data blocks never reached the disk.
    await fh.sync();
    await this.close();
    return { size: this.bytes, hash: this.hasher.hex() };
  }

  /** Gives the sealed .part its final name and forgets the sidecar. */
  async commit(finalPath: string): Promise<void> {
    await rename(this.path, finalPath);
    await rm(this.sidecarPath, { force: true });
  }

  /** Removes the .part and its sidecar (a rejected or useless partial). */
  async discard(): Promise<void> {
    await this.close();
    await rm(this.path, { force: true });
    await rm(this.sidecarPath, { force: true });
  }

  /** Closes the file, keeping it for a later resume. Safe to call more than once. */
  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close();
  }

  private handle(): FileHandle {
    if (!this.fh) throw new Error(`internal: ${this.path} used after close`);
    return this.fh;
  }
}
