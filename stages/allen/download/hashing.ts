// Streaming content hash shared by both sources.
//
// xxHash128 (via hash-wasm) is non-cryptographic but several GB/s, so hashing while a file
// streams in costs nothing next to the network or the disk; the engine uses the digest as an
// output fingerprint, not as a defence against tampering.

import { createXXHash128 } from 'hash-wasm';
import type { FileHandle } from 'node:fs/promises';

/** Name of the digest in `FetchedFile.hash`, for whoever records it next to the hash. */
export const HASH_ALGORITHM = 'xxh128';

/** The running hash: feed bytes in order, reset to start over, digest once at the end. */
export interface StreamHasher {
  update(bytes: Uint8Array): void;
  reset(): void;
  hex(): string;
}

export async function createHasher(): Promise<StreamHasher> {
  // Each call instantiates its own wasm module, so concurrent downloads never share state.
  const h = await createXXHash128();
  h.init();
  return {
    update: (bytes) => void h.update(bytes),
    reset: () => void h.init(),
    hex: () => h.digest('hex'),
  };
}

/** Read size for hashing and copying: large enough to amortize syscalls, small enough to ignore. */
export const IO_CHUNK = 4 * 1024 * 1024;

/**
 * Feeds bytes [0, length) of an open file to the hasher, in order. Used to pick up the hash of a
 * prefix already on disk (a resumed .part, a copy-on-write clone) without holding it in memory.
 */
export async function hashFilePrefix(
  fh: FileHandle,
  length: number,
  hasher: StreamHasher,
  opts: { signal?: AbortSignal; onBytes?: (n: number) => void } = {},
): Promise<void> {
  const buf = Buffer.allocUnsafe(Math.max(1, Math.min(IO_CHUNK, length)));
  let pos = 0;
  while (pos < length) {
    opts.signal?.throwIfAborted();
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, length - pos), pos);
    if (bytesRead === 0) throw new Error(`file shrank while hashing: ${pos} of ${length} bytes`);
    hasher.update(buf.subarray(0, bytesRead));
    pos += bytesRead;
    opts.onBytes?.(bytesRead);
  }
}
