import { describe, expect, it } from 'vitest';
import { firstUnordered, lowerBound } from '../../stages/binned/core/index.js';
import { seeded } from '../random.js';

describe('lowerBound', () => {
  it('finds the first value >= x from any hint, like searchsorted(left)', () => {
    const random = seeded(11);
    for (let trial = 0; trial < 300; trial++) {
      const values = Float64Array.from({ length: random.int(0, 40) }, () => random.int(0, 20) / 2).sort();
      const x = random.next() < 0.5 ? random.int(-1, 21) / 2 : random.next() * 11 - 0.5;
      const hint = random.int(-2, values.length + 3);
      const expected = values.findIndex((v) => v >= x);
      expect(lowerBound(values, x, hint), `trial ${trial}`).toBe(expected < 0 ? values.length : expected);
    }
  });
});

describe('firstUnordered', () => {
  it('finds the first decrease or NaN', () => {
    expect(firstUnordered(Float64Array.of(0, 1, 1, 2))).toBe(-1);
    expect(firstUnordered(Float64Array.of(0, 2, 1))).toBe(2);
    expect(firstUnordered(Float64Array.of(0, NaN, 3))).toBe(1);
    expect(firstUnordered(Float64Array.of(NaN))).toBe(0);
  });
});
