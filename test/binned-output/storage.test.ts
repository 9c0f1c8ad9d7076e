// Chunk shapes: bounded in bytes, time kept whole, presentations and units shrunk in proportion.

import { describe, expect, it } from 'vitest';
import { chooseChunkShape, dataStorage, TARGET_CHUNK_BYTES } from '../../stages/binned/output/storage.js';

describe('chooseChunkShape', () => {
  it('keeps a small array in one chunk', () => {
    expect(chooseChunkShape({ shape: [40, 14, 5], itemSize: 1, targetBytes: 1024 * 1024, wholeAxes: [1] })).toEqual([40, 14, 5]);
  });

  it.each([
    [[6000, 14, 100]],
    [[20, 6006, 300]],
    [[60, 1502, 50]],
    [[3645, 14, 1]],
  ])('bounds spike_data %j by the target, time whole, both other axes reduced alike', (shape) => {
    const [P, T, U] = shape as [number, number, number];
    const [pc, tc, uc] = chooseChunkShape({ shape, itemSize: 1, targetBytes: TARGET_CHUNK_BYTES, wholeAxes: [1] }) as [number, number, number];
    expect(tc).toBe(T);
    expect(pc * tc * uc).toBeLessThanOrEqual(Math.max(TARGET_CHUNK_BYTES, T));
    // Reading one presentation and reading one unit touch comparable fractions of the data.
    if (pc > 1 && uc > 1) expect(Math.abs(Math.log2(pc / P) - Math.log2(uc / U))).toBeLessThanOrEqual(1);
    // Never smaller than needed: doubling the reduced axis would exceed the target.
    expect(Math.min(P, pc * 2) * tc * uc > TARGET_CHUNK_BYTES || pc === P).toBe(true);
  });

  it('never makes a zero chunk extent', () => {
    expect(chooseChunkShape({ shape: [0, 3], itemSize: 4, targetBytes: 1024 })).toEqual([1, 3]);
  });
});

describe('dataStorage', () => {
  it('is contiguous for compression none and deflate at the default level otherwise', () => {
    expect(dataStorage({ compression: { kind: 'none' }, shape: [10], itemSize: 8 })).toEqual({ layout: 'contiguous' });
    expect(dataStorage({ compression: { kind: 'gzip' }, shape: [10], itemSize: 8 })).toEqual({ layout: 'chunked', chunks: [10], gzipLevel: 4 });
  });
});
