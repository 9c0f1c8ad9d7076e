import { describe, expect, it } from 'vitest';
import { interp } from '../../stages/binned/core/index.js';
import { fromPython, hasNumpy, runPython, toPython } from './helpers/python.js';
import { seeded } from '../random.js';

const f = (...v: number[]) => Float64Array.from(v);
const at = (x: number[], xp: number[], fp: number[]) => Array.from(interp(x, f(...xp), f(...fp)));

describe('interp with NumPy semantics (§7)', () => {
  it('interpolates linearly between samples', () => {
    expect(at([0.5, 1.25], [0, 1, 2], [0, 10, 30])).toEqual([5, 15]);
  });

  it('holds the end values outside the sampled range', () => {
    expect(at([-5, 0, 2, 7], [0, 1, 2], [3, 10, 30])).toEqual([3, 3, 30, 30]);
  });

  it('returns the sample itself at a sample time', () => {
    expect(at([1], [0, 1, 2], [0, 0.1, 1e300])).toEqual([0.1]);
  });

  it('propagates a NaN neighbour, but not at the other sample time', () => {
    // np.interp([0.5, 1, 1.5, 2, 2.5], [0, 1, 2, 3], [0, nan, 20, 30]) = [nan, nan, nan, 20, 25]
    expect(at([0.5, 1, 1.5, 2, 2.5], [0, 1, 2, 3], [0, NaN, 20, 30])).toEqual([NaN, NaN, NaN, 20, 25]);
  });

  it('uses the last of duplicate sample times', () => {
    // np.interp([0, 1, 1.5, 2, 3], [0, 1, 1, 2], [0, 10, 20, 30]) = [0, 20, 25, 30, 30]
    expect(at([0, 1, 1.5, 2, 3], [0, 1, 1, 2], [0, 10, 20, 30])).toEqual([0, 20, 25, 30, 30]);
    expect(at([1], [0, 1, 1, 1, 2], [0, 10, 20, 40, 30])).toEqual([40]);
  });

  it('computes the slope first, as NumPy does', () => {
    const [x, x0, x1, y0, y1] = [4.3986787302953445, 4.003864526748657, 4.422055602073669, 4.305287599563599, 0.22794365882873535];
    const specOrder = y0 + ((x - x0) * (y1 - y0)) / (x1 - x0);
    expect(specOrder).toBe(0.45586709412589244);
    // np.interp(4.3986787302953445, [4.003864526748657, 4.422055602073669], [4.305287599563599, 0.22794365882873535])
    expect(at([x], [x0, x1], [y0, y1])).toEqual([0.4558670941258929]);
  });

  it('returns NaN at a NaN time, and the one value of a single sample for any time', () => {
    expect(at([NaN], [0, 1], [1, 2])).toEqual([NaN]);
    expect(at([-1, 5, 9, NaN], [5], [7])).toEqual([7, 7, 7, 7]);
  });

  it('keeps equal infinities between two infinite samples', () => {
    expect(at([0.5], [0, 1], [Infinity, Infinity])).toEqual([Infinity]);
  });
});

describe.skipIf(!hasNumpy)('interp, cross-checked with np.interp', () => {
  it('agrees bit for bit on random samples with duplicates and NaN gaps', () => {
    const random = seeded(99);
    const cases: { x: string[]; xp: string[]; fp: string[] }[] = [];
    const ours: number[][] = [];
    for (let c = 0; c < 60; c++) {
      const n = random.int(1, 40);
      const xp: number[] = [];
      let t = random.next() * 100;
      for (let k = 0; k < n; k++) {
        t += random.next() < 0.15 ? 0 : random.next() * 0.05; // some duplicate times
        xp.push(t);
      }
      const fp = xp.map(() => (random.next() < 0.1 ? NaN : (random.next() - 0.5) * 10 ** random.int(-3, 3)));
      const x: number[] = [];
      for (let k = 0; k < 50; k++) {
        const roll = random.next();
        if (roll < 0.3) x.push(xp[random.int(0, n - 1)]!); // exactly on a sample
        else x.push(xp[0]! - 0.05 + random.next() * (xp[n - 1]! - xp[0]! + 0.1));
      }
      x.sort((a, b) => a - b);
      cases.push({ x: toPython(x), xp: toPython(xp), fp: toPython(fp) });
      ours.push(Array.from(interp(x, Float64Array.from(xp), Float64Array.from(fp))));
    }
    const script = `
import json, sys
import numpy as np
out = []
for c in json.load(sys.stdin):
    conv = lambda v: np.array([float(s) for s in v])
    out.append([repr(float(y)) for y in np.interp(conv(c['x']), conv(c['xp']), conv(c['fp']))])
print(json.dumps(out))`;
    const expected = runPython<string[][]>(script, cases);
    expect(ours.map((row) => toPython(row))).toEqual(expected.map((row) => row.map((s) => String(fromPython(s)))));
  });
});
