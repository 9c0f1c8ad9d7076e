// Copying a file out of a local cache into the destination, hashing it on the way.
//
// Why a copy and never a link, although a session file is 1.7–3.3 GB:
// - A hard link shares the inode with the source. The engine may protect its outputs read-only
//   (chmod), which would change the mode of the lab's cache file too; anything that ever writes
//   the output in place would corrupt the cache; and a later in-place change of the cache file
//   would silently change an output the engine has already hashed (its stat cache keyed by
//   size/mtime/inode could not even notice, the inode is the same).
// - A symlink has the same problems through chmod (which follows links) and edits, plus it
//   dangles when the mount goes away, and the output then points outside the workspace.
// - A copy-on-write clone (FICLONE: btrfs, XFS with reflink, APFS, ZFS 2.2) has none of these
//   problems (separate inode, blocks shared until written) and costs no space or time, so it is
//   tried first. Where the filesystem cannot clone, a streamed copy that hashes while it writes
//   reads the source exactly once.
// The source is only ever opened read-only.

import { constants } from 'node:fs';
import { chmod, copyFile, mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StageError } from '../../../engine/builtin/types.js';
import { createHasher, hashFilePrefix, IO_CHUNK, type StreamHasher } from './hashing.js';
import { discardPartial, partPathOf } from './part-file.js';
import { TransferMeter } from './transfer-meter.js';
import type { Clock, FetchedFile, TransferProgress, Verify } from './types.js';

/** Creates `dst` as a copy-on-write clone of `src`, or throws if the filesystem cannot. */
export type CloneFile = (src: string, dst: string) => Promise<void>;

export const cloneFile: CloneFile = (src, dst) => copyFile(src, dst, constants.COPYFILE_FICLONE_FORCE);

export interface CopyLocalFileOptions {
  readonly src: string;
  /** Final path; the copy is written as `<dest>.part` and renamed when complete and verified. */
  readonly dest: string;
  /** For messages ("session 715093703"); default the source path. */
  readonly label?: string;
  readonly verify?: Verify;
  readonly onProgress?: (p: TransferProgress) => void;
  readonly signal?: AbortSignal;
  readonly now?: Clock;
  /** Default cloneFile; injected by tests to exercise both the clone and the copy path. */
  readonly clone?: CloneFile;
}

/** Outputs are ordinary files owned by the engine, whatever mode the cache file had. */
const OUTPUT_MODE = 0o644;

export async function copyLocalFile(o: CopyLocalFileOptions): Promise<FetchedFile> {
  const label = o.label ?? o.src;
  o.signal?.throwIfAborted();
  const before = await stat(o.src);
  await mkdir(dirname(o.dest), { recursive: true });
  await refuseSameFile(o.src, o.dest, label);

  const tmp = partPathOf(o.dest);
  await discardPartial(o.dest);
  const hasher = await createHasher();
  const meter = new TransferMeter(o.now ?? (() => performance.now()));
  const onBytes = (n: number, done: number): void => {
    meter.add(n);
    o.onProgress?.(meter.snapshot(done, before.size));
  };
  let committed = false;
  try {
    let cloned = false;
    try {
      await (o.clone ?? cloneFile)(o.src, tmp);
      cloned = true;
    } catch {
      // No reflink support here (ENOTSUP/EXDEV/EINVAL depending on the filesystem): copy.
      await rm(tmp, { force: true });
    }
    const size = cloned
      ? await hashClone(tmp, before.size, hasher, o, onBytes)
      : await streamCopy(o.src, tmp, hasher, o, onBytes);

    const after = await stat(o.src);
    if (size !== before.size || after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      throw new StageError(
        `${label}: ${o.src} changed while it was being copied (${before.size} bytes before, ${after.size} after, ${size} copied)`,
        'Something is still writing the cache (a download in progress, a bucket sync). Wait for it to finish and run again.',
      );
    }
    await chmod(tmp, OUTPUT_MODE);
    if (o.verify) {
      try {
        await o.verify(tmp);
      } catch (err) {
        throw new StageError(
          `${label}: ${o.src} failed verification: ${err instanceof Error ? err.message : String(err)}`,
          'The cached file is probably truncated or damaged (AllenSDK never re-checks cached files). ' +
            'Delete it from the cache and download it again.',
        );
      }
    }
    await rename(tmp, o.dest);
    committed = true;
    return { path: o.dest, size, hash: hasher.hex() };
  } finally {
    if (!committed) await rm(tmp, { force: true });
  }
}

/**
 * Writing the copy would replace the source itself when dest names the same file (directly or
 * through a symlinked directory), which is exactly what the local source promises never to do.
 */
async function refuseSameFile(src: string, dest: string, label: string): Promise<void> {
  const realSrc = await realpath(src);
  const realDest = join(await realpath(dirname(dest)), basename(dest));
  if (realSrc === realDest) {
    throw new StageError(
      `${label}: the destination ${dest} is the source file ${src} itself`,
      'Choose a destination outside the local cache directory.',
    );
  }
}

async function hashClone(
  tmp: string,
  expected: number,
  hasher: StreamHasher,
  o: CopyLocalFileOptions,
  onBytes: (n: number, done: number) => void,
): Promise<number> {
  const fh = await open(tmp, 'r');
  try {
    const size = (await fh.stat()).size;
    let done = 0;
    await hashFilePrefix(fh, Math.min(size, expected), hasher, {
      ...(o.signal ? { signal: o.signal } : {}),
      onBytes: (n) => onBytes(n, (done += n)),
    });
    return size;
  } finally {
    await fh.close();
  }
}

async function streamCopy(
  src: string,
  tmp: string,
  hasher: StreamHasher,
  o: CopyLocalFileOptions,
  onBytes: (n: number, done: number) => void,
): Promise<number> {
  const from = await open(src, 'r');
  try {
    const to = await open(tmp, 'wx', OUTPUT_MODE);
    try {
      const buf = Buffer.allocUnsafe(IO_CHUNK);
      let pos = 0;
      for (;;) {
        o.signal?.throwIfAborted();
        const { bytesRead } = await from.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) break;
        const chunk = buf.subarray(0, bytesRead);
        let written = 0;
        while (written < bytesRead) {
          written += (await to.write(chunk, written, bytesRead - written, pos + written)).bytesWritten;
        }
        hasher.update(chunk);
        pos += bytesRead;
        onBytes(bytesRead, pos);
      }
      await to.sync(); // before the rename, as for downloads
      return pos;
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}
