// The spike model: sorted trains whose firing follows the unit's stimulus-locked intensity
// (rate × gain per condition), with Poisson counts around the expected value.

import { describe, expect, it } from 'vitest';
import { Rng } from '../../stages/allen/synthetic/random.js';
import { sizingFor } from '../../stages/allen/synthetic/sizing.js';
import { SpikeModel } from '../../stages/allen/synthetic/spikes/generate.js';
import { buildSegments } from '../../stages/allen/synthetic/spikes/segments.js';
import { drawTuning, unitGains, type UnitTuning } from '../../stages/allen/synthetic/spikes/tuning.js';
import { buildTimeline } from '../../stages/allen/synthetic/timeline/schedule.js';

describe('spike model', () => {
  const timeline = buildTimeline({ sessionType: 'brain_observatory_1.1', sizing: sizingFor({ scale: 0.05 }), rng: Rng.of(3, 'timeline') });
  const end = timeline.end + 5;
  const segments = buildSegments(timeline, end);
  const model = new SpikeModel(segments, 3);
  // A strongly driven, fast unit, so that the statistics below are tight.
  const base = drawTuning(Rng.of(3, 'tuning', 0));
  const unit: UnitTuning = { ...base, rate: 40, latency: 0.05, strength: { gabor: 3, flash: 3, grating: 3, scene: 3, movie: 3, dots: 3 } };

  const n = model.count(0, unit);
  const times = new Float64Array(n);
  const amps = new Float64Array(n);
  model.place(0, unit, n, 1e-4, times, amps);

  it('covers the session with segments that tile it exactly', () => {
    expect(segments.start[0]).toBe(0);
    expect(segments.start[segments.start.length - 1]).toBe(end);
    let unordered = 0;
    for (let k = 1; k < segments.start.length; k++) if (!((segments.start[k] as number) > (segments.start[k - 1] as number))) unordered++;
    expect(unordered).toBe(0);
    const covered = segments.keySeconds.reduce((a, b) => a + b, 0);
    expect(covered).toBeCloseTo(end, 6);
  });

  it('draws a Poisson count around the expected value', () => {
    const expected = model.expectedCount(unit);
    expect(Math.abs(n - expected)).toBeLessThan(5 * Math.sqrt(expected));
  });

  it('places sorted spikes inside the session, shifted by the latency', () => {
    let decreasing = 0;
    for (let k = 1; k < n; k++) if ((times[k] as number) < (times[k - 1] as number)) decreasing++;
    expect(n).toBeGreaterThan(1000);
    expect(decreasing).toBe(0);
    expect(times[0]).toBeGreaterThanOrEqual(unit.latency);
    expect(times[n - 1]).toBeLessThanOrEqual(end + unit.latency);
    const meanAmp = amps.reduce((a, b) => a + b, 0) / n;
    expect(meanAmp).toBeCloseTo(1e-4, 5);
  });

  it('fires at rate × gain within each stimulus condition (stimulus-locked modulation)', () => {
    const gains = unitGains(unit, segments.ranges, segments.keyCount);
    // Spikes and seconds per gain class, in the unit's own (latency-shifted) time.
    const classes = [
      { lo: 0, hi: 1.0001, spikes: 0, seconds: 0, gainSum: 0 },
      { lo: 2, hi: Number.POSITIVE_INFINITY, spikes: 0, seconds: 0, gainSum: 0 },
    ];
    let seg = 0;
    const { start, key } = segments;
    for (let k = 0; k < key.length; k++) {
      const g = gains[key[k] as number] as number;
      const c = classes.find((x) => g >= x.lo && g < x.hi);
      if (c === undefined) continue;
      const len = (start[k + 1] as number) - (start[k] as number);
      c.seconds += len;
      c.gainSum += g * len;
    }
    for (let i = 0; i < n; i++) {
      const tau = (times[i] as number) - unit.latency;
      while (seg < key.length - 1 && tau >= (start[seg + 1] as number)) seg++;
      const g = gains[key[seg] as number] as number;
      const c = classes.find((x) => g >= x.lo && g < x.hi);
      if (c !== undefined) c.spikes++;
    }
    const [baseline, driven] = classes as [(typeof classes)[0], (typeof classes)[0]];
    expect(driven.seconds).toBeGreaterThan(10);
    // Observed rates match the model within 10 %; driven conditions fire well above baseline.
    const baselineExpected = unit.rate * (baseline.gainSum / baseline.seconds);
    expect(Math.abs(baseline.spikes / baseline.seconds - baselineExpected) / baselineExpected).toBeLessThan(0.1);
    const drivenExpected = unit.rate * (driven.gainSum / driven.seconds);
    expect(Math.abs(driven.spikes / driven.seconds - drivenExpected) / drivenExpected).toBeLessThan(0.1);
    expect(driven.spikes / driven.seconds).toBeGreaterThan(2 * (baseline.spikes / baseline.seconds));
  });

  it('gives the same train for the same unit and seed', () => {
    const again = new Float64Array(n);
    new SpikeModel(segments, 3).place(0, unit, n, 1e-4, again, new Float64Array(n));
    expect(Buffer.from(again.buffer).equals(Buffer.from(times.buffer))).toBe(true);
  });
});
