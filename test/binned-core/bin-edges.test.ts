import { describe, expect, it } from 'vitest';
import { binCentres, binEdges } from '../../stages/binned/core/index.js';
import { hasNumpy, runPython, toPython } from './helpers/python.js';

// Published pooled medians (full precision) and their 4-decimal forms.
const DURATIONS = [
  0.2502092301320999, 0.5004184602639725, 1.0008380703675357, 2.001670000000331, 30.0250899999996,
  120.10034999999885, 0.2502, 0.5004, 1.0008, 2.0017, 30.0251, 120.1003, 0.25,
];

const nBins = (maxDuration: number, binWidth: number) => binEdges({ maxDuration, binWidth }).length - 1;

describe('bin edges (§6)', () => {
  it('gives a 0.25 s stimulus 14 bins of 0.02 s, not 13', () => {
    // n = ceil(0.25 / 0.02) = 13, but (14 * 0.02) / 0.02 = 14.000000000000002, so 15 edges.
    expect(nBins(0.25, 0.02)).toBe(14);
    expect(nBins(0.2502, 0.02)).toBe(14);
    expect(binEdges({ maxDuration: 0.25, binWidth: 0.02 }).at(-1)).toBe(14 * 0.02);
  });

  it.each([
    [0.5004184602639725, 26],
    [1.0008380703675357, 51],
    [2.0017, 101],
    [30.0251, 1502],
    [120.1003, 6006],
  ])('gives D = %d the published %i bins', (d, expected) => {
    expect(nBins(d, 0.02)).toBe(expected);
  });

  it.each([
    [0.2502, 26],
    [0.25, 25],
    [2.0017, 201],
    [120.1003, 12011],
  ])('with w = 0.01 gives D = %d %i bins', (d, expected) => {
    expect(nBins(d, 0.01)).toBe(expected);
  });

  it('computes edge i as i * w', () => {
    const edges = binEdges({ maxDuration: 2.0017, binWidth: 0.02 });
    expect(edges[0]).toBe(0);
    // 0.12, where accumulating six steps of 0.02 gives 0.12000000000000001.
    expect(edges[6]).toBe(0.12);
    expect(edges[101]).toBe(101 * 0.02);
  });

  it('labels bins by their centres', () => {
    const centres = binCentres(binEdges({ maxDuration: 0.25, binWidth: 0.02 }));
    expect(centres).toHaveLength(14);
    expect(centres[0]).toBe(0.01);
    expect(centres[13]).toBe(13 * 0.02 + (14 * 0.02 - 13 * 0.02) / 2);
  });

  it('rejects a non-finite duration or a non-positive width', () => {
    expect(() => binEdges({ maxDuration: NaN, binWidth: 0.02 })).toThrow(RangeError);
    expect(() => binEdges({ maxDuration: 1, binWidth: 0 })).toThrow(RangeError);
  });
});

describe.skipIf(!hasNumpy)('bin edges, cross-checked with NumPy', () => {
  it('matches np.arange(0, (n + 1) * w, w) and its centres bit for bit', () => {
    const cases: { d: string; w: string }[] = [];
    for (const w of [0.02, 0.01, 0.005, 0.025, 0.1]) for (const d of DURATIONS) cases.push({ d: String(d), w: String(w) });
    const script = `
import json, sys, math
import numpy as np
out = []
for c in json.load(sys.stdin):
    d, w = float(c['d']), float(c['w'])
    n = math.ceil(d / w)
    e = np.arange(0, (n + 1) * w, w)
    centres = e[:-1] + np.diff(e) / 2
    out.append({'edges': [repr(float(x)) for x in e], 'centres': [repr(float(x)) for x in centres]})
print(json.dumps(out))`;
    const expected = runPython<{ edges: string[]; centres: string[] }[]>(script, cases);
    cases.forEach((c, i) => {
      const edges = binEdges({ maxDuration: Number(c.d), binWidth: Number(c.w) });
      expect(toPython(edges)).toEqual(expected[i]!.edges.map((s) => String(Number(s))));
      expect(toPython(binCentres(edges))).toEqual(expected[i]!.centres.map((s) => String(Number(s))));
    });
  });
});
