import { describe, expect, it } from 'vitest';
import { pythonFloatRepr, pythonRound } from '../../stages/binned/core/index.js';
import { fromPython, hasNumpy, runPython, toPython } from './helpers/python.js';
import { seeded } from '../random.js';

describe('Python float repr', () => {
  it.each([
    [1e-5, '1e-05'], // JS: 0.00001
    [1.5e-7, '1.5e-07'], // JS: 1.5e-7
    [0.0001, '0.0001'],
    [1e16, '1e+16'], // JS: 10000000000000000
    [1.5e16, '1.5e+16'],
    [1e15, '1000000000000000.0'],
    [1234567890123456.8, '1234567890123456.8'],
    [123456789012345680, '1.2345678901234568e+17'],
    [1e22, '1e+22'],
    [2, '2.0'],
    [-2.5, '-2.5'],
    [0.1 + 0.2, '0.30000000000000004'],
    [0.2502092301320999, '0.2502092301320999'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [0, '0.0'],
    [-0, '-0.0'],
    [NaN, 'nan'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ])('repr(%d) is %s', (x, expected) => {
    expect(pythonFloatRepr(x)).toBe(expected);
  });
});

describe('Python round(x, n)', () => {
  it.each([
    [0.125, 2, 0.12], // exact tie: to even
    [0.375, 2, 0.38],
    [-0.125, 2, -0.12],
    [1.875, 2, 1.88],
    [2.675, 2, 2.67], // 2.675 is stored just below the tie
    [0.0373768, 2, 0.04],
    [2.5, 0, 2],
    [3.5, 0, 4],
    [0.30000000000000004, 4, 0.3],
    [120.10034999999885, 4, 120.1003],
    // A tie whose x·100 is not representable; .12 rounds back to the .125 double.
    [657419804483652.125, 2, 657419804483652.125],
    [657419804483652.375, 2, 657419804483652.375],
  ])('round(%d, %d) is %d', (x, n, expected) => {
    expect(pythonRound(x, n)).toBe(expected);
  });
});

describe.skipIf(!hasNumpy)('Python formatting, cross-checked with Python', () => {
  const random = seeded(20240611);
  const values: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const magnitude = 10 ** random.int(-12, 25);
    values.push((random.next() - 0.5) * magnitude);
  }
  // Percent-like values, including exact ties k/8 and k/16 and integers.
  for (let k = 0; k < 400; k++) values.push(k / 8, k / 16, k, (random.int(0, 1000) / random.int(1, 5000)) * 100);

  it('repr agrees', () => {
    const py = runPython<string[]>(
      'import json,sys\nprint(json.dumps([repr(float(s)) for s in json.load(sys.stdin)]))',
      toPython(values),
    );
    expect(values.map(pythonFloatRepr)).toEqual(py);
  });

  it('round(x, 2) and round(x, 4) agree', () => {
    for (const n of [2, 4]) {
      const py = runPython<string[]>(
        `import json,sys\nprint(json.dumps([repr(round(float(s), ${n})) for s in json.load(sys.stdin)]))`,
        toPython(values),
      );
      expect(values.map((x) => pythonRound(x, n))).toEqual(py.map(fromPython));
    }
  });
});
