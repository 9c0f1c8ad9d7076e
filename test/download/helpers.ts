// Shared assertions and temp-dir handling for the download tests.

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { xxhash128 } from 'hash-wasm';
import { expect } from 'vitest';
import type { FetchedFile } from '../../stages/allen/download/index.js';

export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'pipe-download-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * The final file is byte-identical to the original, the returned hash equals a hash computed
 * independently over the original bytes, and no partial state is left behind.
 */
export async function expectIntact(result: FetchedFile, finalPath: string, original: Buffer): Promise<void> {
  expect(result.path).toBe(finalPath);
  expect(result.size).toBe(original.length);
  const onDisk = await readFile(finalPath);
  expect(onDisk.length).toBe(original.length);
  expect(onDisk.equals(original)).toBe(true);
  expect(result.hash).toBe(await xxhash128(original));
  expect(existsSync(`${finalPath}.part`)).toBe(false);
  expect(existsSync(`${finalPath}.part.json`)).toBe(false);
}

/** Download options that never wait: zero backoff and an instant sleep that records delays. */
export function noWait(): { backoff: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  const slept: number[] = [];
  return {
    backoff: () => 0,
    sleep: async (ms: number) => {
      slept.push(ms);
    },
    slept,
  };
}
