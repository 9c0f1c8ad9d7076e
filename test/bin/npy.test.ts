// The streaming .npy writer and the range reader (stages/arrays/), checked against NumPy itself:
// files we write must load with numpy.load, files numpy.save writes must read back exactly.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StageError } from '../../engine/builtin/types.js';
import { encodeNpyHeader } from '../../stages/arrays/npy-format.js';
import { NpyReader, readNpy } from '../../stages/arrays/npy-reader.js';
import { NpyWriter, writeNpy } from '../../stages/arrays/npy-writer.js';
import { HAS_NUMPY, makeWorkspace, numpyLoad, PYTHON, type Workspace } from './fixtures.js';

describe('.npy files', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = makeWorkspace('pipe-npy-');
  });
  afterEach(() => ws.remove());

  it('pads the header to a multiple of 64 bytes ending in a newline', () => {
    for (const shape of [[], [3], [2, 14, 900], [6, 1502, 20]]) {
      const h = encodeNpyHeader({ dtype: '<f4', shape });
      expect(h.length % 64).toBe(0);
      expect(h[h.length - 1]).toBe(0x0a);
      const text = Buffer.from(h.subarray(10)).toString('latin1');
      expect(text.trimEnd()).toBe(`{'descr': '<f4', 'fortran_order': False, 'shape': ${shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`}, }`);
      expect(h[8]! | (h[9]! << 8)).toBe(h.length - 10);
    }
  });

  it.skipIf(!HAS_NUMPY)('writes blocks at offsets, in any order, that numpy.load reads for every dtype', () => {
    const cases = [
      { dtype: '|u1', data: Uint8Array.of(0, 1, 255, 7, 8, 9) },
      { dtype: '|i1', data: Int8Array.of(0, 1, -128, 127, -1, 5) },
      { dtype: '<f4', data: Float32Array.of(0.5, -1, NaN, 3.25, 1e-3, Infinity) },
      { dtype: '<f8', data: Float64Array.of(0.1, -2, NaN, 1e300, 5e-324, -0) },
      { dtype: '<i8', data: BigInt64Array.of(1n, -1n, 9007199254740993n, 0n, 715093703n, -5n) },
    ] as const;
    for (const c of cases) {
      const file = join(ws.dir, `${c.dtype.slice(1)}.npy`);
      const w = NpyWriter.create({ path: file, dtype: c.dtype, shape: [2, 3] });
      // Second row first, then the first row in two pieces.
      w.write(c.data.subarray(3) as never, 3);
      w.write(c.data.subarray(1, 3) as never, 1);
      w.write(c.data.subarray(0, 1) as never, 0);
      w.close();
      const a = numpyLoad(file);
      expect(a.dtype, c.dtype).toBe(c.dtype);
      expect(a.shape).toEqual([2, 3]);
      if (c.dtype === '<i8') {
        // JSON numbers lose int64 precision, so compare as text through numpy.
        const text = execFileSync(PYTHON, ['-c', 'import sys, numpy as np; print(" ".join(str(x) for x in np.load(sys.argv[1]).ravel()))', file], { encoding: 'utf8' });
        expect(text.trim()).toBe(Array.from(c.data, String).join(' '));
      } else {
        expect(a.values).toEqual(Array.from(c.data as ArrayLike<number>));
      }
    }
  });

  it.skipIf(!HAS_NUMPY)('leaves cells that were never written at zero, and numpy loads 0-d and empty arrays', () => {
    const file = join(ws.dir, 'sparse.npy');
    const w = NpyWriter.create({ path: file, dtype: '<f8', shape: [4, 2] });
    w.write(Float64Array.of(7), 5);
    w.close();
    expect(numpyLoad(file).values).toEqual([0, 0, 0, 0, 0, 7, 0, 0]);
    writeNpy({ path: join(ws.dir, 'scalar.npy'), shape: [], data: Float32Array.of(2.5) });
    expect(numpyLoad(join(ws.dir, 'scalar.npy'))).toEqual({ dtype: '<f4', shape: [], values: [2.5] });
    writeNpy({ path: join(ws.dir, 'empty.npy'), shape: [3, 0, 2], data: new Uint8Array(0) });
    expect(numpyLoad(join(ws.dir, 'empty.npy'))).toEqual({ dtype: '|u1', shape: [3, 0, 2], values: [] });
  });

  it.skipIf(!HAS_NUMPY)('reads files numpy.save wrote, whole and by element range', () => {
    const file = join(ws.dir, 'from-numpy.npy');
    execFileSync(PYTHON, ['-c', 'import sys, numpy as np; np.save(sys.argv[1], (np.arange(24, dtype="<f4") / 8).reshape(2, 3, 4))', file]);
    const r = NpyReader.open(file);
    expect(r.dtype).toBe('<f4');
    expect(r.shape).toEqual([2, 3, 4]);
    expect(Array.from(r.readAs('<f4', 10, 3))).toEqual([10 / 8, 11 / 8, 12 / 8]);
    r.close();
    expect(Array.from(readNpy(file).data as Float32Array)).toEqual(Array.from({ length: 24 }, (_, i) => i / 8));
  });

  it('refuses what it cannot write or read', () => {
    const w = NpyWriter.create({ path: join(ws.dir, 'a.npy'), dtype: '|u1', shape: [4] });
    expect(() => w.write(Uint8Array.of(1, 2), 3)).toThrow(RangeError);
    expect(() => w.write(Int8Array.of(1) as never, 0)).toThrow(TypeError);
    w.close();
    const r = NpyReader.open(join(ws.dir, 'a.npy'));
    expect(() => r.read(3, 2)).toThrow(RangeError);
    expect(() => r.readAs('|i1', 0, 1)).toThrow(/holds \|u1, expected \|i1/);
    r.close();

    const bad = join(ws.dir, 'bad.npy');
    writeFileSync(bad, 'not numpy at all');
    expect(() => NpyReader.open(bad)).toThrow(StageError);
    // Truncated: the header says 4 bytes of data, the file has 3.
    const truncated = join(ws.dir, 'truncated.npy');
    const headerLength = encodeNpyHeader({ dtype: '|u1', shape: [4] }).length;
    writeFileSync(truncated, readFileSync(join(ws.dir, 'a.npy')).subarray(0, headerLength + 3));
    expect(() => NpyReader.open(truncated)).toThrow(`truncated.npy: file is ${headerLength + 3} bytes, its header describes ${headerLength + 4}`);
    writeFileSync(truncated, readFileSync(join(ws.dir, 'a.npy')).subarray(0, 20));
    expect(() => NpyReader.open(truncated)).toThrow(/truncated.npy: unexpected end of file at byte 20$/);
    const fortran = join(ws.dir, 'fortran.npy');
    const header = Buffer.from(encodeNpyHeader({ dtype: '|u1', shape: [4] })).toString('latin1').replace('False', 'True ');
    writeFileSync(fortran, Buffer.concat([Buffer.from(header, 'latin1'), Buffer.alloc(4)]));
    expect(() => NpyReader.open(fortran)).toThrow(/Fortran-order/);
  });
});
