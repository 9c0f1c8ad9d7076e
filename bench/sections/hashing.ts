// Hashing a 2–3 GB input (the real-size session file): the disk's raw sequential read speed for
// context, the first hash through the engine's PathHasher with an empty stat cache (cold page
// cache when it can be dropped, and warm), the hasher's CPU ceiling on a buffer in memory, and
// the re-check of the unchanged file through a stat cache loaded from disk as a new process
// would — in process, and through the CLI (`pipe status`).
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { StatCache } from '../../engine/hash/stat-cache.js';
import { PathHasher } from '../../engine/hash/tree.js';
import { BIG_CHUNK, IN_FLIGHT, newHasher } from '../../engine/hash/xxh.js';
import { GB, remove } from '../lib/fsx.js';
import type { PageCache } from '../lib/page-cache.js';
import { pipe, ROOT } from '../lib/pipe-cli.js';
import { median } from '../lib/proc.js';
import { timeInProcess, timePipe } from '../lib/timing.js';
import type { HashingResult } from '../report/results.js';
import { waitPastRacyWindow } from './dataset.js';

/** For the hasher's CPU ceiling: the buffer is fed in chunks of this size. */
const CHUNK = 4 << 20;
const CPU_BUFFER = 256 << 20;

export interface HashingOptions {
  readonly file: string;
  readonly bytes: number;
  readonly workDir: string;
  readonly cache: PageCache;
  readonly runs: number;
  readonly log: (s: string) => void;
}

/** Reads the file as engine/hash/xxh.ts reads a large file (IN_FLIGHT reads of BIG_CHUNK), without hashing. */
async function readAll(file: string): Promise<number> {
  const fh = await open(file, 'r');
  const inflight: Promise<{ bytesRead: number; buffer: Buffer }>[] = [];
  let next = 0;
  const issue = (b: Buffer) => {
    inflight.push(fh.read(b, 0, BIG_CHUNK, next));
    next += BIG_CHUNK;
  };
  let total = 0;
  try {
    for (let i = 0; i < IN_FLIGHT; i++) issue(Buffer.allocUnsafe(BIG_CHUNK));
    for (;;) {
      const { bytesRead, buffer } = await inflight.shift()!;
      total += bytesRead;
      if (bytesRead < BIG_CHUNK) return total;
      issue(buffer);
    }
  } finally {
    await Promise.allSettled(inflight);
    await fh.close();
  }
}

async function timeS(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
}

/** The hasher alone: XXH3-128 over a buffer already in memory. */
async function cpuOnlyGBps(): Promise<number> {
  const buf = Buffer.alloc(CPU_BUFFER, 0x5a);
  const h = await newHasher();
  h.update(buf.subarray(0, CHUNK)); // warm the wasm module up
  const s = await timeS(async () => {
    for (let at = 0; at < buf.length; at += CHUNK) h.update(buf.subarray(at, at + CHUNK));
  });
  return CPU_BUFFER / GB / s;
}

export async function benchHashing(o: HashingOptions): Promise<HashingResult> {
  const dir = join(o.workDir, 'hashing');
  remove(dir);
  mkdirSync(dir, { recursive: true });
  await waitPastRacyWindow(o.file);
  const workspace = dirname(o.file);
  const rel = basename(o.file);
  const cacheFile = join(dir, 'stat-cache.json');

  // Each figure is the median of a few repetitions: the disk is shared and its speed varies.
  const reps = Math.min(o.runs, 3);
  o.log(`hashing: ${o.cache.cold ? 'cold' : 'warm'} read, first hash, re-check of ${(o.bytes / GB).toFixed(2)} GB (${reps}× each)`);
  const readS: number[] = [];
  const firstS: number[] = [];
  const warmS: number[] = [];
  let firstHash = '';
  for (let i = 0; i < reps; i++) {
    o.cache.drop();
    readS.push(await timeS(() => readAll(o.file)));
  }
  for (let i = 0; i < reps; i++) {
    // A new, empty stat cache each time (it loads the file when present): every one of these is a
    // first hash; the last one's cache is kept for the re-check.
    remove(cacheFile);
    o.cache.drop();
    const first = new StatCache(cacheFile);
    firstS.push(
      await timeS(async () => {
        firstHash = (await new PathHasher({ workspace, cache: first }).hash(rel))!.hash;
      }),
    );
    await first.save();
  }
  // The file is in the page cache after the last one: the same again is the warm figure.
  for (let i = 0; i < reps; i++) warmS.push(await timeS(() => new PathHasher({ workspace, cache: new StatCache(undefined) }).hash(rel)));

  const recheck = await timeInProcess(o.runs, async () => {
    let read = false;
    const h = await new PathHasher({ workspace, cache: new StatCache(cacheFile), onRead: () => (read = true) }).hash(rel);
    if (read || h?.hash !== firstHash) throw new Error('hashing: the re-check read the file instead of answering from the stat cache');
  });

  // The same through the CLI: one stage depending on the file (a symlink into a workspace).
  const ws = join(dir, 'workspace');
  mkdirSync(ws, { recursive: true });
  symlinkSync(o.file, join(ws, 'input.nwb'));
  writeFileSync(join(ws, 'pipeline.yaml'), 'stages:\n  check:\n    cmd: echo checked > checked.txt\n    deps: [input.nwb]\n    outs: [checked.txt]\n');
  await pipe({ cwd: ws, args: ['repro'] });
  await waitPastRacyWindow(join(ws, 'checked.txt'));
  await pipe({ cwd: ws, args: ['status'] });
  const recheckStatus = await timePipe({ cwd: ws, args: ['status'], runs: o.runs });

  return {
    // Relative to the repository, so committed results name no one's home directory.
    file: relative(ROOT, o.file),
    bytes: o.bytes,
    coldCache: o.cache.cold,
    diskReadGBps: o.bytes / GB / median(readS),
    firstHashGBps: o.bytes / GB / median(firstS),
    firstHashWarmGBps: o.bytes / GB / median(warmS),
    hashCpuOnlyGBps: await cpuOnlyGBps(),
    recheck,
    recheckStatus,
  };
}
