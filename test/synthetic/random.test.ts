// The seeded generator: labelled streams are reproducible and independent; distributions sane.

import { describe, expect, it } from 'vitest';
import { Rng } from '../../stages/allen/synthetic/random.js';

const draw = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.nextU32());

describe('Rng', () => {
  it('repeats a stream for the same seed and labels, and differs otherwise', () => {
    expect(draw(Rng.of(1, 'spikes', 3), 8)).toEqual(draw(Rng.of(1, 'spikes', 3), 8));
    expect(draw(Rng.of(1, 'spikes', 3), 8)).not.toEqual(draw(Rng.of(1, 'spikes', 4), 8));
    expect(draw(Rng.of(1, 'spikes', 3), 8)).not.toEqual(draw(Rng.of(2, 'spikes', 3), 8));
  });

  it('has uniform, normal and Poisson draws with the right moments', () => {
    const rng = Rng.of(9, 'moments');
    const n = 200_000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      if (!(u >= 0 && u < 1)) outside++;
      su += u;
      const z = rng.normal();
      sn += z;
      sn2 += z * z;
    }
    expect(outside).toBe(0);
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(sn / n).toBeCloseTo(0, 2);
    expect(sn2 / n).toBeCloseTo(1, 1);
    for (const mean of [3, 1000]) {
      const xs = Array.from({ length: 20_000 }, () => rng.poisson(mean));
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
      expect(Math.abs(m - mean) / mean).toBeLessThan(0.02);
      expect(Math.abs(v - mean) / mean).toBeLessThan(0.05);
    }
  });

  it('makes version-4 UUIDs', () => {
    const ids = new Set(Array.from({ length: 100 }, (() => { const r = Rng.of(5, 'ids'); return () => r.uuid4(); })()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
