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

/**
 * A hasher with its two read buffers, kept for reuse: a run hashes thousands of small files, and
 * a fresh wasm instance and 8 MiB of buffers for each kept the garbage collector busy for a
 * quarter of a large run's time.
 */
interface Slot {
  readonly hasher: IHasher;
  readonly buffers: [Buffer, Buffer];
}
const free: Slot[] = [];
/** More than any run hashes at once (one per job slot); beyond that, slots are dropped. */
const KEEP = 8;

async function acquire(): Promise<Slot> {
  const slot = free.pop() ?? { hasher: await createXXHash128(), buffers: [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)] as [Buffer, Buffer] };
  slot.hasher.init();
  return slot;
}

function release(slot: Slot): void {
  if (free.length < KEEP) free.push(slot);
}

export async function hashBytes(data: Uint8Array | string): Promise<string> {
  const slot = await acquire();
  try {
    slot.hasher.update(data);
    return slot.hasher.digest('hex');
  } finally {
    release(slot);
  }
}

/**
 * Streams a file through the hasher. Two buffers alternate: while one chunk is hashed (on this
 * thread), the next is already being read (in the thread pool), so a first-time hash runs at
 * the speed of the slower of the disk and the hash, not of the two one after the other.
 */
export async function hashFile(path: string, signal?: AbortSignal): Promise<{ hash: string; size: number }> {
  const slot = await acquire();
  const { hasher: h, buffers } = slot;
  let size = 0;
  let fh;
  let pending: Promise<{ bytesRead: number }> | undefined;
  try {
    fh = await open(path, 'r');
    let which = 0;
    pending = fh.read(buffers[0], 0, CHUNK, null);
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await pending;
      pending = undefined;
      if (bytesRead === 0) break;
      const current = buffers[which]!;
      which ^= 1;
      pending = fh.read(buffers[which]!, 0, CHUNK, null);
      h.update(bytesRead === CHUNK ? current : current.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { hash: h.digest('hex'), size };
  } finally {
    // A read still in flight writes into the slot's buffer: let it land before the slot is reused.
    if (pending) await pending.catch(() => undefined);
    await fh?.close();
    release(slot);
  }
}
