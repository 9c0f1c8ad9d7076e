// .npy files as numpy.load sees them, and the header layout of format version 1.0.

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NpyWriter, npyHeader, writeNpy, type NpyDtype } from '../../stages/binned/output/index.js';
import { makeTempDir } from './fixtures.js';
import { runPython } from './python.js';

interface NpyView {
  dtype: string;
  shape: number[];
  values: (number | null)[];
  version: number[];
  fortran_order: boolean;
  data_offset: number;
}

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(() => cleanup());

describe('npyHeader', () => {
  it.each([[[]], [[5]], [[2, 3, 4]], [[1234567, 14, 300]]])('is padded to 64 bytes and ends with a newline for shape %j', (shape) => {
    const header = npyHeader({ dtype: '|i1', shape });
    expect(header.length % 64).toBe(0);
    expect(Array.from(header.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    expect(header[8]! | (header[9]! << 8)).toBe(header.length - 10);
    const text = Buffer.from(header.subarray(10)).toString('latin1');
    expect(text.endsWith('\n')).toBe(true);
    const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
    expect(text.trimEnd()).toBe(`{'descr': '|i1', 'fortran_order': False, 'shape': ${tuple}, }`);
  });
});

describe('numpy.load', () => {
  const cases: { dtype: NpyDtype; shape: number[]; data: ArrayBufferView; expected: (number | null)[]; numpy: string }[] = [
    { dtype: '|i1', shape: [2, 3], data: Int8Array.of(0, 1, -1, 127, -128, 5), expected: [0, 1, -1, 127, -128, 5], numpy: '|i1' },
    { dtype: '|u1', shape: [3], data: Uint8Array.of(0, 128, 255), expected: [0, 128, 255], numpy: '|u1' },
    { dtype: '<f4', shape: [2, 2], data: Float32Array.of(0.5, -1.25, Number.NaN, 3e38), expected: [0.5, -1.25, null, Math.fround(3e38)], numpy: '<f4' },
    { dtype: '<f8', shape: [1, 1, 3], data: Float64Array.of(5123.456789012345, -0, 1e-300), expected: [5123.456789012345, -0, 1e-300], numpy: '<f8' },
    { dtype: '<i8', shape: [2], data: BigInt64Array.of(9000000000000001n, -3n), expected: [9000000000000001, -3], numpy: '<i8' },
    { dtype: '|i1', shape: [0, 4], data: new Int8Array(0), expected: [], numpy: '|i1' },
  ];

  it('loads every dtype with its shape, values and a 64-byte aligned data offset', async () => {
    const paths = await Promise.all(
      cases.map(async (c, i) => {
        const path = join(dir, `a${i}.npy`);
        await writeNpy({ path, dtype: c.dtype, shape: c.shape, data: c.data });
        return path;
      }),
    );
    const loaded = await runPython<Record<string, NpyView>>('npy_load.py', paths);
    cases.forEach((c, i) => {
      const view = loaded[paths[i]!]!;
      expect(view).toMatchObject({ dtype: c.numpy, shape: c.shape, version: [1, 0], fortran_order: false });
      expect(view.values).toEqual(c.expected);
      expect(view.data_offset % 64).toBe(0);
    });
  });

  it('streams blocks and checks the byte count', async () => {
    const path = join(dir, 'stream.npy');
    const writer = await NpyWriter.create({ path, dtype: '<f4', shape: [3, 2] });
    await writer.write(Float32Array.of(1, 2));
    await writer.write(Float32Array.of(3, 4, 5, 6));
    await expect(writer.write(Float32Array.of(7))).rejects.toThrow(RangeError);
    await writer.close();
    const loaded = await runPython<Record<string, NpyView>>('npy_load.py', [path]);
    expect(loaded[path]).toMatchObject({ shape: [3, 2], values: [1, 2, 3, 4, 5, 6] });

    const short = await NpyWriter.create({ path: join(dir, 'short.npy'), dtype: '|u1', shape: [4] });
    await short.write(Uint8Array.of(1, 2));
    await expect(short.close()).rejects.toThrow('2 of 4 data bytes');
  });
});
