// One counts tensor → the dataset's spike_data values (binned-dataset.md §6, §10), a block at a
// time: int8 1 where the count is > 0, else 0; or, without binarizing, the uint8 counts as they
// are. Tensors reach hundreds of MB, so neither side is ever held whole.

import { copyFileSync } from 'node:fs';
import { StageError } from '../../../engine/builtin/types.js';
import { NpyReader } from '../../arrays/npy-reader.js';
import { NpyWriter } from '../../arrays/npy-writer.js';

/** 4 MiB: large enough that syscalls do not matter, small enough to stay in cache. */
const BLOCK_BYTES = 4 * 1024 * 1024;

export interface ConvertOptions {
  readonly source: string;
  readonly target: string;
  readonly binarize: boolean;
  readonly blockBytes?: number;
  readonly signal?: AbortSignal;
  /** Called after each block with the number of cells done so far. */
  readonly onProgress?: (bytesDone: number) => void;
}

export function convertCounts(options: ConvertOptions): void {
  const reader = NpyReader.open(options.source);
  try {
    if (reader.dtype !== '|u1' || reader.shape.length !== 3) {
      throw new StageError(
        `${options.source}: expected uint8 (presentation_id, time, unit_id) counts, found ${reader.dtype} of shape [${reader.shape.join(', ')}]`,
        're-run bin_spikes for this session',
      );
    }
    if (!options.binarize) {
      // Same dtype, same bytes: the kernel copies (or clones) the file in blocks.
      copyFileSync(options.source, options.target);
      options.onProgress?.(reader.length);
      return;
    }
    const writer = NpyWriter.create({ path: options.target, dtype: '|i1', shape: reader.shape });
    try {
      const block = Math.max(4, (options.blockBytes ?? BLOCK_BYTES) & ~3);
      for (let at = 0; at < reader.length; at += block) {
        options.signal?.throwIfAborted();
        const counts = reader.readAs('|u1', at, Math.min(block, reader.length - at));
        writer.write(binarizeBlock(counts), at);
        options.onProgress?.(at + counts.length);
      }
    } finally {
      writer.close();
    }
  } finally {
    reader.close();
  }
}

/**
 * 1 where a count is non-zero, else 0, in place, returned as int8. Four cells per step: folding a
 * 32-bit word onto itself (x | x>>>4, then >>>2, then >>>1) leaves in bit 0 of each byte the OR
 * of that byte's eight bits; the mask keeps exactly those bits.
 */
export function binarizeBlock(counts: Uint8Array): Int8Array {
  const words = counts.byteOffset % 4 === 0 ? Math.floor(counts.length / 4) : 0;
  if (words > 0) {
    const w32 = new Uint32Array(counts.buffer, counts.byteOffset, words);
    for (let i = 0; i < words; i++) {
      let x = w32[i]!;
      x |= x >>> 4;
      x |= x >>> 2;
      x |= x >>> 1;
      w32[i] = x & 0x01010101;
    }
  }
  for (let i = words * 4; i < counts.length; i++) counts[i] = counts[i] !== 0 ? 1 : 0;
  return new Int8Array(counts.buffer, counts.byteOffset, counts.length);
}
