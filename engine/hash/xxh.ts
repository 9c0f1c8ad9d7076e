// Content hashing. XXH3-128 (hash-wasm) hashes at several GB/s on one core, ~10× SHA-256 on
// machines without SHA instructions, so hashing a multi-GB session file is bounded by the disk,
// not the CPU. It is not a cryptographic hash; like DVC's md5 it identifies content, it does not
// defend against an adversary who crafts collisions.
import { createXXHash128, type IHasher } from 'hash-wasm';
import { open } from 'node:fs/promises';

export const HASH_NAME = 'xxh3-128';

export async function newHasher(): Promise<IHasher> {
  const h = await createXXHash128();
  h.init();
  return h;
}

/**
 * A hasher with a small read buffer, kept for reuse: a run hashes thousands of small files, and a
 * fresh wasm instance and buffers for each kept the garbage collector busy for a quarter of a
 * large run's time.
 */
interface Slot {
  readonly hasher: IHasher;
  readonly buffer: Buffer;
}
const free: Slot[] = [];
/** More than any run hashes at once (one per job slot); beyond that, slots are dropped. */
const KEEP = 8;
const SMALL_CHUNK = 1 << 20;

async function acquire(): Promise<Slot> {
  const slot = free.pop() ?? { hasher: await createXXHash128(), buffer: Buffer.allocUnsafe(SMALL_CHUNK) };
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
 * Large files are read with this many reads in flight, each of this size. Measured on this
 * project's machines (a virtual disk, page cache dropped before each run, a 2.5 GB file): one 4 MiB
 * read at a time gave 0.9-1.1 GB/s, four 16 MiB reads 1.45-1.6 GB/s; more reads or larger ones
 * gained nothing. Reads complete in the thread pool (4 threads by default) while this thread
 * hashes the chunks in order.
 */
export const BIG_CHUNK = 16 << 20;
export const IN_FLIGHT = 4;

/**
 * Streams a file through the hasher. Small files are read into the slot's buffer one chunk after
 * another; large ones with IN_FLIGHT reads ahead of the hasher, so a first-time hash runs at the
 * speed of the slower of the disk and the hash, not of the two one after the other. `sizeHint`
 * (the size the caller just stat-ed) only chooses between the two; the bytes read decide the size.
 */
export async function hashFile(path: string, signal?: AbortSignal, sizeHint?: number): Promise<{ hash: string; size: number }> {
  const slot = await acquire();
  const h = slot.hasher;
  let size = 0;
  const fh = await open(path, 'r').catch((e: unknown) => {
    release(slot);
    throw e;
  });
  const inflight: Promise<{ bytesRead: number; buffer: Buffer }>[] = [];
  try {
    const expected = sizeHint ?? (await fh.stat()).size;
    if (expected <= 4 * SMALL_CHUNK) {
      for (;;) {
        signal?.throwIfAborted();
        const { bytesRead } = await fh.read(slot.buffer, 0, SMALL_CHUNK, null);
        if (bytesRead === 0) break;
        h.update(bytesRead === SMALL_CHUNK ? slot.buffer : slot.buffer.subarray(0, bytesRead));
        size += bytesRead;
      }
    } else {
      const buffers = Array.from({ length: IN_FLIGHT }, () => Buffer.allocUnsafe(BIG_CHUNK));
      let next = 0;
      const issue = (buffer: Buffer) => {
        const at = next;
        next += BIG_CHUNK;
        inflight.push(fh.read(buffer, 0, BIG_CHUNK, at));
      };
      for (const b of buffers) issue(b);
      for (;;) {
        signal?.throwIfAborted();
        const { bytesRead, buffer } = await inflight.shift()!;
        if (bytesRead > 0) h.update(bytesRead === BIG_CHUNK ? buffer : buffer.subarray(0, bytesRead));
        size += bytesRead;
        if (bytesRead < BIG_CHUNK) {
          // Normally the end of the file. Read on from here, in order, until a read returns
          // nothing: a short read before the end must not cut the hash short.
          await Promise.allSettled(inflight.splice(0));
          for (let at = size; ; ) {
            signal?.throwIfAborted();
            const more = await fh.read(buffer, 0, BIG_CHUNK, at);
            if (more.bytesRead === 0) break;
            h.update(buffer.subarray(0, more.bytesRead));
            at += more.bytesRead;
            size += more.bytesRead;
          }
          break;
        }
        issue(buffer);
      }
    }
    return { hash: h.digest('hex'), size };
  } finally {
    // Reads still in flight must land before the file is closed.
    await Promise.allSettled(inflight);
    await fh.close();
    release(slot);
  }
}
