// Content hashing. XXH3-128 (hash-wasm) hashes at several GB/s on one core, ~10× SHA-256 on
// machines without SHA instructions, so hashing a multi-GB session file is bounded by the disk,
// not the CPU. It is not a cryptographic hash; like DVC's md5 it identifies content, it does not
// defend against an adversary who crafts collisions.
import { createXXHash128, type IHasher } from 'hash-wasm';
import { open } from 'node:fs/promises';

export const HASH_NAME = 'xxh3-128';
const CHUNK = 4 << 20;

export async function newHasher(): Promise<IHasher> {
  const h = await createXXHash128();
  h.init();
  return h;
}

export async function hashBytes(data: Uint8Array | string): Promise<string> {
  const h = await newHasher();
  h.update(data);
  return h.digest('hex');
}

/**
 * Streams a file through the hasher. Two buffers alternate: while one chunk is hashed (on this
 * thread), the next is already being read (in the thread pool), so a first-time hash runs at
 * the speed of the slower of the disk and the hash, not of the two one after the other.
 */
export async function hashFile(path: string, signal?: AbortSignal): Promise<{ hash: string; size: number }> {
  const h = await newHasher();
  const fh = await open(path, 'r');
  const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  let size = 0;
  try {
    let which = 0;
    let pending = fh.read(buffers[0]!, 0, CHUNK, null);
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      const current = buffers[which]!;
      which ^= 1;
      pending = fh.read(buffers[which]!, 0, CHUNK, null);
      h.update(bytesRead === CHUNK ? current : current.subarray(0, bytesRead));
      size += bytesRead;
    }
  } finally {
    await fh.close();
  }
  return { hash: h.digest('hex'), size };
}
